"""Merging the part files of distributed workers (``DIR/workers/*``) into one dataset
(``DIR/<site>/<day>.jsonl``): one record per canonical URL, the highest version, idempotent,
each file written whole aside and renamed into place."""

from __future__ import annotations

import json
import os
import shutil
from collections import defaultdict
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

from scraper.core.urls import canonical_url
from scraper.store.files import fsync_directory, output_path

#: Where one record line is: (file, byte offset).
Place = tuple[Path, int]


def sources(folder: Path) -> list[Path]:
    """The merged files first, then every worker's part files."""
    return sorted(folder.glob("*/*.jsonl")) + sorted(folder.glob("workers/*/*/*.jsonl"))


def lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(byte offset, record) of each complete line of ``path``."""
    with path.open("rb") as handle:
        offset = 0
        for raw in handle:
            if raw.endswith(b"\n"):
                yield offset, json.loads(raw)
            offset += len(raw)


def best_records(files: list[Path]) -> dict[str, tuple[tuple[int, str], Place, Path]]:
    """Canonical URL → (rank, where its best line is, its file in the dataset): the highest
    version wins, then the latest fetch; copies of one record count once."""
    best: dict[str, tuple[tuple[int, str], Place, Path]] = {}
    for path in files:
        for offset, record in lines(path):
            url = canonical_url(record["url"])
            rank = (int(record.get("version", 1)), str(record.get("fetched_at", "")))
            if url not in best or rank > best[url][0]:
                best[url] = (rank, (path, offset), output_path(Path(), record))
    return best


def merge(folder: Path) -> int:
    """Write the merged dataset (idempotent: the merged files are inputs too); returns how
    many records it holds. Each file is written whole aside, then renamed into place."""
    best = best_records(sources(folder))
    by_file: dict[Path, list[Place]] = defaultdict(list)
    for _, place, target in best.values():
        by_file[target].append(place)
    staging = folder / ".akhbar" / "merge"
    shutil.rmtree(staging, ignore_errors=True)
    for target, places in by_file.items():
        write_lines(staging / target, sorted(places))
    for target in by_file:
        (folder / target).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / target, folder / target)
    for old in sources(folder):
        if old.parent.parent == folder and old.relative_to(folder) not in by_file:
            old.unlink()  # its records moved to another day
    for site in {target.parent for target in by_file}:
        fsync_directory(folder / site)
    shutil.rmtree(staging, ignore_errors=True)
    return len(best)


def write_lines(path: Path, places: list[Place]) -> None:
    """The lines at ``places`` (sorted by file), fsynced into ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for source, group in groupby(places, key=lambda place: place[0]):
            with source.open("rb") as handle:
                for _, offset in group:
                    handle.seek(offset)
                    out.write(handle.readline())
        out.flush()
        os.fsync(out.fileno())
