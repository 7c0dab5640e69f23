"""Exporting a dataset folder for downstream use: Parquet or JSON Lines partitioned by site and
month (``site=<site>/month=<YYYY-MM>/part-0.<ext>``, hive style), optionally only the latest
version of each URL, and one record per content hash or per near-duplicate cluster, with a
dataset card (``README.md``).

Two passes keep memory to one partition: with de-duplication on, the first pass reads every
selected record in order of publication and decides which to keep; the second writes the kept
records partition by partition.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from itertools import groupby, islice
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from scraper.core.record import FIELD_NAMES, ordered, schema
from scraper.dataset.card import Card
from scraper.dataset.options import ExportError, ExportOptions
from scraper.dataset.versions import Position, latest_positions
from scraper.store.dataset import DayFile, Reader, Record, by_partition, chronological, day_files
from scraper.store.neardup import ASSIGNED_AT_ONCE, Incoming, NearDupIndex


@dataclass
class ExportResult:
    records: int
    partitions: int
    problems: list[str]


# --- Arrow schema ----------------------------------------------------------------------------

_SCALARS = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
}


@cache
def arrow_schema() -> pa.Schema:
    """The Parquet columns: every record field in schema order, typed after the JSON Schema."""
    spec = schema()
    required = set(spec["required"])
    return pa.schema(
        _arrow_field(name, spec["properties"][name], name in required, spec) for name in FIELD_NAMES
    )


def _arrow_field(name: str, prop: dict[str, Any], required: bool, spec: dict[str, Any]) -> pa.Field:
    prop = _resolve(prop, spec)
    kinds = _json_types(prop, spec)
    nullable = not required or "null" in kinds
    main = next(kind for kind in sorted(kinds) if kind != "null")
    if main == "array":
        arrow: pa.DataType = pa.list_(_arrow_field("element", prop["items"], True, spec))
    elif main == "object":
        inner = set(prop.get("required", ()))
        children = prop["properties"].items()
        arrow = pa.struct([_arrow_field(k, v, k in inner, spec) for k, v in children])
    else:
        arrow = _SCALARS[main]
    return pa.field(name, arrow, nullable=nullable)


def _resolve(prop: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in prop:
        prop = spec["$defs"][prop["$ref"].rsplit("/", 1)[1]]
    return prop


def _json_types(prop: dict[str, Any], spec: dict[str, Any]) -> set[str]:
    if "oneOf" in prop:
        return set().union(*(_json_types(_resolve(p, spec), spec) for p in prop["oneOf"]))
    if "const" in prop:
        return {"string" if isinstance(prop["const"], str) else "integer"}
    kinds = prop["type"]
    return {kinds} if isinstance(kinds, str) else set(kinds)


# --- writers ---------------------------------------------------------------------------------


def write_parquet(rows: Sequence[Record], path: Path) -> None:
    table = pa.Table.from_pylist(list(rows), schema=arrow_schema())
    pq.write_table(table, path, compression="zstd")


def write_jsonl(rows: Sequence[Record], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(ordered(row), ensure_ascii=False) + "\n")


WRITERS: dict[str, Callable[[Sequence[Record], Path], None]] = {
    "parquet": write_parquet,
    "jsonl": write_jsonl,
}


# --- de-duplication plan ---------------------------------------------------------------------


def plan(
    files: Sequence[DayFile], options: ExportOptions, only: set[Position] | None = None
) -> dict[Position, Record]:
    """The records to keep: per content hash or cluster, the earliest published (ties: the
    earliest fetched), each with the fields to set on it (with ``near``: the final cluster id,
    and for older records without one, the clustering done now)."""
    if options.dedup != "near":
        return _first_per_key(files, None, only)
    with _scratch_index(options) as index:
        return _first_per_key(files, index, only)


@contextmanager
def _scratch_index(options: ExportOptions) -> Iterator[NearDupIndex]:
    """A copy of the dataset's index, beside the export, for the clustering of older records:
    the dataset is left as it is."""
    options.out.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{options.out.name}.neardup-"
    with (
        tempfile.TemporaryDirectory(prefix=prefix, dir=options.out.parent) as scratch,
        NearDupIndex.copy_of(options.source, Path(scratch), options.threshold) as index,
    ):
        yield index


def _first_per_key(
    files: Sequence[DayFile], index: NearDupIndex | None, only: set[Position] | None
) -> dict[Position, Record]:
    """The earliest record per content hash, or with ``index``, per final cluster id (of the
    records at ``only`` when given)."""
    keep: dict[Position, Record] = {}
    kept: set[str] = set()
    for _, position, key, updates in sorted(_entries(files, index, only), key=lambda e: e[0]):
        if index is not None:  # merges found after the record was clustered apply too
            key = index.resolve(key)
            updates = {**updates, "cluster_id": key}
        if key not in kept:
            kept.add(key)
            keep[position] = updates
    return keep


#: (age, position, content hash or cluster id, fields to set) of one record.
_Entry = tuple[tuple[str, str], Position, str, Record]


def _entries(
    files: Sequence[DayFile], index: NearDupIndex | None, only: set[Position] | None
) -> Iterator[_Entry]:
    reader = Reader()
    for file in chronological(files):
        numbered = (
            (number, record)
            for number, record in reader.records(file)
            if only is None or (file.path, number) in only
        )
        while chunk := list(islice(numbered, ASSIGNED_AT_ONCE)):
            records = [record for _, record in chunk]
            keyed = (
                _clustered(index, records)
                if index is not None
                else [(r["content_hash"], {}) for r in records]
            )
            for (number, record), (key, updates) in zip(chunk, keyed, strict=True):
                age = (record["published"] or "~", record["fetched_at"])  # undated last
                yield age, (file.path, number), key, updates


def _clustered(index: NearDupIndex, records: Sequence[Record]) -> list[tuple[str, Record]]:
    """Each record's cluster id and the fields to set on it, in order: records without an id
    (older data) are clustered now, a run of them at a time; the others are added to the
    index, so that later records without an id can join their clusters."""
    keyed: list[tuple[str, Record]] = []
    for unclustered, run in groupby(records, key=lambda record: record.get("cluster_id") is None):
        if unclustered:
            incoming = [Incoming(r["url"], r["content_hash"], r["body_search"]) for r in run]
            keyed.extend(
                (found.cluster_id, {"duplicate_of": found.duplicate_of})
                for found in index.assign_all(incoming)
            )
            continue
        for record in run:
            if not index.knows(record["content_hash"]):
                sig = index.signatures([record["body_search"]])[0]
                index.add(record["url"], record["content_hash"], record["cluster_id"], sig)
            keyed.append((record["cluster_id"], {}))
    return keyed


# --- the export ------------------------------------------------------------------------------


def export(options: ExportOptions) -> ExportResult:
    """Write the export into a temporary folder, then move it to ``options.out``."""
    if not options.source.is_dir():
        raise ExportError(f"{options.source} is not a dataset folder")
    if options.out.exists() and any(options.out.iterdir()):
        raise ExportError(f"{options.out} exists and is not empty; choose another --out")
    files = day_files(options.source, options.site, options.since, options.until)
    only = latest_positions(files) if options.versions == "latest" else None
    keep = None if options.dedup == "none" else plan(files, options, only)
    staging = options.out.with_name(f".{options.out.name}.tmp-{os.getpid()}")
    try:
        result = _write(files, keep if keep is not None else _as_kept(only), options, staging)
        os.replace(staging, options.out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _as_kept(only: set[Position] | None) -> dict[Position, Record] | None:
    """The records at ``only`` kept as they are (None: every record)."""
    return None if only is None else {position: {} for position in only}


def _write(
    files: Sequence[DayFile], keep: dict[Position, Record] | None, options: ExportOptions, out: Path
) -> ExportResult:
    reader, card = Reader(), Card()
    out.mkdir(parents=True)
    for (site, month), group in groupby(by_partition(files), key=lambda f: (f.site, f.month)):
        rows = list(kept_rows(reader, group, keep))
        if rows:
            folder = out / f"site={site}" / f"month={month}"
            folder.mkdir(parents=True)
            WRITERS[options.format](rows, folder / f"part-0.{options.format}")
            card.add(site, month, rows)
    (out / "README.md").write_text(card.render(options, reader), encoding="utf-8")
    return ExportResult(card.total, len(card.partitions), reader.problems)


def kept_rows(
    reader: Reader, files: Iterable[DayFile], keep: dict[Position, Record] | None
) -> Iterator[Record]:
    """The records of ``files`` (all, or those ``keep`` names, with its changes), in order."""
    for file in files:
        for number, record in reader.records(file):
            if keep is None:
                yield record
            elif (file.path, number) in keep:
                yield {**record, **keep[file.path, number]}
