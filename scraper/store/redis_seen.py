"""The seen-store on Redis hashes, for distributed crawls: every worker of a site shares it.

The server is a ``redis.Redis`` client made with ``decode_responses=True``, given by the crawl
(this layer imports no client library).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from scraper.store.seen import Entry, Seen, now_stamp, written_lines


class RedisSeenStore:
    """``scraper.store.seen.SeenStore``'s API on Redis hashes, shared by every worker of a site:
    ``akhbar:<site>:seen`` (URL → JSON of content hash, version, modified, first written),
    ``akhbar:<site>:failures`` (URL → attempts) and, per worker,
    ``akhbar:<site>:pending:<worker>`` (lines being written)."""

    def __init__(
        self,
        server: Any,
        site: str,
        worker: str,
        on_commit: Callable[[Iterable[str]], None] | None = None,
    ) -> None:
        self.db = server
        self.seen_key = f"akhbar:{site}:seen"
        self.failures_key = f"akhbar:{site}:failures"
        self.pending_key = f"akhbar:{site}:pending:{worker}"
        #: Told the URLs whose lines became durable (the crawl acknowledges their requests).
        self.on_commit = on_commit

    def close(self) -> None:
        self.db.close()

    def get(self, url: str) -> Seen | None:
        raw = self.db.hget(self.seen_key, url)
        if raw is None:
            return None
        content_hash, version, modified, _ = json.loads(raw)
        return Seen(content_hash, version, modified)

    def __contains__(self, url: str) -> bool:
        return bool(self.db.hexists(self.seen_key, url))

    def known_before(self, url: str, instant: str) -> bool:
        raw = self.db.hget(self.seen_key, url)
        return raw is not None and json.loads(raw)[3] < instant

    def __len__(self) -> int:
        return int(self.db.hlen(self.seen_key))

    def stage(self, entries: Iterable[Entry]) -> None:
        staged: dict[Any, Any] = {e.url: json.dumps(asdict(e), ensure_ascii=False) for e in entries}
        if staged:
            self.db.hset(self.pending_key, mapping=staged)

    def commit_staged(self) -> int:
        """Promote this worker's pending entries to seen, and acknowledge their requests."""
        pending = self._pending()
        if not pending:
            return 0
        now = now_stamp()
        known = dict(zip(pending, self.db.hmget(self.seen_key, list(pending)), strict=True))
        pipe = self.db.pipeline(transaction=True)
        seen: dict[Any, Any] = {u: seen_value(e, known[u], now) for u, e in pending.items()}
        pipe.hset(self.seen_key, mapping=seen)
        pipe.hdel(self.failures_key, *pending)
        pipe.delete(self.pending_key)
        pipe.execute()
        if self.on_commit is not None:
            self.on_commit(pending)
        return len(pending)

    def recover(self) -> tuple[int, int]:
        """After a crash of this worker: see ``SeenStore.recover``."""
        pending = self._pending()
        if not pending:
            return 0, 0
        written: set[tuple[str, str]] = set()
        for path in {entry["path"] for entry in pending.values()}:
            written |= set(written_lines(Path(path)))
        lost = [u for u, e in pending.items() if (u, e["content_hash"]) not in written]
        if lost:
            self.db.hdel(self.pending_key, *lost)
        return self.commit_staged(), len(lost)

    def _pending(self) -> dict[str, dict[str, Any]]:
        raw = self.db.hgetall(self.pending_key)
        return {text(url): json.loads(entry) for url, entry in raw.items()}

    def record_failure(self, url: str, reason: str) -> int:
        return int(self.db.hincrby(self.failures_key, url, 1))

    def retryable(self, max_attempts: int) -> Iterator[str]:
        for url, attempts in self.db.hscan_iter(self.failures_key):
            if int(attempts) < max_attempts:
                yield text(url)


def seen_value(entry: dict[str, Any], known: bytes | str | None, now: str) -> str:
    """What ``akhbar:<site>:seen`` holds for a URL: [content hash, version, modified, first
    written] (compact: a site has millions)."""
    first = json.loads(known)[3] if known else now
    return json.dumps([entry["content_hash"], entry["version"], entry["modified"], first])


def text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
