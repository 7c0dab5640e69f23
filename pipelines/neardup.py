"""Near-duplicate clustering: MinHash signatures of word shingles of the folded body, found
with an LSH index that is kept next to the dataset so that scheduled runs cluster across days.

A record gets ``cluster_id``, a short id derived from the URL of the cluster's first record
(:func:`cluster_key`), and ``duplicate_of``, the URL of the first record with the same
``content_hash`` when it is an exact duplicate at another URL. A record joins the clusters of
the earlier records whose estimated Jaccard similarity to it reaches the threshold; when they
are several, they are merged into the oldest (see :meth:`NearDupIndex.resolve`).

The index lives in ``<out>/.akhbar/neardup/`` as Arrow IPC segments, each holding the rows and
merges added since the previous one (URL, content hash, cluster id, signature). A segment is
written to a temporary file and moved into place, so a killed crawl leaves the index whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from datasketch import LeanMinHash, MinHash, MinHashLSH
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

#: Words per shingle: three keeps a changed word from touching more than three shingles.
SHINGLE_WORDS = 3
#: MinHash permutations: the standard error of the Jaccard estimate is 0.03 near 0.85.
NUM_PERM = 128
SEED = 1
DEFAULT_THRESHOLD = 0.8
#: LSH band weights (false positive, false negative): favour recall, as every candidate is then
#: checked against its estimated Jaccard similarity.
LSH_WEIGHTS = (0.1, 0.9)
INDEX_DIR = Path(".akhbar") / "neardup"
#: The pipeline saves a segment after this many new rows, so a killed crawl loses few.
SAVE_EVERY = 1000

_WORD = re.compile(r"\w+")
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32)
#: What a persisted index was built with: an index built otherwise cannot be extended.
PARAMETERS = {
    "shingle_words": str(SHINGLE_WORDS),
    "num_perm": str(NUM_PERM),
    "seed": str(SEED),
    "scheme": _TEMPLATE.scheme,
    "hash": "crc32",
}
_MERGED = "merged"
_SEGMENT_SCHEMA = pa.schema(
    [
        ("url", pa.string()),
        ("content_hash", pa.string()),
        ("cluster_id", pa.string()),
        ("signature", pa.list_(pa.uint32(), NUM_PERM)),
    ]
)


def shingles(body_search: Iterable[str]) -> set[bytes]:
    """Word shingles of a folded body, paragraph breaks and punctuation ignored.

    A body shorter than a shingle is one shingle (an empty body the empty one).
    """
    words = _WORD.findall(" ".join(body_search))
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words).encode()}
    grams = zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False)
    return {" ".join(gram).encode() for gram in grams}


def signature(body_search: Iterable[str]) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` uint32 values) of a folded body."""
    minhash = _TEMPLATE.copy()
    minhash.update_batch(shingles(body_search))
    return minhash.hashvalues  # type: ignore[no-any-return]


def cluster_key(url: str) -> str:
    """The cluster id a record founds: 16 hex digits of the BLAKE2b hash of its URL."""
    return hashlib.blake2b(url.encode("utf-8"), digest_size=8).hexdigest()


@cache
def lsh_bands(threshold: float) -> tuple[int, int]:
    """(bands, rows per band) for ``threshold``, computed once per threshold."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
    return lsh.b, lsh.r


class IndexMismatch(ValueError):
    """The persisted index was built with other shingle or MinHash parameters."""


@dataclass(frozen=True)
class Assignment:
    cluster_id: str
    duplicate_of: str | None


class NearDupIndex:
    """Clusters of the records seen so far.

    A record similar to records of two clusters shows they are one story: the later cluster is
    merged into the earlier one. Records already written keep the id they were given, so readers
    map ids through :meth:`resolve`. Rows from ``saved`` on, and ``merged``, are not persisted yet.
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self.lsh = MinHashLSH(num_perm=NUM_PERM, params=lsh_bands(threshold))
        self.urls: list[str] = []
        self.hashes: list[str] = []
        self.clusters: list[str] = []
        self.signatures: list[np.ndarray] = []
        self.row_of_hash: dict[str, int] = {}
        self.first_row: dict[str, int] = {}
        self.aliases: dict[str, str] = {}
        self.merged: dict[str, str] = {}
        self.saved = 0

    def __len__(self) -> int:
        return len(self.urls)

    def knows(self, content_hash: str) -> bool:
        return content_hash in self.row_of_hash

    def resolve(self, cluster_id: str) -> str:
        """The id of the cluster that ``cluster_id`` has been merged into (itself if none)."""
        while cluster_id in self.aliases:
            cluster_id = self.aliases[cluster_id]
        return cluster_id

    def assign(self, url: str, content_hash: str, body_search: Sequence[str]) -> Assignment:
        """Cluster a new record and remember it."""
        row = self.row_of_hash.get(content_hash)
        if row is not None:
            first = self.urls[row]
            return Assignment(self.resolve(self.clusters[row]), first if first != url else None)
        sig = signature(body_search)
        similar = {self.resolve(self.clusters[row]) for row in self._similar(sig)}
        cluster = self._merge(similar) if similar else cluster_key(url)
        self.add(url, content_hash, cluster, sig)
        return Assignment(cluster, None)

    def add(self, url: str, content_hash: str, cluster_id: str, sig: np.ndarray) -> None:
        """Remember a record whose cluster is known; a known content hash is ignored."""
        if self.knows(content_hash):
            return
        row = len(self.urls)
        self.urls.append(url)
        self.hashes.append(content_hash)
        self.clusters.append(cluster_id)
        self.signatures.append(sig)
        self.row_of_hash[content_hash] = row
        self.first_row.setdefault(cluster_id, row)
        self.lsh.insert(row, _lean(sig), check_duplication=False)

    def _similar(self, sig: np.ndarray) -> list[int]:
        """Rows whose estimated Jaccard similarity to ``sig`` reaches the threshold."""
        candidates = self.lsh.query(_lean(sig))
        if not candidates:
            return []
        stacked = np.stack([self.signatures[row] for row in candidates])
        similarity = np.count_nonzero(stacked == sig, axis=1) / NUM_PERM
        return [
            row
            for row, value in zip(candidates, similarity, strict=True)
            if value >= self.threshold
        ]

    def _merge(self, clusters: set[str]) -> str:
        """Merge ``clusters`` into the one founded first and return its id."""
        oldest = min(clusters, key=self.first_row.__getitem__)
        for cluster in clusters - {oldest}:
            self.aliases[cluster] = self.merged[cluster] = oldest
        return oldest

    @classmethod
    def load(cls, folder: Path, threshold: float = DEFAULT_THRESHOLD) -> NearDupIndex:
        """The index persisted in ``folder`` (empty when there is none)."""
        index = cls(threshold)
        for path in sorted(folder.glob("segment-*.arrow")):
            with pa.OSFile(str(path)) as source:
                table = pa.ipc.open_file(source).read_all()
            metadata = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
            merged = json.loads(metadata.pop(_MERGED, "{}"))
            if metadata != PARAMETERS:
                raise IndexMismatch(f"{path} was built with other parameters; move it aside")
            index._extend(table)
            index.aliases.update(merged)
        index.saved = len(index)
        return index

    def _extend(self, table: pa.Table) -> None:
        column = table.column("signature").combine_chunks()
        signatures = column.values.to_numpy().reshape(-1, NUM_PERM)
        rows = zip(
            table.column("url").to_pylist(),
            table.column("content_hash").to_pylist(),
            table.column("cluster_id").to_pylist(),
            signatures,
            strict=True,
        )
        for url, content_hash, cluster_id, sig in rows:
            self.add(url, content_hash, cluster_id, sig)

    def save(self, folder: Path) -> Path | None:
        """Persist the rows and merges since the last save as a new segment (None if none)."""
        if self.saved == len(self) and not self.merged:
            return None
        new = slice(self.saved, len(self))
        signatures = np.array(self.signatures[new], dtype=np.uint32).reshape(-1)
        metadata = {**PARAMETERS, _MERGED: json.dumps(self.merged)}
        table = pa.table(
            {
                "url": self.urls[new],
                "content_hash": self.hashes[new],
                "cluster_id": self.clusters[new],
                "signature": pa.FixedSizeListArray.from_arrays(signatures, NUM_PERM),
            },
            schema=_SEGMENT_SCHEMA.with_metadata(metadata),
        )
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path = folder / f"segment-{stamp}-{os.getpid()}.arrow"
        _write_atomically(table, path)
        self.saved, self.merged = len(self), {}
        return path


def _lean(sig: np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=sig, scheme=_TEMPLATE.scheme)


def _write_atomically(table: pa.Table, path: Path) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("wb") as handle:
        with pa.ipc.new_file(handle, table.schema) as writer:
            writer.write_table(table)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


class NearDuplicatePipeline:
    """Set ``cluster_id`` and ``duplicate_of`` on each record; persist the index at the end."""

    def __init__(self, out: Path, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.folder = out / INDEX_DIR
        self.threshold = threshold
        self.index = NearDupIndex(threshold)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NearDuplicatePipeline:
        settings = crawler.settings
        out = Path(settings.get("AKHBAR_OUTPUT_DIR", "output"))
        return cls(out, settings.getfloat("AKHBAR_NEARDUP_THRESHOLD", DEFAULT_THRESHOLD))

    def open_spider(self) -> None:
        self.index = NearDupIndex.load(self.folder, self.threshold)

    def process_item(self, item: Any) -> Any:
        record = ItemAdapter(item)
        found = self.index.assign(record["url"], record["content_hash"], record["body_search"])
        record["cluster_id"] = found.cluster_id
        record["duplicate_of"] = found.duplicate_of
        if len(self.index) - self.index.saved >= SAVE_EVERY:
            self.index.save(self.folder)
        return item

    def close_spider(self) -> None:
        self.index.save(self.folder)
