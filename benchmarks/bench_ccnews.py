"""CC-NEWS throughput: ``akhbar ccnews --local`` (filter, decode, parse, normalise, validate,
seen-store, near-duplicates, crash-safe write) with 1 and 2 worker processes, against a bare
warcio loop that only decodes the HTML, on the same generated WARC files, one after the other
in the same run; then a run killed with SIGKILL halfway and continued, checked for exactly
once. Target: 2 workers ≥ 1.7× 1 worker on 2 cores. Each kind runs three times in turns and
the fastest run counts; the CPU seconds are given too, as the machine may be shared.

    python -m benchmarks.bench_ccnews     # AKHBAR_BENCH_CCNEWS_ARTICLES=9000, _REPEATS=3
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from benchmarks.crawling import ROOT
from benchmarks.report import Row, print_table
from scraper.replica.ccnews import Month, build_month

ARTICLES = int(os.environ.get("AKHBAR_BENCH_CCNEWS_ARTICLES", "9000"))
WARCS = 6
#: Runs of each kind; the fastest counts (the machine may be shared).
REPEATS = int(os.environ.get("AKHBAR_BENCH_CCNEWS_REPEATS", "3"))
QUIET = ["--log-level", "WARNING", "-s", "REMOTE_CONTROL_ENABLED=False"]


@dataclass
class Run:
    seconds: float
    cpu: float
    pages: int

    @property
    def rate(self) -> float:
        return self.pages / self.seconds

    def figures(self) -> str:
        per_page = self.cpu / self.pages * 1000
        return (
            f"{self.rate:.0f} pages/s ({self.seconds:.1f} s, {self.cpu:.1f} CPU s,"
            f" {per_page:.2f} CPU ms a page)"
        )


def write_month(folder: Path) -> Month:
    days = [date(2024, 11, 1) + timedelta(days=n) for n in range(WARCS // 2)]
    month = build_month(days, 2, ARTICLES // WARCS)
    for path, members in month.warcs.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(b"".join(members))
    return month


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bare_warcio(folder: Path) -> Run:
    """Every HTML response of every WARC read and decoded, nothing else (one process)."""
    started, cpu = time.perf_counter(), time.process_time()
    pages = 0
    for path in sorted(folder.rglob("*.warc.gz")):
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if "html" in content_type:
                    charset = content_type.partition("charset=")[2] or "utf-8"
                    record.content_stream().read().decode(charset, "replace")
                    pages += 1
    return Run(time.perf_counter() - started, time.process_time() - cpu, pages)


def ccnews(folder: Path, out: Path, workers: int) -> tuple[subprocess.Popen[bytes], list[str]]:
    command = [sys.executable, "-m", "scraper.cli", "ccnews", "--local", str(folder)]
    command += ["--arabic-only", "--workers", str(workers), "--out", str(out), *QUIET]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return process, command


def records(out: Path) -> Counter[str]:
    return Counter(
        json.loads(line)["url"]
        for path in out.glob("*/*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
    )


def akhbar(folder: Path, out: Path, workers: int, expected: int) -> Run:
    started, cpu = time.perf_counter(), children_cpu()
    process, _ = ccnews(folder, out, workers)
    if process.wait() != 0:
        raise RuntimeError(f"akhbar ccnews --workers {workers} exited {process.returncode}")
    run = Run(time.perf_counter() - started, children_cpu() - cpu, sum(records(out).values()))
    if run.pages != expected:
        raise RuntimeError(f"akhbar wrote {run.pages} records of {expected}")
    return run


def fastest(folder: Path, work: Path, expected: int) -> tuple[Run, Run]:
    """The fastest of ``REPEATS`` runs with 1 and with 2 workers, taken in turns so that both
    meet the same load of a shared machine."""
    runs: dict[int, list[Run]] = {1: [], 2: []}
    for repeat in range(REPEATS):
        for workers in runs:
            out = work / f"w{workers}-{repeat}"
            runs[workers].append(akhbar(folder, out, workers, expected))
    best = {workers: min(found, key=lambda run: run.seconds) for workers, found in runs.items()}
    return best[1], best[2]


def checkpointed(out: Path) -> bool:
    """Whether a WARC was read to its end and another part of the way (a checkpoint)."""
    path = out / ".akhbar" / "ccnews.sqlite"
    if not path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            states = db.execute("SELECT state, resume_at FROM warcs").fetchall()
    except sqlite3.Error:
        return False
    return any(s == "done" for s, _ in states) and any(s == "reading" and at for s, at in states)


def killed_and_resumed(folder: Path, out: Path, expected: set[str]) -> str:
    process, command = ccnews(folder, out, 2)
    deadline = time.monotonic() + 300
    while not checkpointed(out) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    before = sum(records(out).values())
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    found = records(out)
    exact = set(found) == expected and max(found.values()) == 1
    after = sum(found.values())
    verdict = "exact" if exact else "NOT EXACT"
    return f"{verdict}: {before} records before the kill, {after} of {len(expected)} after"


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "warcs"
        month = write_month(folder)
        size = sum(p.stat().st_size for p in folder.rglob("*.warc.gz")) / 1e6
        bare = bare_warcio(folder)
        one, two = fastest(folder, Path(work), len(month.articles))
        kill = killed_and_resumed(folder, Path(work) / "kill", month.articles)
    described = f"{len(month.warcs)} WARCs, {size:.1f} MB, {len(month.articles):,} articles"
    return [
        {
            "benchmark": f"ccnews --local, 1 worker ({described}; pages/s)",
            "baseline": "bare warcio loop decoding the HTML",
            "ratio": one.rate / bare.rate,
            "figures": f"akhbar {one.figures()}, warcio {bare.figures()}",
        },
        {
            "benchmark": "ccnews --local, 2 workers (pages/s)",
            "baseline": "akhbar ccnews, 1 worker",
            "ratio": two.rate / one.rate,
            "figures": f"2 workers {two.figures()}, 1 worker {one.figures()}",
        },
        {
            "benchmark": "ccnews kill -9 halfway, then the same command",
            "baseline": "every article exactly once",
            "ratio": "exact" if kill.startswith("exact") else "FAILED",
            "figures": kill,
        },
    ]


if __name__ == "__main__":
    print_table(run())
