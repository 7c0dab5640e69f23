"""akhbar report on a dataset made by real runs against the replica: a healthy crawl, an import
with a 404 and a copy of an article at another address, then a crawl after a redesign broke
the title selector. The page is self-contained, its charts show each run, day, failure reason,
field and cluster size, and headless Chromium renders it with no console error, no request
and the Arabic right to left; a screenshot is kept in the test's folder."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

import akhbar
from scraper.core.record import EXTRACTED
from scraper.replica.enabbaladi_pages import EnabBaladiReplica
from scraper.replica.server import serving
from tests.conftest import ROOT, read_records, run_cli

FIRST, REDESIGNED = 60, 20
BROKEN_TITLE = "the site parser filled title in 0% of records (minimum 90%)"
#: In the page: every text node with Arabic letters, with its element's language and direction.
ARABIC_TEXTS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) {
    const node = walker.currentNode, element = node.parentElement;
    if (/[\\u0600-\\u06ff]/.test(node.textContent)) {
      const lang = element.closest("[lang]").getAttribute("lang");
      found.push([node.textContent, lang, getComputedStyle(element).direction]);
    }
  }
  return found;
}"""


def copy_of(replica: EnabBaladiReplica, number: int, folder: Path) -> Path:
    """Article ``number`` saved as republished at another address of the site."""
    html = replica.article_html(replica.article(number))
    saved = folder / "copy.html"
    saved.write_text(html.replace(replica.url(number), f"{replica.base}/archives/900000"), "utf-8")
    return saved


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("report")
    out = folder / "news"
    replica = EnabBaladiReplica("", FIRST)
    with serving(replica) as server:
        assert akhbar.crawl("enabbaladi", out=out, base_url=server.base_url).ok
        missing = f"{server.base_url}/archives/999999"
        akhbar.import_([copy_of(replica, 5, folder), missing], out=out)
        replica.articles, replica.layout = FIRST + REDESIGNED, "redesign"
        assert not akhbar.crawl("enabbaladi", out=out, base_url=server.base_url).ok
    page = folder / "report.html"
    made = run_cli("report", str(out), "-o", str(page))
    assert made.returncode == 0, made.stderr
    return out, page


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def expected_bars(out: Path) -> dict[str, int]:
    """How many bars each chart must draw, counted from the dataset's own files."""
    records = read_records(out)
    sizes = Counter(Counter(r["cluster_id"] for r in records).values())
    return {
        "records": len({(r["site"], r["published"][:10]) for r in records if r["published"]}),
        "runs": len(jsonl(out / "runs.jsonl")),
        "failures": len({f["reason"] for f in jsonl(out / "failures.jsonl")}),
        "fields": len(EXTRACTED),
        "clusters": len(sizes),
    }


def bars(html: str, chart: str) -> list[str]:
    return re.findall(rf'id="{chart}-bar-([^"]+)"', html)


def test_the_dataset_and_its_runs_are_charted(reported: tuple[Path, Path]) -> None:
    out, page = reported
    html = page.read_text("utf-8")
    expected = expected_bars(out)
    assert {chart: len(bars(html, chart)) for chart in expected} == expected
    assert expected["runs"] == 3 and expected["clusters"] == 2  # singletons, and the copy
    assert bars(html, "runs") == ["1-ok", "2-failed", "3-failed"]
    assert bars(html, "failures") == ["http_404"]
    assert sorted(bars(html, "clusters")) == ["1", "2"]


def test_the_latest_runs_problems_are_told_in_words(reported: tuple[Path, Path]) -> None:
    html = reported[1].read_text("utf-8")
    problems = re.search(r"<ul id=problems>(.*?)</ul>", html, re.DOTALL)
    assert problems and BROKEN_TITLE in problems[1]


def test_the_page_is_self_contained(reported: tuple[Path, Path]) -> None:
    html = reported[1].read_text("utf-8")
    assert html.count("<svg") == 5
    for fetching in ("<script", "<link", "<img", "src=", "@import", "url(http"):
        assert fetching not in html
    assert '<bdi dir="rtl" lang="ar">عنب بلدي</bdi>' in html


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's Chromium, installed by the project's script when missing."""
    found = subprocess.run(
        [str(ROOT / "scripts" / "chromium.sh")], capture_output=True, text=True, timeout=900
    )
    assert found.returncode == 0, found.stderr
    return found.stdout.strip()


def test_chromium_renders_the_report(reported, chromium: str, tmp_path: Path) -> None:
    out, report = reported
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        complaints: list[str] = []
        page.on("console", lambda m: complaints.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda error: complaints.append(f"error: {error}"))
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri())
        check_rendering(page, out)
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        browser.close()
    assert complaints == []
    assert requests == [report.as_uri()]
    assert (tmp_path / "report.png").stat().st_size > 50_000


def check_rendering(page: Page, out: Path) -> None:
    expected = expected_bars(out)
    for chart, count in expected.items():
        assert page.locator(f'svg [id^="{chart}-bar-"]').count() == count, chart
    heights = page.eval_on_selector_all(
        "svg", "all => all.map(s => s.getBoundingClientRect().height)"
    )
    assert len(heights) == 5 and min(heights) > 80
    texts = page.evaluate(ARABIC_TEXTS)
    assert any(text == "عنب بلدي" for text, _, _ in texts)
    assert {(lang, direction) for _, lang, direction in texts} == {("ar", "rtl")}
