"""Regenerate the expected JSON of site fixture pages: ``tests/fixtures/<site>/<name>.json``.

Each fixture is ``<name>.html.gz`` (the page) and ``<name>.json`` (``{"url": ..., "expected":
{...}}``). This writes ``expected`` from what akhbar extracts now, so review the diff by hand
before committing: the JSON is the truth the shared test holds every parser to.

    python scripts/regenerate_fixtures.py [SITE ...]
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

from scraper.core.page import Page
from scraper.crawl.pages import decode
from scraper.extract.record import record_from_page
from scraper.sites import site_for_page

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
#: Fields that depend on the moment of extraction, not on the page.
VOLATILE = ("fetched_at",)


def extract_fixture(html_path: Path, url: str) -> dict[str, Any]:
    html = decode(url, gzip.decompress(html_path.read_bytes()))
    page = Page(url=url, html=html)
    record = record_from_page(page, site_for_page(page))
    return {k: v for k, v in record.items() if k not in VOLATILE}


def regenerate(site_dir: Path) -> int:
    count = 0
    for html_path in sorted(site_dir.glob("*.html.gz")):
        meta_path = html_path.with_name(html_path.name.removesuffix(".html.gz") + ".json")
        meta = json.loads(meta_path.read_text("utf-8"))
        meta["expected"] = extract_fixture(html_path, meta["url"])
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")
        count += 1
    return count


def main(sites: list[str]) -> None:
    for site_dir in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        if not sites or site_dir.name in sites:
            print(f"{site_dir.name}: {regenerate(site_dir)} fixtures")


if __name__ == "__main__":
    main(sys.argv[1:])
