"""End to end: the Enab Baladi spider crawls the 200-article replica over real HTTP."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from scraper.core.record import validate
from scraper.replica.enabbaladi import FIRST_ID, expected
from tests.conftest import read_records, run_cli, run_scrapy

COMPARED = (
    "version",
    "url",
    "site",
    "title",
    "published",
    "published_raw",
    "section",
    "tags",
    "authors",
    "lead",
    "body",
    "images",
    "related",
)


@pytest.fixture(scope="module")
def crawled(enabbaladi_replica, tmp_path_factory: pytest.TempPathFactory):
    tmp_path = tmp_path_factory.mktemp("crawl")
    replica, server = enabbaladi_replica
    result = run_scrapy(
        "crawl",
        "enabbaladi",
        "-a",
        f"base_url={server.base_url}",
        settings={"AKHBAR_OUTPUT_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return replica, server, read_records(tmp_path), tmp_path, result


def test_every_article_exactly_once_with_every_field(crawled):
    replica, server, records, out, _ = crawled
    urls = Counter(r["url"] for r in records)
    assert [u for u, n in urls.items() if n > 1] == []
    assert set(urls) == {replica.url(n) for n in range(1, replica.articles + 1)}
    by_url = {r["url"]: r for r in records}
    for number in range(1, replica.articles + 1):
        truth = expected(replica.article(number), server.base_url)
        got = {key: by_url[truth["url"]][key] for key in COMPARED}
        assert got == truth, f"article {number}"
    for record in records:
        validate(record)
    assert not (out / "failures.jsonl").exists()


def test_records_are_filed_by_day_of_publication(crawled):
    _, _, records, out, _ = crawled
    for record in records:
        day = record["published"][:10]
        lines = (out / "enabbaladi" / f"{day}.jsonl").read_text(encoding="utf-8").splitlines()
        assert record["url"] in {json.loads(line)["url"] for line in lines}


def test_discovery_uses_the_sites_own_channels(crawled):
    _, server, _, _, _ = crawled
    for path in (
        "/robots.txt",
        "/sitemap_index.xml",
        "/news-sitemap.xml",
        "/feed/",
        "/archives/category/online",
        "/archives/category/online/page/10",
    ):
        assert server.hits.get(path), f"{path} was not fetched"
    article_hits = [n for path, n in server.hits.items() if path.startswith("/archives/7")]
    assert len(article_hits) == 200 and set(article_hits) == {1}


def test_visible_date_is_used_when_metadata_is_missing(crawled):
    replica, _, records, _, _ = crawled
    number = 13  # every tenth article from the third lacks meta and JSON-LD dates
    assert not replica.article(number).has_metadata
    record = next(r for r in records if r["url"] == replica.url(number))
    assert record["published"] == replica.article(number).published.isoformat()
    assert record["published"].endswith("+03:00")


def test_extract_on_a_saved_page_gives_the_crawled_record(crawled, tmp_path: Path):
    replica, _, records, _, _ = crawled
    url = replica.url(42)
    saved = tmp_path / "saved.html"
    saved.write_text(replica.route(f"/archives/{FIRST_ID + 42}")[2], encoding="utf-8")
    result = run_cli("extract", str(saved), "--url", url)
    assert result.returncode == 0, result.stderr
    extracted = json.loads(result.stdout)
    crawled_record = next(r for r in records if r["url"] == url)
    extracted.pop("fetched_at"), crawled_record.pop("fetched_at")
    assert extracted == crawled_record
