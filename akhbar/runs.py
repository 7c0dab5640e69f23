"""Crawls and imports from Python: the ``akhbar`` command run in a subprocess (a Twisted
reactor starts once per process, so a second crawl in-process is impossible), its run report
read back from ``<out>/runs.jsonl``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from scraper.crawl.defaults import AKHBAR_OUTPUT_DIR
from scraper.sites import get_site
from scraper.store.runs import RunReport, read_runs

#: The spider name of ``akhbar import`` runs in ``runs.jsonl``.
IMPORT_SPIDER = "import"
#: Lines of the log shown in a :class:`RunFailed` message.
LOG_TAIL = 20

PathLike = str | os.PathLike[str]


class RunFailed(RuntimeError):
    """The run ended without a report (bad input, a crash); ``log`` holds its output."""

    def __init__(self, message: str, log: Path) -> None:
        super().__init__(message)
        self.log = log


def crawl(
    site: str,
    out: PathLike = AKHBAR_OUTPUT_DIR,
    base_url: str | None = None,
    limit: int | None = None,
    since: str | date | None = None,
) -> RunReport:
    """Crawl a registered ``site`` (or its mirror at ``base_url``) into the dataset folder
    ``out``, as ``akhbar crawl`` does: incremental, crash-safe, the log in
    ``<out>/.akhbar/crawl.log``. ``limit`` stops after about that many records; ``since``
    (``YYYY-MM-DD``) passes over older sitemap and feed entries.

    Returns the run's report; an unhealthy run is reported (``report.ok`` is False), not
    raised. Raises :class:`RunFailed` when the run gave no report, ``KeyError`` for an
    unknown site.
    """
    get_site(site)  # an unknown site raises here, not in the subprocess
    arguments = [site]
    for flag, value in (("--base-url", base_url), ("--limit", limit), ("--since", since)):
        if value is not None:
            arguments += [flag, str(value)]
    return run_command("crawl", arguments, Path(out), site)


def import_(sources: PathLike | Iterable[PathLike], out: PathLike = AKHBAR_OUTPUT_DIR) -> RunReport:
    """Import ``sources`` into the dataset folder ``out`` as ``akhbar import`` does: article
    URLs, saved pages (.html, .html.gz), WARC archives (.warc, .warc.gz) or folders of them,
    through a crawl's parsers and pipelines (the log in ``<out>/.akhbar/import.log``).

    Returns the run's report; raises :class:`RunFailed` when the run gave no report (no
    usable source, a crash).
    """
    listed = [sources] if isinstance(sources, str | os.PathLike) else list(sources)
    return run_command("import", [os.fspath(s) for s in listed], Path(out), IMPORT_SPIDER)


def run_command(command: str, arguments: list[str], out: Path, spider: str) -> RunReport:
    """Run ``akhbar COMMAND ARGUMENTS --out OUT`` and return the report of its run."""
    before = len(read_runs(out))
    log = out / ".akhbar" / f"{command}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as handle:
        done = subprocess.run(
            [sys.executable, "-m", "scraper.cli", command, *arguments, "--out", str(out)],
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            check=False,
        )
    reports = [r for r in read_runs(out)[before:] if r.site == spider]
    if not reports:
        raise RunFailed(failure_message(command, done.returncode, log), log)
    return reports[-1]


def failure_message(command: str, status: int, log: Path) -> str:
    tail = log.read_text("utf-8", errors="replace").splitlines()[-LOG_TAIL:]
    return f"akhbar {command} exited with status {status} and no run report:\n" + "\n".join(tail)
