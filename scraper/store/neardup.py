"""Near-duplicate clustering: MinHash signatures of word shingles of the folded body
(:mod:`scraper.store.minhash`), found with an LSH index that is kept next to the dataset so
that scheduled runs cluster across days.

A record gets ``cluster_id``, a short id derived from the URL of the cluster's first record
(:func:`cluster_key`), and ``duplicate_of``, the URL of the first record with the same
``content_hash`` when it is an exact duplicate at another URL. A record joins the clusters of
the earlier records whose estimated Jaccard similarity to it reaches the threshold; when they
are several, they are merged into the oldest (see :meth:`NearDupIndex.resolve`).

The index lives on disk, in ``<out>/.akhbar/neardup.sqlite`` (SQLite, WAL), so memory does not
grow with it: ``records`` (content hash → URL, cluster id, signature), ``bands`` (LSH band and
key → record), ``aliases`` (merged cluster → the cluster it was merged into) and
``parameters``. Rows are committed every ``COMMIT_EVERY`` new records and at close: a crash
loses at most the last batch of index rows, so later copies of those records found a cluster
of their own instead of joining theirs; the dataset itself is not affected.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

import numpy as np

from scraper.store.minhash import (
    CRC32,
    NUM_PERM,
    SEED,
    SHINGLE_HASHES,
    SHINGLE_WORDS,
    WORDS64,
    band_keys,
    lsh_bands,
    signatures,
)

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.8
INDEX_FILE = Path(".akhbar") / "neardup.sqlite"
#: Where akhbar kept the index before, as Arrow segments; imported once, then renamed.
LEGACY_DIR = Path(".akhbar") / "neardup"
IMPORTED_DIR = Path(".akhbar") / "neardup.imported"
#: New records per transaction: a crash loses at most this many index rows.
COMMIT_EVERY = 200
#: Seconds to wait for another process's transaction on the same index (a crawl keeps one open
#: until its next commit).
BUSY_TIMEOUT = 60.0
#: SQLite's page cache (KiB; default 2,000) and WAL pages between checkpoints (default 1,000).
#: Each record touches pages all over the band table: with these bounds the index work runs at
#: 5,000 records/s instead of 2,300 at 60,000 records, and memory stays flat.
CACHE_KIB = 8000
CHECKPOINT_PAGES = 10000

#: What the signatures were made with, besides the shingle hash (parameter ``hash``, one of
#: ``minhash.SHINGLE_HASHES``): an index built otherwise cannot be extended.
PARAMETERS = {
    "shingle_words": str(SHINGLE_WORDS),
    "num_perm": str(NUM_PERM),
    "seed": str(SEED),
    "scheme": "affine32",
}
#: How a band's key is made from its signature values (see :func:`band_keys`), stored with the
#: bands and rows; an index keyed otherwise has its bands made again from its signatures.
BAND_KEY = "mix64"
_SIGNATURE = np.dtype("<u4")
#: Records clustered in one go by :meth:`NearDupIndex.assign_all`: their signatures take a
#: third of the time made together.
ASSIGNED_AT_ONCE = 64

SCHEMA = """
CREATE TABLE IF NOT EXISTS parameters (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY, content_hash TEXT NOT NULL UNIQUE, url TEXT NOT NULL,
    cluster_id TEXT NOT NULL, signature BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS records_by_cluster ON records (cluster_id);
CREATE TABLE IF NOT EXISTS bands (
    band INTEGER NOT NULL, key INTEGER NOT NULL, record INTEGER NOT NULL,
    PRIMARY KEY (band, key, record)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS aliases (merged TEXT PRIMARY KEY, target TEXT NOT NULL) WITHOUT ROWID;
"""


def cluster_key(url: str) -> str:
    """The cluster id a record founds: 16 hex digits of the BLAKE2b hash of its URL."""
    return hashlib.blake2b(url.encode("utf-8"), digest_size=8).hexdigest()


@cache
def _candidates_query(bands: int) -> str:
    """Candidates sharing a band key with a signature: one statement for all the bands runs in
    a third of the time of a query per band."""
    arms = " UNION ALL ".join(["SELECT record FROM bands WHERE band = ? AND key = ?"] * bands)
    return f"SELECT cluster_id, signature FROM records WHERE id IN ({arms})"


@cache
def _known_query(hashes: int) -> str:
    """The URL and cluster id of the records with one of so many content hashes."""
    marks = ", ".join("?" * hashes)
    return f"SELECT content_hash, url, cluster_id FROM records WHERE content_hash IN ({marks})"


class IndexMismatch(ValueError):
    """The persisted index was built with other shingle or MinHash parameters."""


class Incoming(NamedTuple):
    """A record to cluster."""

    url: str
    content_hash: str
    body_search: Sequence[str]


@dataclass(frozen=True)
class Assignment:
    cluster_id: str
    duplicate_of: str | None


class NearDupIndex:
    """Clusters of the records seen so far, in the SQLite file ``path``.

    A record similar to records of two clusters shows they are one story: the later cluster is
    merged into the earlier one. Records already written keep the id they were given, so readers
    map ids through :meth:`resolve`. An index whose LSH bands were made for another threshold
    has them made again; one whose signatures were made otherwise raises :class:`IndexMismatch`.
    A new index hashes shingles the ``shingle_hash`` way; an existing one keeps its own way.
    """

    def __init__(
        self, path: Path, threshold: float = DEFAULT_THRESHOLD, shingle_hash: str = WORDS64
    ) -> None:
        self.threshold = threshold
        self.shingle_hash = shingle_hash
        self.bands, self.rows = lsh_bands(threshold)
        self.unsaved = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT)
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            self.db.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
            self.db.executescript(SCHEMA)
            self._check_parameters(path)
        except BaseException:
            self.db.close()
            raise

    @classmethod
    def for_dataset(cls, out: Path, threshold: float = DEFAULT_THRESHOLD) -> NearDupIndex:
        """The index of the dataset folder ``out``. An index in the former format (Arrow
        segments in ``.akhbar/neardup/``) is imported, then its folder renamed aside."""
        legacy = out / LEGACY_DIR
        index = cls(out / INDEX_FILE, threshold, _shingle_hash_for(legacy))
        if legacy.is_dir():
            with _closed_on_error(index):
                index.import_segments(legacy)
            legacy.rename(out / IMPORTED_DIR)
        return index

    @classmethod
    def copy_of(
        cls, out: Path, scratch: Path, threshold: float = DEFAULT_THRESHOLD
    ) -> NearDupIndex:
        """A copy in the folder ``scratch`` of the index of ``out`` (empty when it has none),
        to extend without touching the dataset."""
        path = scratch / INDEX_FILE.name
        source = out / INDEX_FILE
        scratch.mkdir(parents=True, exist_ok=True)
        if source.is_file():  # only read, but not "mode=ro", which leaves -wal and -shm files
            with closing(sqlite3.connect(source)) as db, closing(sqlite3.connect(path)) as copy:
                db.backup(copy)
        legacy = out / LEGACY_DIR
        index = cls(path, threshold, _shingle_hash_for(legacy))
        if legacy.is_dir():
            with _closed_on_error(index):
                index.import_segments(legacy)
        return index

    def _check_parameters(self, path: Path) -> None:
        stored = dict(self.db.execute("SELECT name, value FROM parameters").fetchall())
        if stored:
            self.shingle_hash = stored.get("hash", "")
            made_otherwise = any(stored.get(name) != value for name, value in PARAMETERS.items())
            if made_otherwise or self.shingle_hash not in SHINGLE_HASHES:
                raise IndexMismatch(f"{path} was built with other parameters; move it aside")
        banding = {"bands": str(self.bands), "rows": str(self.rows), "band_key": BAND_KEY}
        wanted = {**self.signing, **banding}
        with self.db:
            if stored and stored != wanted:
                self._reband()
            self.db.executemany("INSERT OR REPLACE INTO parameters VALUES (?, ?)", wanted.items())

    def _reband(self) -> None:
        """Make the LSH bands again, for this threshold, from the stored signatures."""
        logger.info("making the near-duplicate index's LSH bands for threshold %s", self.threshold)
        self.db.execute("DELETE FROM bands")
        last = 0
        query = "SELECT id, signature FROM records WHERE id > ? ORDER BY id LIMIT 1000"
        while rows := self.db.execute(query, (last,)).fetchall():
            ids, blobs = zip(*rows, strict=True)
            sigs = np.frombuffer(b"".join(blobs), dtype=_SIGNATURE).reshape(-1, NUM_PERM)
            self._insert_bands(
                [
                    (band, key, row)
                    for row, row_keys in zip(ids, self._band_keys(sigs).tolist(), strict=True)
                    for band, key in enumerate(row_keys)
                ]
            )
            last = ids[-1]

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM records").fetchone()[0])

    def knows(self, content_hash: str) -> bool:
        query = "SELECT 1 FROM records WHERE content_hash = ?"
        return self.db.execute(query, (content_hash,)).fetchone() is not None

    @property
    def signing(self) -> dict[str, str]:
        """The parameters its signatures are made with."""
        return {**PARAMETERS, "hash": self.shingle_hash}

    def signatures(self, bodies: Sequence[Sequence[str]]) -> np.ndarray:
        """The signatures of folded bodies, one row each, their shingles hashed as this index
        hashes them."""
        return signatures(bodies, self.shingle_hash)

    def resolve(self, cluster_id: str) -> str:
        """The id of the cluster that ``cluster_id`` has been merged into (itself if none)."""
        query = "SELECT target FROM aliases WHERE merged = ?"
        while row := self.db.execute(query, (cluster_id,)).fetchone():
            cluster_id = row[0]
        return cluster_id

    def assign(self, url: str, content_hash: str, body_search: Sequence[str]) -> Assignment:
        """Cluster a new record and remember it."""
        return self.assign_all([Incoming(url, content_hash, body_search)])[0]

    def assign_all(self, records: Sequence[Incoming]) -> list[Assignment]:
        """Cluster new records and remember them: each as :meth:`assign` would after the ones
        before it, the signatures of ``ASSIGNED_AT_ONCE`` records made in one go."""
        return [
            found
            for start in range(0, len(records), ASSIGNED_AT_ONCE)
            for found in self._assign_batch(records[start : start + ASSIGNED_AT_ONCE])
        ]

    def _assign_batch(self, records: Sequence[Incoming]) -> list[Assignment]:
        known = self._known(records)
        fresh: dict[str, Incoming] = {}  # the first record of each content hash not indexed
        for record in records:
            if record.content_hash not in known:
                fresh.setdefault(record.content_hash, record)
        sigs = self.signatures([record.body_search for record in fresh.values()])
        key_array = self._band_keys(sigs)
        keys = key_array.tolist()
        stored = self._similar_stored(sigs, keys)
        earlier = self._similar_earlier(sigs, key_array)
        found: list[Assignment] = []
        clusters: list[str] = []  # of the fresh records so far
        bands: list[tuple[int, int, int]] = []
        merged_into: dict[str, str] = {}  # resolved in this batch, forgotten at each merge
        for record in records:
            if record.content_hash in known:
                first, cluster = known[record.content_hash]
                resolved = self._resolve(cluster, merged_into)
                found.append(Assignment(resolved, first if first != record.url else None))
                continue
            fresh_row = len(clusters)
            similar = {self._resolve(cluster, merged_into) for cluster in stored[fresh_row]}
            similar |= {self._resolve(clusters[row], merged_into) for row in earlier[fresh_row]}
            if len(similar) > 1:
                merged_into.clear()
            cluster = self._merge(similar) if similar else cluster_key(record.url)
            clusters.append(cluster)
            known[record.content_hash] = (record.url, cluster)
            row = self._insert(record.url, record.content_hash, cluster, sigs[fresh_row])
            if row is not None:
                bands.extend((band, key, row) for band, key in enumerate(keys[fresh_row]))
            found.append(Assignment(cluster, None))
        self._insert_bands(bands)
        self._count_unsaved(len(bands) // self.bands)
        return found

    def _resolve(self, cluster_id: str, merged_into: dict[str, str]) -> str:
        """:meth:`resolve`, remembered in ``merged_into``."""
        if cluster_id not in merged_into:
            merged_into[cluster_id] = self.resolve(cluster_id)
        return merged_into[cluster_id]

    def _known(self, records: Sequence[Incoming]) -> dict[str, tuple[str, str]]:
        """(URL, cluster id as stored) of the records already indexed, by content hash."""
        hashes = list({record.content_hash: None for record in records})
        rows = self.db.execute(_known_query(len(hashes)), hashes).fetchall()
        return {digest: (url, cluster) for digest, url, cluster in rows}

    def add(self, url: str, content_hash: str, cluster_id: str, sig: np.ndarray) -> None:
        """Remember a record whose cluster is known; a known content hash is ignored."""
        row = self._insert(url, content_hash, cluster_id, sig)
        if row is not None:
            keys = self._band_keys(np.asarray(sig)[np.newaxis])[0].tolist()
            self._insert_bands([(band, key, row) for band, key in enumerate(keys)])
            self._count_unsaved(1)

    def _insert(self, url: str, content_hash: str, cluster_id: str, sig: np.ndarray) -> int | None:
        """The row id of the new record, None if its content hash was already indexed."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO records (content_hash, url, cluster_id, signature)"
            " VALUES (?, ?, ?, ?)",
            (content_hash, url, cluster_id, np.asarray(sig, dtype=_SIGNATURE).tobytes()),
        )
        return cursor.lastrowid if cursor.rowcount else None

    def _insert_bands(self, bands: list[tuple[int, int, int]]) -> None:
        """Insert (band, key, record) rows."""
        self.db.executemany("INSERT INTO bands VALUES (?, ?, ?)", bands)

    def _count_unsaved(self, records: int) -> None:
        """Count new records, and commit once ``COMMIT_EVERY`` of them wait."""
        self.unsaved += records
        if self.unsaved >= COMMIT_EVERY:
            self.commit()

    def _band_keys(self, sigs: np.ndarray) -> np.ndarray:
        """The key of each LSH band (a column) of each signature (a row of ``sigs``)."""
        values = np.asarray(sigs, dtype=_SIGNATURE)[:, : self.bands * self.rows]
        return band_keys(values.reshape(len(values), self.bands, self.rows))

    def _similar_stored(self, sigs: np.ndarray, keys: list[list[int]]) -> list[set[str]]:
        """For each signature, the cluster ids (as stored) of the indexed records that share
        a band key with it and whose estimated Jaccard similarity to it reaches the threshold."""
        query = _candidates_query(self.bands)
        owners: list[int] = []
        candidates: list[tuple[str, bytes]] = []
        for row, row_keys in enumerate(keys):
            values = [value for band, key in enumerate(row_keys) for value in (band, key)]
            found_here = self.db.execute(query, values).fetchall()
            owners.extend([row] * len(found_here))
            candidates.extend(found_here)
        found: list[set[str]] = [set() for _ in keys]
        if not candidates:
            return found
        clusters, blobs = zip(*candidates, strict=True)
        stacked = np.frombuffer(b"".join(blobs), dtype=_SIGNATURE).reshape(-1, NUM_PERM)
        for pair in np.flatnonzero(self._reaches_threshold(stacked, sigs[owners])):
            found[owners[pair]].add(clusters[pair])
        return found

    def _similar_earlier(self, sigs: np.ndarray, keys: np.ndarray) -> list[list[int]]:
        """For each signature, the earlier rows of ``sigs`` that share a band key with it (a
        row of ``keys``) and whose estimated Jaccard similarity to it reaches the threshold."""
        found: list[list[int]] = [[] for _ in range(len(keys))]
        if len(keys) < 2:  # the usual case in a crawl: one record, none before it
            return found
        sharing = (keys[:, np.newaxis, :] == keys[np.newaxis, :, :]).any(axis=2)
        rows, others = np.nonzero(np.tril(sharing, -1))
        for pair in np.flatnonzero(self._reaches_threshold(sigs[rows], sigs[others])):
            found[rows[pair]].append(int(others[pair]))
        return found

    def _reaches_threshold(self, these: np.ndarray, those: np.ndarray) -> np.ndarray:
        """Whether the estimated Jaccard similarity of each row of ``these`` to the same row of
        ``those`` reaches the threshold: n / NUM_PERM >= threshold, exactly, both sides scaled
        by a power of two."""
        return np.count_nonzero(these == those, axis=1) >= self.threshold * NUM_PERM  # type: ignore[no-any-return]

    def _merge(self, clusters: set[str]) -> str:
        """Merge ``clusters`` into the one founded first and return its id."""
        if len(clusters) == 1:  # the usual case: one cluster, nothing to merge
            return next(iter(clusters))
        oldest = min(clusters, key=self._founded)
        self.db.executemany(
            "INSERT OR REPLACE INTO aliases VALUES (?, ?)",
            [(cluster, oldest) for cluster in clusters - {oldest}],
        )
        return oldest

    def _founded(self, cluster_id: str) -> int:
        query = "SELECT min(id) FROM records WHERE cluster_id = ?"
        return int(self.db.execute(query, (cluster_id,)).fetchone()[0])

    def import_segments(self, folder: Path) -> None:
        """Add the rows and merges of an index kept in the former format: Arrow segments."""
        for table, merged in _segments(folder, self.signing):
            rows = zip(
                table.column("url").to_pylist(),
                table.column("content_hash").to_pylist(),
                table.column("cluster_id").to_pylist(),
                table.column("signature").combine_chunks().values.to_numpy().reshape(-1, NUM_PERM),
                strict=True,
            )
            for url, content_hash, cluster_id, sig in rows:
                self.add(url, content_hash, cluster_id, sig)
            self.db.executemany("INSERT OR REPLACE INTO aliases VALUES (?, ?)", merged.items())
        self.commit()

    def commit(self) -> None:
        self.db.commit()
        self.unsaved = 0

    def close(self) -> None:
        """Commit, then close the file."""
        self.commit()
        self.db.close()

    def __enter__(self) -> NearDupIndex:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _shingle_hash_for(legacy: Path) -> str:
    """How a new index hashes shingles: as the Arrow segments in the folder ``legacy`` that
    it is to import were hashed, if there is that folder."""
    return CRC32 if legacy.is_dir() else WORDS64


def _segments(folder: Path, parameters: dict[str, str]) -> Iterator[tuple[Any, dict[str, str]]]:
    """(table, merges) of each Arrow segment in ``folder``, in order, once every one is checked
    to have been made with ``parameters`` (a mismatch imports nothing)."""
    import pyarrow as pa  # only for an index of the former format: a crawl needs none

    paths = sorted(folder.glob("segment-*.arrow"))
    for path in paths:
        with pa.OSFile(str(path)) as source:
            metadata = pa.ipc.open_file(source).schema.metadata or {}
        if {k.decode(): v.decode() for k, v in metadata.items() if k != b"merged"} != parameters:
            raise IndexMismatch(f"{path} was built with other parameters; move it aside")
    for path in paths:
        with pa.OSFile(str(path)) as source:
            table = pa.ipc.open_file(source).read_all()
        yield table, json.loads(table.schema.metadata.get(b"merged", b"{}"))


@contextmanager
def _closed_on_error(index: NearDupIndex) -> Iterator[None]:
    """Close ``index`` without committing if the block fails."""
    try:
        yield
    except BaseException:
        index.db.close()
        raise
