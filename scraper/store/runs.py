"""The logs of a dataset folder, read back: ``runs.jsonl`` (one line per crawl or import, written
by the run-report extension) as typed :class:`RunReport`\\ s, and ``failures.jsonl``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

RUNS_FILE = "runs.jsonl"
FAILURES_FILE = "failures.jsonl"


@dataclass(frozen=True)
class RunReport:
    """How one run went: its line of ``runs.jsonl`` (see the README's "Scheduled crawls").

    ``health`` is ``"ok"``, or ``"failed"`` with the reasons in ``problems`` (parser coverage
    below the site's minimum, too many failures, a run stopped early).
    """

    site: str
    start: datetime
    end: datetime
    finish_reason: str
    pages_fetched: int = 0
    records_written: int = 0
    records_changed: int = 0
    skipped_seen: int = 0
    older_than_since: int = 0
    #: Articles that gave no record, by reason (``http_404``, ``timeout``, ...).
    failures: dict[str, int] = field(default_factory=dict)
    #: Share of the records written that have each field.
    coverage: dict[str, float] = field(default_factory=dict)
    #: Share of the records whose field came from the site's own parser, not a fallback.
    parser_coverage: dict[str, float] = field(default_factory=dict)
    pages_per_second: float = 0.0
    health: str = "ok"
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.health == "ok"

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    @classmethod
    def from_line(cls, line: dict[str, Any]) -> RunReport:
        """The report of a ``runs.jsonl`` line; keys this version does not know are ignored."""
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in line.items() if key in known}
        values["start"] = datetime.fromisoformat(line["start"])
        values["end"] = datetime.fromisoformat(line["end"])
        return cls(**values)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSON Lines log, none when it is absent; a line torn by a crash is
    passed over."""
    if not path.exists():
        return []
    found = []
    for line in path.read_text("utf-8").splitlines():
        try:
            found.append(json.loads(line))
        except ValueError:
            continue
    return found


def read_runs(folder: Path) -> list[RunReport]:
    """The runs of a dataset folder, oldest first."""
    return [RunReport.from_line(line) for line in read_jsonl(folder / RUNS_FILE)]


def read_failures(folder: Path) -> list[dict[str, Any]]:
    """Every failure of the folder's runs, oldest first: ``url``, ``reason``, ``detail``,
    ``time`` and ``attempts`` (a URL that failed again is listed again)."""
    return read_jsonl(folder / FAILURES_FILE)
