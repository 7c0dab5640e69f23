"""Which agency story a record copies: the agency credits of each near-duplicate cluster, kept in
the near-duplicate index's file (table ``credits``, committed with the index).

A cluster remembers, per agency, the first record that credited it. A later record of the
cluster at another URL is ``syndicated_from`` that agency and record: a copy of a wire story
that another publisher printed with the agency's credit. Clusters merged since (the index's
``aliases``) count as one: their credits are those of every cluster merged into it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scraper.store.neardup import NearDupIndex

SCHEMA = """
CREATE TABLE IF NOT EXISTS credits (
    id INTEGER PRIMARY KEY, cluster_id TEXT NOT NULL, agency TEXT NOT NULL, url TEXT NOT NULL,
    UNIQUE (cluster_id, agency)
);
CREATE INDEX IF NOT EXISTS aliases_by_target ON aliases (target);
"""
#: The first credit at another URL of a cluster or of any cluster merged into it.
_FIRST_CREDIT = """
WITH RECURSIVE members(id) AS (
    SELECT ?
    UNION SELECT aliases.merged FROM aliases JOIN members ON aliases.target = members.id
)
SELECT agency, url FROM credits
WHERE cluster_id IN (SELECT id FROM members) AND url != ?
ORDER BY id LIMIT 1
"""


class CreditIndex:
    """The agency credits of the clusters of ``index`` (same SQLite connection)."""

    def __init__(self, index: NearDupIndex) -> None:
        self.db = index.db
        self.db.executescript(SCHEMA)

    def syndicated_from(
        self, cluster_id: str, url: str, agencies: Iterable[str]
    ) -> dict[str, Any] | None:
        """``{agency, url}`` of the cluster's first credit at another URL (None if none), then
        the record's own credits (``agencies``, ids) remembered for the later copies."""
        row = self.db.execute(_FIRST_CREDIT, (cluster_id, url)).fetchone()
        self.db.executemany(
            "INSERT OR IGNORE INTO credits (cluster_id, agency, url) VALUES (?, ?, ?)",
            [(cluster_id, agency, url) for agency in agencies],
        )
        return {"agency": row[0], "url": row[1]} if row else None
