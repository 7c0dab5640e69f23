"""A flaky server: 500 articles, a fifth of the requests for them answered (seeded at random)
with a 5xx, a stall, a reset, or half a body. After retries and one re-run, every article is
written exactly once or listed in failures.jsonl, and the two add up to 500."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from scraper.replica.enabbaladi_pages import EnabBaladiReplica
from tests import hostile
from tests.conftest import read_records, run_scrapy

ARTICLES = 500
RATE = 0.2
SEED = "akhbar-flaky"
SETTINGS = {
    "DOWNLOAD_TIMEOUT": "1",
    "RETRY_TIMES": "1",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
}
_ARTICLE = re.compile(r"/archives/\d+/?$")
#: Both tests read the same two crawls: one xdist worker (``--dist loadgroup``) runs them.
pytestmark = pytest.mark.xdist_group("flaky_crawl")


def flaky_route(replica: EnabBaladiReplica):
    """The replica, its article pages flaky; discovery pages always answer."""

    def route(path: str) -> hostile.Action:
        status, content_type, text = replica.route(path)
        if status == 200 and _ARTICLE.match(path):
            return hostile.flaky(content_type, text.encode(), RATE, SEED, hold=5)
        return hostile.page(text, status, content_type)

    return route


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("flaky")
    replica = EnabBaladiReplica("", ARTICLES)
    with hostile.serving(flaky_route(replica)) as server:
        replica.base = server.base_url
        for _ in range(2):  # a run, and one re-run
            result = run_scrapy(
                "crawl",
                "enabbaladi",
                "-a",
                f"base_url={server.base_url}",
                settings={**SETTINGS, "AKHBAR_OUTPUT_DIR": str(out)},
                timeout=120,
            )
            assert result.returncode == 0, result.stderr[-3000:]
    return replica, server, out


def test_every_article_is_written_once_or_listed_as_failed(crawled):
    replica, _, out = crawled
    everything = {replica.url(n) for n in range(1, ARTICLES + 1)}
    written = Counter(r["url"] for r in read_records(out))
    assert max(written.values()) == 1, "an article was written twice"
    listed = {f["url"] for f in lines(out / "failures.jsonl")}
    failed = listed - set(written)
    assert set(written) | failed == everything
    assert len(written) + len(failed) == ARTICLES
    first, second = lines(out / "runs.jsonl")
    assert first["records_written"] + second["records_written"] == len(written)
    assert sum(second["failures"].values()) == len(failed), "the re-run lists what is still missing"
    print(
        f"flaky server: run 1 wrote {first['records_written']}, failed {first['failures']};"
        f" after the re-run {len(written)} written, {len(failed)} failed, {ARTICLES} in all"
    )


def test_the_faults_really_happened_and_were_retried(crawled):
    _, server, out = crawled
    first, _ = lines(out / "runs.jsonl")
    article_hits = sum(n for path, n in server.hits.items() if _ARTICLE.match(path))
    assert article_hits > ARTICLES * 1.15, "about a fifth of the requests must have failed"
    assert sum(first["failures"].values()) > 0
    assert set(first["failures"]) <= {
        "http_500",
        "http_502",
        "http_503",
        "timeout",
        "connection_lost",
        "truncated",
    }
