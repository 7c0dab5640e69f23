"""kill -9 at any moment, then a re-run: every article exactly once, every file whole."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from scraper.replica.enabbaladi_pages import EnabBaladiReplica
from scraper.replica.server import serving
from tests.conftest import ROOT, read_records, run_cli

ARTICLES = 1000


@pytest.fixture(scope="module")
def site():
    replica = EnabBaladiReplica("", ARTICLES)
    with serving(replica) as server:
        yield replica, server


def article_hits(server) -> int:
    return sum(n for path, n in list(server.hits.items()) if path.startswith("/archives/7"))


def crawl_until_killed(server, out: Path, after_hits: int) -> None:
    """Start a crawl and SIGKILL it once the replica has served ``after_hits`` articles."""
    start = article_hits(server)
    command = [sys.executable, "-m", "scraper.cli", "crawl", "enabbaladi"]
    process = subprocess.Popen(
        [*command, "--base-url", server.base_url, "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while article_hits(server) - start < after_hits and process.poll() is None:
        assert time.monotonic() < deadline, "the crawl never got that far"
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.parametrize("after_hits", [40, 450, 930])
def test_kill_9_then_rerun_gives_every_article_exactly_once(site, tmp_path, after_hits):
    replica, server = site
    crawl_until_killed(server, tmp_path, after_hits)
    killed_with = len(read_records(tmp_path))
    assert killed_with < ARTICLES

    result = run_cli("crawl", "enabbaladi", "--base-url", server.base_url, "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]

    for path in (tmp_path / "enabbaladi").iterdir():
        assert path.suffix == ".jsonl", f"left behind: {path.name}"
        text = path.read_text("utf-8")
        assert text.endswith("\n")
        [json.loads(line) for line in text.splitlines()]  # every line parses
    urls = Counter(r["url"] for r in read_records(tmp_path))
    assert set(urls) == {replica.url(n) for n in range(1, ARTICLES + 1)}
    assert max(urls.values()) == 1
