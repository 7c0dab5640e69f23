"""How far each WARC file got: ``<out>/.akhbar/ccnews.sqlite``, written by the ``ccnews``
spider only (one writer), and only once the records before the saved offset are durable
(see ``CCNewsSpider.checkpoint``). A killed run thus continues every WARC at the record where
its last checkpoint was, and never reads a finished WARC again.

``warcs``: WARC key → where to read on (byte offset of the next record), its size when known,
its state (``reading``, ``done``, ``failed``), the failed attempts and why the last one failed.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from scraper.crawl.ccnews.listing import WarcFile
from scraper.crawl.ccnews.reader import DONE, FAILED, Task

SCHEMA = """
CREATE TABLE IF NOT EXISTS warcs (
    key TEXT PRIMARY KEY, resume_at INTEGER NOT NULL, size INTEGER, state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, detail TEXT, updated TEXT NOT NULL
) WITHOUT ROWID;
"""
READING = "reading"


def state_path(out: Path) -> Path:
    return out / ".akhbar" / "ccnews.sqlite"


@dataclass(frozen=True)
class Mark:
    """What a checkpoint saves of a WARC: where to read on, and its state."""

    resume_at: int
    size: int | None = None
    state: str = READING
    detail: str | None = None


class RunState:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def marks(self) -> dict[str, tuple[Mark, int]]:
        """Every WARC's mark and failed attempts."""
        query = "SELECT key, resume_at, size, state, detail, attempts FROM warcs"
        return {row[0]: (Mark(*row[1:5]), row[5]) for row in self.db.execute(query)}

    def tasks(
        self, warcs: list[WarcFile], max_attempts: int, again: bool = False
    ) -> tuple[list[Task], Counter[str]]:
        """What is left to read of ``warcs`` (all of them from the start when ``again``), and
        how many were left out: ``done`` before, ``given up`` after ``max_attempts`` failures."""
        marks = {} if again else self.marks()
        tasks, left_out = [], Counter[str]()
        for warc in warcs:
            mark, attempts = marks.get(warc.key, (Mark(0), 0))
            if mark.state == DONE:
                left_out[DONE] += 1
            elif mark.state == FAILED and attempts >= max_attempts:
                left_out["given up"] += 1
            else:
                tasks.append(Task(warc, mark.resume_at))
        return tasks, left_out

    def save(self, marks: dict[str, Mark]) -> None:
        """Record ``marks`` in one transaction (a failed WARC counts one more attempt)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = [
            (key, m.resume_at, m.size, m.state, int(m.state == FAILED), m.detail, now)
            for key, m in marks.items()
        ]
        self.db.execute("BEGIN")
        self.db.executemany(
            """INSERT INTO warcs VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET
               resume_at = excluded.resume_at, size = coalesce(excluded.size, size),
               state = excluded.state, attempts = attempts + excluded.attempts,
               detail = excluded.detail, updated = excluded.updated""",
            rows,
        )
        self.db.execute("COMMIT")
