"""The one shared test of every site parser: each fixture page against its expected JSON.

Fixtures live in ``tests/fixtures/<site>/``; ``scripts/regenerate_fixtures.py`` rewrites the
expected JSON, which is then reviewed by hand (see docs/adding-a-site.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.core.record import validate
from scraper.sites import all_sites
from scripts.regenerate_fixtures import FIXTURES, extract_fixture

PAGES = sorted(FIXTURES.glob("*/*.html.gz"))


def _meta(page: Path) -> dict:
    return json.loads(
        page.with_name(page.name.removesuffix(".html.gz") + ".json").read_text("utf-8")
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_page_gives_its_expected_record(page: Path) -> None:
    meta = _meta(page)
    record = extract_fixture(page, meta["url"])
    assert record == meta["expected"]
    validate({**record, "fetched_at": "2024-01-01T00:00:00+00:00"})
    assert record["site"] == page.parent.name


def test_every_registered_site_has_fixtures() -> None:
    with_fixtures = {p.parent.name for p in PAGES}
    assert set(all_sites()) <= with_fixtures
