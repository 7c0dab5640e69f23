"""Distributed crawling on Redis: articles/s with 1, 2 and 4 workers sharing one frontier on
the loopback replica (ratios to 1 worker), and what Redis holds per million queued requests,
request fingerprints and seen-store entries (``INFO memory`` used_memory deltas).

    python -m benchmarks.bench_distributed   # AKHBAR_BENCH_DISTRIBUTED_ARTICLES=4000,
                                             # AKHBAR_BENCH_QUEUE_URLS=1000000 by default
Needs redis-server (``make redis`` installs it); each run starts its own on a free port.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import redis
from scrapy import Request
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue

from benchmarks.crawling import COMMON_SETTINGS, ROOT, _free_port, replica
from benchmarks.report import Row, print_table
from scraper.crawl.distributed.mode import redis_settings, worker_dir
from scraper.crawl.middlewares.skip_seen import ARTICLE, LASTMOD
from scraper.crawl.spiders.site import SiteSpider
from scraper.store.redis_seen import seen_value

ARTICLES = int(os.environ.get("AKHBAR_BENCH_DISTRIBUTED_ARTICLES", "4000"))
QUEUE_URLS = int(os.environ.get("AKHBAR_BENCH_QUEUE_URLS", "1000000"))
WORKERS = (1, 2, 4)
SITE = "enabbaladi"


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A redis-server of its own (scripts/redis.sh) on a free port, in a scratch folder."""
    script = str(ROOT / "scripts" / "redis.sh")
    with tempfile.TemporaryDirectory() as state:
        port = _free_port()
        env = {**os.environ, "REDIS_PORT": str(port), "REDIS_STATE": state}
        subprocess.run([script, "start"], env=env, check=True, stdout=subprocess.DEVNULL)
        try:
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            subprocess.run([script, "stop"], env=env, check=True, stdout=subprocess.DEVNULL)


def worker_command(url: str, base: str, out: Path, worker: str) -> list[str]:
    """``scrapy crawl`` as one worker, with the benchmark settings (no throttling)."""
    settings = {
        **COMMON_SETTINGS,
        **redis_settings(url, worker, idle_timeout=1),
        "AKHBAR_OUTPUT_DIR": str(worker_dir(out, worker)),
    }
    command = [sys.executable, "-m", "scrapy", "crawl", SITE, "-a", f"base_url={base}"]
    for key, value in settings.items():
        command += ["-s", f"{key}={json.dumps(value) if isinstance(value, dict) else value}"]
    return command


def distributed_crawl(url: str, base: str, out: Path, workers: int) -> float:
    """Articles/s of ``workers`` workers in steady state: from the first tenth of the articles
    in the seen-store to the last (process start-up and the idle wait left out)."""
    server = redis.Redis.from_url(url)
    server.flushall()
    seed = [sys.executable, "-m", "scraper.cli", "seed", SITE, "--redis", url, "--base-url", base]
    subprocess.run(seed, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    processes = [
        subprocess.Popen(worker_command(url, base, out, f"w{n}"), cwd=ROOT) for n in range(workers)
    ]
    marks: dict[int, float] = {}
    for target in (ARTICLES // 10, ARTICLES):
        while int(server.hlen(f"akhbar:{SITE}:seen")) < target:
            if all(p.poll() is not None for p in processes):
                raise RuntimeError(f"the workers stopped before writing {ARTICLES} articles")
            time.sleep(0.02)
        marks[target] = time.perf_counter()
    for process in processes:
        process.wait()
    return (ARTICLES - ARTICLES // 10) / (marks[ARTICLES] - marks[ARTICLES // 10])


def throughput_rows(url: str) -> list[Row]:
    rates: dict[int, float] = {}
    with replica(ARTICLES) as base:
        for workers in WORKERS:
            with tempfile.TemporaryDirectory() as work:
                rates[workers] = distributed_crawl(url, base, Path(work), workers)
    return [
        {
            "benchmark": f"distributed crawl, {n} worker(s), {ARTICLES:,} articles (articles/s)",
            "baseline": "1 worker",
            "ratio": rate / rates[1],
            "figures": f"{rate:.0f} articles/s, {os.cpu_count()} CPU cores shared with the replica",
        }
        for n, rate in rates.items()
    ]


def used_memory(server: redis.Redis) -> int:
    return int(server.info("memory")["used_memory"])


def memory_rows(url: str) -> list[Row]:
    """Redis memory per million requests queued through scrapy-redis's queue, fingerprints
    through its dupefilter, and seen-store entries."""
    server = redis.Redis.from_url(url)
    spider = SiteSpider(name=SITE)
    pipe = server.pipeline(transaction=False)
    queue = PriorityQueue(pipe, spider, "%(spider)s:requests")
    dupefilter = RFPDupeFilter(pipe, f"{SITE}:dupefilter")
    deltas: dict[str, int] = {}
    for name, add in (
        ("queued requests", lambda request: queue.push(request)),
        ("request fingerprints", lambda request: dupefilter.request_seen(request)),
        ("seen-store entries", lambda request: pipe.hset(f"akhbar:{SITE}:seen", request.url, SEEN)),
    ):
        server.flushall()
        before = used_memory(server)
        for number in range(QUEUE_URLS):
            add(article_request(spider, number))
            if number % 10_000 == 0:
                pipe.execute()
        pipe.execute()
        deltas[name] = used_memory(server) - before
    scale = 1_000_000 / QUEUE_URLS
    return [
        {
            "benchmark": f"Redis memory per 1M {name}",
            "baseline": "-",
            "ratio": "-",
            "figures": f"{delta * scale / 2**20:.0f} MiB ({QUEUE_URLS:,} pushed)",
        }
        for name, delta in deltas.items()
    ]


#: A typical seen-store value.
SEEN = seen_value(
    {
        "content_hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "version": 1,
        "modified": "2024-11-26T10:00:00+03:00",
    },
    None,
    "2024-11-26T10:05:00.123456+00:00",
)


def article_request(spider: SiteSpider, number: int) -> Request:
    return Request(
        f"https://www.enabbaladi.net/archives/{700000 + number}",
        callback=spider.parse_article,
        errback=spider.on_error,
        priority=10,
        meta={ARTICLE: True, LASTMOD: "2024-11-26T10:00:00+03:00"},
    )


def run() -> list[Row]:
    with redis_server() as url:
        return throughput_rows(url) + memory_rows(url)


if __name__ == "__main__":
    print_table(run())
