"""akhbar ccnews: Common Crawl's CC-NEWS WARC files for a date range (or WARC files on disk)
into the dataset, through the parsers, pipelines and seen-store of a crawl; in parallel,
resumable to the record, a shard per machine."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from scraper.cli.logs import add_log_arguments, log_settings
from scraper.crawl.ccnews.listing import (
    DEFAULT_BASE_URL,
    Shard,
    WarcFile,
    for_shard,
    local_warcs,
    remote_warcs,
)
from scraper.crawl.ccnews.reader import WARC_DAMAGE, Options, Selection, Task
from scraper.crawl.ccnews.remote import Retry, fetch
from scraper.crawl.ccnews.state import DONE, FAILED, RunState, state_path
from scraper.crawl.ccnews.workers import LogTo
from scraper.crawl.extensions.progress import skipped
from scraper.crawl.inputs import UsageError
from scraper.crawl.runner import CrawlOutcome, crawl, project_settings
from scraper.crawl.spiders.ccnews import BYTES, RESPONSES, SKIPPED, WARCS, Job
from scraper.sites import all_sites
from scraper.store.seen import store_path

HELP = "Read CC-NEWS WARC files (Common Crawl, a mirror, or on disk) into JSON Lines."
EXIT_INTERRUPTED = 130
MB = 1_000_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="first", type=day, help="first day captured (YYYY-MM-DD)")
    parser.add_argument("--to", dest="last", type=day, help="last day captured (YYYY-MM-DD)")
    parser.add_argument(
        "--sites",
        default="all",
        help="registered sites whose pages are read: all (the default) or NAME,NAME...",
    )
    parser.add_argument(
        "--arabic-only",
        action="store_true",
        help="also read the Arabic pages of every other host, with the generic extractor",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes reading WARC files, one WARC each (default: the number of cores)",
    )
    parser.add_argument("--out", type=Path, default=Path("output"), help="output folder")
    parser.add_argument(
        "--base-url",
        default=DEFAULT_BASE_URL,
        help=f"where crawl-data/CC-NEWS/... is (default {DEFAULT_BASE_URL})",
    )
    parser.add_argument(
        "--local", type=Path, metavar="DIR", help="read the WARC files under DIR instead"
    )
    parser.add_argument(
        "--shard", type=shard, default=Shard(), metavar="I/N", help="read part I of N (1/4...)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="read every WARC again, and pages the dataset already holds",
    )
    parser.add_argument("--retries", type=int, default=5, help="retries of a download (5)")
    parser.add_argument(
        "--retry-wait", type=float, default=2.0, help="seconds before the first retry (doubled)"
    )
    parser.add_argument(
        "--keep-warcs", type=Path, metavar="DIR", help="keep a copy of each WARC read, in DIR"
    )
    parser.add_argument(
        "-s",
        "--set",
        dest="settings",
        type=setting,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Scrapy or akhbar setting, e.g. AKHBAR_WRITE_INTERVAL=1 (repeatable)",
    )
    add_log_arguments(parser, "ccnews")


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {text}") from None


def shard(text: str) -> Shard:
    try:
        return Shard.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"not NAME=VALUE: {text}")
    return name.strip(), value


def chosen_sites(text: str) -> frozenset[str]:
    known = all_sites()
    if text.strip() == "all":
        return frozenset(known)
    names = frozenset(name.strip() for name in text.split(",") if name.strip())
    if unknown := sorted(names - set(known)):
        raise UsageError(f"--sites: unknown {', '.join(unknown)}; known: {', '.join(known)}")
    return names


def check(args: argparse.Namespace) -> None:
    """Raise :class:`UsageError` for arguments that name nothing to read."""
    if args.local is None and (args.first is None or args.last is None):
        raise UsageError("give the days to read (--from and --to), or --local DIR")
    if args.first and args.last and args.first > args.last:
        raise UsageError(f"--from {args.first} is after --to {args.last}")
    if args.local is not None and not args.local.is_dir():
        raise UsageError(f"--local {args.local}: no such folder")
    if args.workers < 1 or args.retries < 0 or args.retry_wait < 0:
        raise UsageError("--workers must be 1 or more, --retries and --retry-wait 0 or more")


@dataclass
class Listing:
    warcs: list[WarcFile]
    #: (where, what is wrong) for indexes that could not be read.
    problems: list[tuple[str, str]] = field(default_factory=list)


def listing(args: argparse.Namespace, retry: Retry) -> Listing:
    if args.local is not None:
        found = Listing(local_warcs(args.local, args.first, args.last))
    else:
        warcs, problems = remote_warcs(
            args.base_url, args.first, args.last, lambda url: fetch(url, retry)
        )
        found = Listing(warcs, problems)
    found.warcs = for_shard(found.warcs, args.shard)
    return found


def crawl_settings(args: argparse.Namespace, terminal: bool) -> dict[str, Any]:
    return {
        **dict(args.settings),
        **log_settings(args, terminal, "ccnews"),
        "AKHBAR_FORCE": args.force,
    }


def job(
    args: argparse.Namespace, tasks: list[Task], settings: dict[str, Any], terminal: bool
) -> Job:
    selection = Selection(
        chosen_sites(args.sites),
        arabic_only=args.arabic_only,
        seen_store=None if args.force else str(store_path(args.out)),
    )
    retry = Retry(attempts=args.retries, wait=args.retry_wait)
    keep = str(args.keep_warcs) if args.keep_warcs else None
    project = project_settings(**settings)
    return Job(
        tasks,
        Options(selection, retry, keep),
        state_path(args.out),
        workers=args.workers,
        log=LogTo(settings["LOG_FILE"], project.get("LOG_LEVEL")),
        progress="bar" if terminal else "log",
        progress_interval=project.getfloat("AKHBAR_PROGRESS_INTERVAL", 10.0),
        checkpoint_interval=project.getfloat("AKHBAR_WRITE_INTERVAL", 5.0),
    )


@dataclass
class Report:
    """What ``akhbar ccnews`` tells at the end."""

    out: Path
    listed: int
    left_out: Counter[str]
    unfinished: int
    problems: list[tuple[str, str]]
    outcome: CrawlOutcome | None = None

    def table(self) -> Table:
        stats = self.outcome.stats if self.outcome else {}
        table = Table(title=f"ccnews into {self.out}", show_header=False)
        table.add_column("what")
        table.add_column("count", justify="right")
        rows = [
            ("WARC files", self.listed),
            ("WARCs read to the end", stats.get(WARCS + DONE, 0)),
            ("WARCs read before", self.left_out[DONE]),
            ("WARCs failed", stats.get(WARCS + FAILED, 0) + self.left_out["given up"]),
            ("WARCs unfinished", self.unfinished),
            ("indexes unreadable", len(self.problems)),
            ("MB read", f"{stats.get(BYTES, 0) / MB:.1f}"),
            ("responses", stats.get(RESPONSES, 0)),
            ("written", self.outcome.written if self.outcome else 0),
            ("skipped: already in the dataset", skipped(stats)),
            ("failed", self.outcome.failed if self.outcome else 0),
        ]
        rows += [
            (f"  {reason}", count)
            for reason, count in sorted(
                self.outcome.failures_by_reason.items() if self.outcome else ()
            )
        ]
        rows += [
            (f"skipped: {kind.removeprefix(SKIPPED)}", count)
            for kind, count in sorted(stats.items())
            if kind.startswith(SKIPPED)
        ]
        for what, count in rows:
            table.add_row(what, str(count))
        return table

    def show(self) -> None:
        for where, what in self.problems:
            print(f"akhbar ccnews: {where}: {what}", file=sys.stderr)
        console = Console(width=None if sys.stdout.isatty() else 160)  # pipes: no truncation
        console.print(self.table())
        if self.outcome and self.outcome.failed:
            console.print(f"failures: {self.out / 'failures.jsonl'}")
        if self.interrupted:
            console.print("interrupted: run the same command again to continue")

    @property
    def interrupted(self) -> bool:
        return self.outcome is not None and self.outcome.finish_reason == "shutdown"

    def exit_code(self) -> int:
        if self.interrupted:
            return EXIT_INTERRUPTED
        stats = self.outcome.stats if self.outcome else {}
        failed = stats.get(WARCS + FAILED, 0) + self.left_out["given up"]
        reasons = self.outcome.failures_by_reason if self.outcome else {}
        damaged = any(reason in WARC_DAMAGE for reason in reasons)
        return 1 if failed or damaged or self.unfinished or self.problems else 0


def unfinished(out: Path, warcs: list[WarcFile]) -> int:
    state = RunState(state_path(out))
    try:
        marks = state.marks()
    finally:
        state.close()
    return sum(
        1 for w in warcs if w.key not in marks or marks[w.key][0].state not in (DONE, FAILED)
    )


def run(args: argparse.Namespace) -> int:
    terminal = sys.stderr.isatty()
    try:
        check(args)
        chosen_sites(args.sites)
    except UsageError as exc:
        print(f"akhbar ccnews: {exc}", file=sys.stderr)
        return 2
    found = listing(args, Retry(attempts=args.retries, wait=args.retry_wait))
    if not found.warcs:
        print("akhbar ccnews: no WARC files to read", file=sys.stderr)
    max_attempts = project_settings(**dict(args.settings)).getint("AKHBAR_MAX_ATTEMPTS", 3)
    state = RunState(state_path(args.out))
    try:
        tasks, left_out = state.tasks(found.warcs, max_attempts, again=args.force)
    finally:
        state.close()
    report = Report(args.out, len(found.warcs), left_out, 0, found.problems)
    if tasks:
        settings = crawl_settings(args, terminal)
        report.outcome = crawl(
            "ccnews", args.out, settings=settings, job=job(args, tasks, settings, terminal)
        )
    report.unfinished = unfinished(args.out, [task.warc for task in tasks])
    report.show()
    return report.exit_code()
