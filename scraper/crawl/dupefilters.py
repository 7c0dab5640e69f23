"""A request de-duplication filter whose memory does not grow with the number of URLs."""

from __future__ import annotations

import sqlite3

from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter


class DiskDupeFilter(RFPDupeFilter):
    """Scrapy's fingerprint filter with the fingerprints in a temporary on-disk SQLite table
    instead of a Python set, so a crawl of millions of URLs keeps a flat memory profile."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.db = sqlite3.connect("", isolation_level=None)  # "" = private temporary file
        self.db.execute("PRAGMA cache_size=-2048")  # at most ~2 MiB of pages in memory
        self.db.execute("CREATE TABLE seen (fp BLOB PRIMARY KEY) WITHOUT ROWID")

    def request_seen(self, request: Request) -> bool:
        inserted = self.db.execute(
            "INSERT OR IGNORE INTO seen VALUES (?)", (self._fingerprint(request),)
        ).rowcount
        return inserted == 0

    def close(self, reason: str) -> None:
        super().close(reason)
        self.db.close()
