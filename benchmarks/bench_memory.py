"""Flat memory: peak RSS of the akhbar crawl process at 10,000 and at 100,000 replica
articles (the replica generates pages on demand). Target: RSS at 100k ≤ 1.2× RSS at 10k.

    python -m benchmarks.bench_memory     # AKHBAR_BENCH_SMALL / AKHBAR_BENCH_LARGE to resize
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from benchmarks.crawling import Run, akhbar_crawl, count_records, replica
from benchmarks.report import Row, print_table

SMALL = int(os.environ.get("AKHBAR_BENCH_SMALL", "10000"))
LARGE = int(os.environ.get("AKHBAR_BENCH_LARGE", "100000"))


def crawl(articles: int) -> Run:
    with replica(articles) as base, tempfile.TemporaryDirectory() as out:
        result = akhbar_crawl(base, Path(out))
        written = count_records(Path(out))
    if written != articles:
        raise RuntimeError(f"wrote {written} records of {articles}")
    return result


def run() -> list[Row]:
    small, large = crawl(SMALL), crawl(LARGE)
    return [
        {
            "benchmark": f"peak RSS of a {LARGE:,}-article crawl (lower is better)",
            "baseline": f"the same crawl of {SMALL:,} articles",
            "ratio": large.max_rss_mb / small.max_rss_mb,
            "figures": f"{large.max_rss_mb:.0f} MB vs {small.max_rss_mb:.0f} MB "
            f"({large.seconds:.0f} s vs {small.seconds:.0f} s)",
        }
    ]


if __name__ == "__main__":
    print_table(run())
