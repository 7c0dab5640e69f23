"""Near-duplicate clustering: MinHash signatures of word shingles of the folded body, found
with an LSH index that is kept next to the dataset so that scheduled runs cluster across days.

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
import re
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

#: Words per shingle: three keeps a changed word from touching more than three shingles.
SHINGLE_WORDS = 3
#: MinHash permutations: the standard error of the Jaccard estimate is 0.03 near 0.85.
NUM_PERM = 128
SEED = 1
DEFAULT_THRESHOLD = 0.8
#: LSH band weights (false positive, false negative): favour recall, as every candidate is then
#: checked against its estimated Jaccard similarity.
LSH_WEIGHTS = (0.1, 0.9)
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

_WORD = re.compile(r"\w+")
#: What the signatures were made with: an index built otherwise cannot be extended. They are
#: datasketch 2.0's MinHash (scheme "affine32", CRC-32 of each shingle), bit for bit.
PARAMETERS = {
    "shingle_words": str(SHINGLE_WORDS),
    "num_perm": str(NUM_PERM),
    "seed": str(SEED),
    "scheme": "affine32",
    "hash": "crc32",
}
#: How a band's key is made from its signature values (see :func:`band_keys`), stored with the
#: bands and rows; an index keyed otherwise has its bands made again from its signatures.
BAND_KEY = "mix64"
_SIGNATURE = np.dtype("<u4")
#: The "affine32" permutations h -> a * h + b (mod 2^32), ``a`` odd, drawn as datasketch draws
#: them from ``SEED``.
_PERMUTATIONS = np.random.RandomState(SEED)
_A = _PERMUTATIONS.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
_B = _PERMUTATIONS.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
#: Odd 64-bit multipliers, one per row of a band, for `band_keys` (fixed: keys are stored).
_ROW_MULTIPLIERS = np.random.RandomState(SEED + 1).randint(
    0, 1 << 63, NUM_PERM, dtype=np.uint64
) * np.uint64(2) + np.uint64(1)
#: Gauss-Legendre nodes and weights on [-1, 1]: they integrate the LSH error polynomials
#: (degree rows x bands <= NUM_PERM) exactly.
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(NUM_PERM // 2 + 1)
#: (band, key) of one LSH band of a signature.
BandKey = tuple[int, int]

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


def _shingles(body_search: Iterable[str]) -> Iterable[bytes]:
    """The word shingles of a folded body in order, UTF-8 encoded (repeats kept)."""
    words = " ".join(_WORD.findall(" ".join(body_search))).encode().split(b" ")
    if len(words) <= SHINGLE_WORDS:
        return [b" ".join(words)]
    return map(b" ".join, zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False))


def shingles(body_search: Iterable[str]) -> set[bytes]:
    """Word shingles of a folded body, paragraph breaks and punctuation ignored.

    A body shorter than a shingle is one shingle (an empty body the empty one).
    """
    return set(_shingles(body_search))


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer, which datasketch applies to each hash before permuting it."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))  # type: ignore[no-any-return]


def signature(body_search: Iterable[str]) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` uint32 values) of a folded body: every shingle
    hashed, then permuted ``NUM_PERM`` ways in one array operation."""
    hashes = _fmix32(np.fromiter(map(zlib.crc32, _shingles(body_search)), dtype=np.uint32))
    return (np.multiply.outer(hashes, _A) + _B).min(axis=0)  # type: ignore[no-any-return]


def cluster_key(url: str) -> str:
    """The cluster id a record founds: 16 hex digits of the BLAKE2b hash of its URL."""
    return hashlib.blake2b(url.encode("utf-8"), digest_size=8).hexdigest()


@cache
def lsh_bands(threshold: float) -> tuple[int, int]:
    """(bands, rows per band) for ``threshold``, computed once per threshold: of every split of
    ``NUM_PERM`` values, the one with the least weighted probability of a false positive and a
    false negative (as datasketch's MinHashLSH chooses it)."""
    splits = np.array([(b, r) for b in range(1, NUM_PERM + 1) for r in range(1, NUM_PERM // b + 1)])
    bands, rows = splits[:, :1], splits[:, 1:]

    def missed(similarity: np.ndarray) -> np.ndarray:  # P(no band equal), per split
        return (1 - similarity**rows) ** bands  # type: ignore[no-any-return]

    false_positive = _integral(lambda s: 1 - missed(s), 0.0, threshold)
    false_negative = _integral(missed, threshold, 1.0)
    weight_fp, weight_fn = LSH_WEIGHTS
    best = np.argmin(weight_fp * false_positive + weight_fn * false_negative)
    return int(splits[best, 0]), int(splits[best, 1])


def _integral(function: Callable[[np.ndarray], np.ndarray], low: float, high: float) -> np.ndarray:
    """The integral of ``function`` (of an array of points, one row of values per split) from
    ``low`` to ``high``, by Gauss-Legendre quadrature."""
    half = (high - low) / 2
    return half * function(low + half * (_NODES + 1)) @ _WEIGHTS  # type: ignore[no-any-return]


def band_keys(bands: np.ndarray) -> list[int]:
    """The key of each band (a row of ``bands``, uint32 values): the values times odd 64-bit
    multipliers, summed, then mixed by SplitMix64's finalizer, as a signed 64-bit integer
    (SQLite's). All the bands in a few array operations: fourteen BLAKE2b digests took ten
    times as long. Equal values give equal keys; a collision of other values only adds a
    candidate, which the Jaccard check turns down."""
    keys = (bands.astype(np.uint64) * _ROW_MULTIPLIERS[: bands.shape[1]]).sum(axis=1)
    keys ^= keys >> np.uint64(30)
    keys *= np.uint64(0xBF58476D1CE4E5B9)
    keys ^= keys >> np.uint64(27)
    keys *= np.uint64(0x94D049BB133111EB)
    keys ^= keys >> np.uint64(31)
    return keys.view(np.int64).tolist()  # type: ignore[no-any-return]


@cache
def _candidates_query(bands: int) -> str:
    """Candidates sharing a band key with a signature: one statement for all the bands runs in
    a third of the time of a query per band."""
    arms = " UNION ALL ".join(["SELECT record FROM bands WHERE band = ? AND key = ?"] * bands)
    return f"SELECT id, cluster_id, signature FROM records WHERE id IN ({arms})"


class IndexMismatch(ValueError):
    """The persisted index was built with other shingle or MinHash parameters."""


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
    """

    def __init__(self, path: Path, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
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
        index = cls(out / INDEX_FILE, threshold)
        legacy = out / LEGACY_DIR
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
        index = cls(path, threshold)
        if (out / LEGACY_DIR).is_dir():
            with _closed_on_error(index):
                index.import_segments(out / LEGACY_DIR)
        return index

    def _check_parameters(self, path: Path) -> None:
        stored = dict(self.db.execute("SELECT name, value FROM parameters").fetchall())
        banding = {"bands": str(self.bands), "rows": str(self.rows), "band_key": BAND_KEY}
        wanted = {**PARAMETERS, **banding}
        if stored and any(stored.get(name) != value for name, value in PARAMETERS.items()):
            raise IndexMismatch(f"{path} was built with other parameters; move it aside")
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
            for row, blob in rows:
                self._insert_bands(row, self._band_keys(np.frombuffer(blob, dtype=_SIGNATURE)))
            last = rows[-1][0]

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM records").fetchone()[0])

    def knows(self, content_hash: str) -> bool:
        query = "SELECT 1 FROM records WHERE content_hash = ?"
        return self.db.execute(query, (content_hash,)).fetchone() is not None

    def resolve(self, cluster_id: str) -> str:
        """The id of the cluster that ``cluster_id`` has been merged into (itself if none)."""
        query = "SELECT target FROM aliases WHERE merged = ?"
        while row := self.db.execute(query, (cluster_id,)).fetchone():
            cluster_id = row[0]
        return cluster_id

    def assign(self, url: str, content_hash: str, body_search: Sequence[str]) -> Assignment:
        """Cluster a new record and remember it."""
        query = "SELECT url, cluster_id FROM records WHERE content_hash = ?"
        known = self.db.execute(query, (content_hash,)).fetchone()
        if known is not None:
            first, cluster = known
            return Assignment(self.resolve(cluster), first if first != url else None)
        sig = signature(body_search)
        keys = self._band_keys(sig)
        similar = {self.resolve(cluster) for cluster in self._similar(sig, keys)}
        cluster = self._merge(similar) if similar else cluster_key(url)
        self._insert(url, content_hash, cluster, sig, keys)
        return Assignment(cluster, None)

    def add(self, url: str, content_hash: str, cluster_id: str, sig: np.ndarray) -> None:
        """Remember a record whose cluster is known; a known content hash is ignored."""
        self._insert(url, content_hash, cluster_id, sig, self._band_keys(sig))

    def _insert(
        self, url: str, content_hash: str, cluster_id: str, sig: np.ndarray, keys: list[BandKey]
    ) -> None:
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO records (content_hash, url, cluster_id, signature)"
            " VALUES (?, ?, ?, ?)",
            (content_hash, url, cluster_id, np.asarray(sig, dtype=_SIGNATURE).tobytes()),
        )
        if not cursor.rowcount:
            return
        self._insert_bands(cursor.lastrowid, keys)
        self.unsaved += 1
        if self.unsaved >= COMMIT_EVERY:
            self.commit()

    def _band_keys(self, sig: np.ndarray) -> list[BandKey]:
        values = np.asarray(sig, dtype=_SIGNATURE)[: self.bands * self.rows]
        return list(enumerate(band_keys(values.reshape(self.bands, self.rows))))

    def _insert_bands(self, row: int | None, keys: list[BandKey]) -> None:
        self.db.executemany("INSERT INTO bands VALUES (?, ?, ?)", [(*key, row) for key in keys])

    def _similar(self, sig: np.ndarray, keys: list[BandKey]) -> set[str]:
        """Cluster ids (as stored) of the records that share a band key with ``sig`` and whose
        estimated Jaccard similarity to it reaches the threshold."""
        values = [value for key in keys for value in key]
        candidates = self.db.execute(_candidates_query(self.bands), values).fetchall()
        if not candidates:
            return set()
        stacked = np.frombuffer(b"".join(c[2] for c in candidates), dtype=_SIGNATURE)
        matches = np.count_nonzero(stacked.reshape(-1, NUM_PERM) == sig, axis=1)
        return {
            c[1] for c, n in zip(candidates, matches, strict=True) if n / NUM_PERM >= self.threshold
        }

    def _merge(self, clusters: set[str]) -> str:
        """Merge ``clusters`` into the one founded first and return its id."""
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
        for table, merged in _segments(folder):
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


def _segments(folder: Path) -> Iterator[tuple[Any, dict[str, str]]]:
    """(table, merges) of each Arrow segment in ``folder``, in order, once the parameters of
    every one are checked (a mismatch imports nothing)."""
    import pyarrow as pa  # only for an index of the former format: a crawl needs none

    paths = sorted(folder.glob("segment-*.arrow"))
    for path in paths:
        with pa.OSFile(str(path)) as source:
            metadata = pa.ipc.open_file(source).schema.metadata or {}
        if {k.decode(): v.decode() for k, v in metadata.items() if k != b"merged"} != PARAMETERS:
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
