"""The seen-store: what a dataset folder already holds, so scheduled runs fetch only what is new.

One SQLite file per output folder (``<out>/.akhbar/seen.sqlite``, WAL mode):

- ``seen``: canonical URL → content hash, version, dates, and the file its line is in;
- ``pending``: lines being written; promoted to ``seen`` only once their file is durable, and
  reconciled with the files after a crash (see ``recover``);
- ``failures``: URLs that gave no record, with attempts, so later runs retry a few times.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (
    url TEXT PRIMARY KEY, content_hash TEXT NOT NULL, version INTEGER NOT NULL,
    modified TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, path TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending (
    url TEXT PRIMARY KEY, content_hash TEXT NOT NULL, version INTEGER NOT NULL,
    modified TEXT, path TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS failures (
    url TEXT PRIMARY KEY, attempts INTEGER NOT NULL, reason TEXT NOT NULL, time TEXT NOT NULL
) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class Seen:
    content_hash: str
    version: int
    modified: str | None


@dataclass(frozen=True)
class Entry:
    """A record line about to be written to ``path``."""

    url: str
    content_hash: str
    version: int
    modified: str | None
    path: str


class SeenStoreLike(Protocol):
    """What the crawl asks of a seen-store, on SQLite (`SeenStore`) or on Redis
    (`scraper.store.redis_seen.RedisSeenStore`)."""

    def get(self, url: str) -> Seen | None: ...
    def __contains__(self, url: str) -> bool: ...
    def known_before(self, url: str, instant: str) -> bool: ...
    def __len__(self) -> int: ...
    def stage(self, entries: Iterable[Entry]) -> None: ...
    def commit_staged(self) -> int: ...
    def recover(self) -> tuple[int, int]: ...
    def record_failure(self, url: str, reason: str) -> int: ...
    def retryable(self, max_attempts: int) -> Iterator[str]: ...
    def close(self) -> None: ...


def store_path(out: Path) -> Path:
    return out / ".akhbar" / "seen.sqlite"


class SeenStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def get(self, url: str) -> Seen | None:
        row = self.db.execute(
            "SELECT content_hash, version, modified FROM seen WHERE url = ?", (url,)
        ).fetchone()
        return Seen(*row) if row else None

    def __contains__(self, url: str) -> bool:
        return self.db.execute("SELECT 1 FROM seen WHERE url = ?", (url,)).fetchone() is not None

    def known_before(self, url: str, instant: str) -> bool:
        """Whether ``url`` was first written before ``instant`` (e.g. this run's start)."""
        query = "SELECT 1 FROM seen WHERE url = ? AND first_seen < ?"
        return self.db.execute(query, (url, instant)).fetchone() is not None

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM seen").fetchone()[0])

    # --- writing: stage, make the file durable, then commit -------------------------------

    def stage(self, entries: Iterable[Entry]) -> None:
        with self._transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO pending VALUES (?, ?, ?, ?, ?)",
                [(e.url, e.content_hash, e.version, e.modified, e.path) for e in entries],
            )

    def commit_staged(self) -> int:
        """Promote every pending entry to ``seen`` (their lines are durable now)."""
        now = now_stamp()
        with self._transaction():
            count = self.db.execute(
                """INSERT INTO seen SELECT url, content_hash, version, modified, ?, ?, path
                   FROM pending WHERE true
                   ON CONFLICT(url) DO UPDATE SET content_hash = excluded.content_hash,
                     version = excluded.version, modified = excluded.modified,
                     last_seen = excluded.last_seen, path = excluded.path""",
                (now, now),
            ).rowcount
            self.db.execute("DELETE FROM failures WHERE url IN (SELECT url FROM pending)")
            self.db.execute("DELETE FROM pending")
        return count

    def recover(self) -> tuple[int, int]:
        """After a crash: pending entries whose line reached their file become seen, the others
        are forgotten (their pages will be fetched again). Returns (kept, dropped)."""
        rows = self.db.execute("SELECT url, content_hash, path FROM pending").fetchall()
        if not rows:
            return 0, 0
        written = set()
        for path in {row[2] for row in rows}:
            written |= set(written_lines(Path(path)))
        lost = [(url,) for url, digest, _ in rows if (url, digest) not in written]
        with self._transaction():
            self.db.executemany("DELETE FROM pending WHERE url = ?", lost)
        kept = self.commit_staged()
        return kept, len(lost)

    # --- failures ---------------------------------------------------------------------------

    def record_failure(self, url: str, reason: str) -> int:
        """Count one more failed attempt at ``url``; returns the attempts so far."""
        row = self.db.execute(
            """INSERT INTO failures VALUES (?, 1, ?, ?) ON CONFLICT(url) DO UPDATE
               SET attempts = attempts + 1, reason = excluded.reason, time = excluded.time
               RETURNING attempts""",
            (url, reason, now_stamp()),
        ).fetchone()
        return int(row[0])

    def retryable(self, max_attempts: int) -> Iterator[str]:
        query = "SELECT url FROM failures WHERE attempts < ? ORDER BY time"
        for (url,) in self.db.execute(query, (max_attempts,)).fetchall():
            yield url

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")


def written_lines(path: Path) -> Iterator[tuple[str, str]]:
    """(url, content_hash) of each complete line of a JSON Lines file."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.endswith("\n"):
                record = json.loads(line)
                yield record["url"], record["content_hash"]


def now_stamp() -> str:
    """This instant, as the stores write it."""
    return datetime.now(UTC).isoformat(timespec="microseconds")
