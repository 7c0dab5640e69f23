"""Shared by the crawl benchmarks: a replica in its own process, and timed crawl processes."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The same knobs for akhbar and the baseline: no throttling, the same concurrency.
COMMON_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "WARNING",
    "REMOTE_CONTROL_ENABLED": "False",
    "TELNETCONSOLE_ENABLED": "False",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def replica(articles: int) -> Iterator[str]:
    """The Enab Baladi replica served by ``akhbar replica`` in a process of its own."""
    port = _free_port()
    command = [sys.executable, "-m", "scraper.cli", "replica", "enabbaladi"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--articles", str(articles)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{base}/robots.txt", timeout=1).close()
                break
            time.sleep(0.05)
        yield base
    finally:
        server.terminate()
        server.wait()


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    #: CPU time of the crawl process, user + system (from wait4's rusage).
    cpu_seconds: float


def timed(command: list[str], settings: dict[str, str], cwd: Path = ROOT) -> Run:
    """Run a crawl process; its wall time, and its peak resident memory and CPU time (from
    wait4's rusage)."""
    for key, value in {**COMMON_SETTINGS, **settings}.items():
        command += ["-s", f"{key}={value}"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"crawl failed ({status}): {' '.join(command)}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def akhbar_crawl(base: str, out: Path, **settings: str) -> Run:
    command = [sys.executable, "-m", "scrapy", "crawl", "enabbaladi", "-a", f"base_url={base}"]
    return timed(command, {"AKHBAR_OUTPUT_DIR": str(out), **settings})


def bare_crawl(base: str, workdir: Path) -> Run:
    """The baseline, run outside the project so that none of akhbar's settings apply."""
    spider = str(ROOT / "benchmarks" / "bare_spider.py")
    command = [sys.executable, "-m", "scrapy", "runspider", spider, "-a", f"base={base}"]
    return timed(command, {}, cwd=workdir)


def count_records(out: Path) -> int:
    return sum(1 for path in out.glob("*/*.jsonl") for _ in path.open(encoding="utf-8"))
