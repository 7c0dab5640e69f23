"""Distributed crawling on a real Redis: three worker processes share one frontier and give one
dataset with every article exactly once, even when a worker is killed with SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from scrapy import Request
from scrapy.settings import Settings
from scrapy.utils.misc import load_object

from scraper.crawl.distributed.frontier import Frontier, ReliableQueue
from scraper.crawl.distributed.mode import redis_settings
from scraper.crawl.extensions.seen_store import SeenStoreExtension
from scraper.crawl.runner import project_settings
from scraper.crawl.spiders.site import SiteSpider
from scraper.dataset.merge import merge
from scraper.replica.enabbaladi_pages import EnabBaladiReplica
from scraper.replica.server import ReplicaServer, serving
from tests.conftest import ROOT, read_records, run_cli

ARTICLES = 1000
SCRIPT = ROOT / "scripts" / "redis.sh"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A redis-server of its own on a free port, installed (Debian's redis-server, when
    missing), started and stopped by scripts/redis.sh."""
    port = _free_port()
    env = {**os.environ, "REDIS_PORT": str(port), "REDIS_STATE": str(tmp_path_factory.mktemp("r"))}
    started = subprocess.run([SCRIPT, "start"], env=env, capture_output=True, text=True)
    if started.returncode != 0:
        pytest.skip(f"redis-server could not be installed or started: {started.stderr[-2000:]}")
    yield f"redis://127.0.0.1:{port}/0"
    subprocess.run([SCRIPT, "stop"], env=env, capture_output=True, check=True)


@pytest.fixture
def db(redis_url: str) -> redis.Redis:
    server = redis.Redis.from_url(redis_url)
    server.flushall()
    return server


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[EnabBaladiReplica, ReplicaServer]]:
    replica = EnabBaladiReplica("", ARTICLES)
    with serving(replica) as server:
        yield replica, server


def start_worker(url: str, base: str, out: Path, worker: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "scraper.cli", "crawl", "enabbaladi", "--redis", url]
    options = ["--base-url", base, "--out", str(out), "--worker-id", worker]
    log = (out / f"{worker}.log").open("ab")
    return subprocess.Popen(
        [*command, *options, "--idle-timeout", "1"], cwd=ROOT, stdout=log, stderr=log
    )


def seed(url: str, base: str) -> None:
    result = run_cli("seed", "enabbaladi", "--redis", url, "--base-url", base)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]


def article_hits(server: ReplicaServer) -> int:
    return sum(n for path, n in list(server.hits.items()) if path.startswith("/archives/7"))


def finish(workers: list[subprocess.Popen[bytes]], out: Path) -> None:
    for n, worker in enumerate(workers, 1):
        assert worker.wait(timeout=180) == 0, (out / f"w{n}.log").read_text()[-3000:]


def assert_exactly_once(replica: EnabBaladiReplica, out: Path) -> None:
    assert merge(out) == ARTICLES
    urls = Counter(record["url"] for record in read_records(out))
    assert set(urls) == {replica.url(n) for n in range(1, ARTICLES + 1)}
    assert max(urls.values()) == 1
    assert merge(out) == ARTICLES  # idempotent
    assert len(read_records(out)) == ARTICLES


def assert_frontier_empty(db: redis.Redis) -> None:
    left = [key for key in db.keys("enabbaladi:requests*") if db.type(key) != b"none"]
    assert left == [], left


def test_three_workers_write_every_article_exactly_once(site, redis_url, db, tmp_path) -> None:
    replica, server = site
    seed(redis_url, server.base_url)
    workers = [start_worker(redis_url, server.base_url, tmp_path, f"w{n}") for n in (1, 2, 3)]
    finish(workers, tmp_path)

    assert_exactly_once(replica, tmp_path)
    shares = [len(read_records(tmp_path / "workers" / f"w{n}")) for n in (1, 2, 3)]
    assert sum(1 for share in shares if share) >= 2, f"the work was not shared: {shares}"
    assert_frontier_empty(db)
    assert db.hlen("akhbar:enabbaladi:seen") == ARTICLES
    assert all((tmp_path / "workers" / f"w{n}" / "runs.jsonl").exists() for n in (1, 2, 3))


def test_worker_killed_halfway_and_restarted_loses_nothing(site, redis_url, db, tmp_path) -> None:
    replica, server = site
    seed(redis_url, server.base_url)
    start = article_hits(server)
    workers = [start_worker(redis_url, server.base_url, tmp_path, f"w{n}") for n in (1, 2, 3)]
    deadline = time.monotonic() + 120
    while article_hits(server) - start < ARTICLES // 2:
        assert time.monotonic() < deadline, "the crawl never got halfway"
        time.sleep(0.01)
    os.kill(workers[1].pid, signal.SIGKILL)
    workers[1].wait()
    workers[1] = start_worker(redis_url, server.base_url, tmp_path, "w2")
    finish(workers, tmp_path)

    assert_exactly_once(replica, tmp_path)
    assert_frontier_empty(db)


def test_a_dead_workers_requests_are_queued_again(db) -> None:
    spider = SiteSpider(name="enabbaladi")
    spider.settings = Settings({"AKHBAR_WORKER_ID": "dead"})
    queue = ReliableQueue(db, spider, "%(spider)s:requests")
    queue.push(Request("https://www.enabbaladi.net/archives/1", callback=spider.parse_article))
    popped = queue.pop()
    assert popped is not None and db.zcard(queue.key) == 0
    assert db.hlen(queue.frontier.processing()) == 1
    queue.frontier.join(ttl=0.05)
    time.sleep(0.1)

    live = Frontier(db, queue.key, "live")
    assert live.reap() == 1
    again = queue.pop()
    assert again is not None and again.url == popped.url
    queue.frontier.ack(again.meta["akhbar_redis_token"])
    assert live.pending() == 0


def test_merge_keeps_the_highest_version_once(tmp_path) -> None:
    def record(version: int, digest: str) -> dict[str, object]:
        url = "https://www.enabbaladi.net/archives/1"
        return {
            "url": url,
            "site": "enabbaladi",
            "published": "2024-01-02T10:00:00+03:00",
            "version": version,
            "content_hash": digest,
            "fetched_at": f"2024-01-0{version}",
        }

    for worker, records in {"a": [record(1, "x")], "b": [record(1, "x"), record(2, "y")]}.items():
        folder = tmp_path / "workers" / worker / "enabbaladi"
        folder.mkdir(parents=True)
        lines = "".join(json.dumps(r) + "\n" for r in records)
        (folder / "2024-01-02.jsonl").write_text(lines + '{"url": "trunc', encoding="utf-8")
    assert merge(tmp_path) == 1
    assert merge(tmp_path) == 1
    [kept] = read_records(tmp_path)
    assert (kept["version"], kept["content_hash"]) == (2, "y")


def test_worker_settings_keep_the_project_components() -> None:
    settings = project_settings(**redis_settings("redis://127.0.0.1:1/0", "w1"))
    [addon] = settings.getdict("ADDONS")
    load_object(addon)().update_settings(settings)
    assert (
        settings.getdict("DOWNLOADER_MIDDLEWARES")[
            "scraper.crawl.middlewares.skip_seen.SkipSeenArticles"
        ]
        == 50
    )
    extensions = settings.getdict("EXTENSIONS")
    assert "scraper.crawl.extensions.run_report.RunReport" in extensions
    assert extensions[SeenStoreExtension] is None
