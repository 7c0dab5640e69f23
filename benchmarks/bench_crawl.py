"""Crawl throughput: the full akhbar pipeline (parse, normalise, validate, seen-store,
near-duplicates, crash-safe write) against a bare Scrapy SitemapSpider that only yields the
URL, on the same loopback replica, one after the other in the same run. Target: ≥ 0.9×.
Beside the wall-clock ratio, the CPU time (user + system) of each crawl process per article.

    python -m benchmarks.bench_crawl          # AKHBAR_BENCH_ARTICLES=10000 by default
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from benchmarks.crawling import Run, akhbar_crawl, bare_crawl, count_records, replica
from benchmarks.report import Row, print_table

ARTICLES = int(os.environ.get("AKHBAR_BENCH_ARTICLES", "10000"))


def cpu_ms(run: Run) -> str:
    """CPU milliseconds (user + system) the crawl process spent per article."""
    return f"{run.cpu_seconds * 1000 / ARTICLES:.2f}"


def run() -> list[Row]:
    with replica(ARTICLES) as base, tempfile.TemporaryDirectory() as work:
        bare = bare_crawl(base, Path(work))
        ours = akhbar_crawl(base, Path(work) / "out")
        written = count_records(Path(work) / "out")
    if written != ARTICLES:
        raise RuntimeError(f"akhbar wrote {written} records of {ARTICLES}")
    ours_rate, bare_rate = ARTICLES / ours.seconds, ARTICLES / bare.seconds
    return [
        {
            "benchmark": f"crawl {ARTICLES:,} replica articles (articles/s)",
            "baseline": "bare Scrapy SitemapSpider yielding URLs",
            "ratio": ours_rate / bare_rate,
            "figures": f"akhbar {ours_rate:.0f}/s ({ours.seconds:.1f} s, "
            f"{cpu_ms(ours)} CPU ms/article), bare {bare_rate:.0f}/s ({bare.seconds:.1f} s, "
            f"{cpu_ms(bare)} CPU ms/article)",
        }
    ]


if __name__ == "__main__":
    print_table(run())
