"""Reading a dataset folder from Python: its records, upgraded to the current schema,
optionally one per content hash or per near-duplicate cluster (as ``akhbar export`` keeps)."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from scraper.dataset.export import Position, kept_rows, plan
from scraper.dataset.options import DEDUP, ExportOptions
from scraper.store.dataset import DayFile, Reader, Record, chronological, day_files
from scraper.store.neardup import DEFAULT_THRESHOLD

logger = logging.getLogger("akhbar")

Day = str | date


def read_dataset(
    folder: str | Path,
    since: Day | None = None,
    until: Day | None = None,
    site: str | None = None,
    dedup: str = "none",
    threshold: float = DEFAULT_THRESHOLD,
) -> Iterator[Record]:
    """The records of a dataset folder (``--out`` of a crawl), by day of publication, undated
    last: of one ``site`` if given, published in [``since``, ``until``] if given (days as
    ``YYYY-MM-DD`` or dates; undated records are then left out).

    ``dedup``: ``"none"`` yields every record; ``"exact"`` the earliest per content hash;
    ``"near"`` the earliest per near-duplicate cluster (Jaccard ``threshold``), with its final
    ``cluster_id``. Lines that are not valid records are skipped and logged as warnings.
    """
    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a dataset folder")
    if dedup not in DEDUP:
        raise ValueError(f"dedup must be one of {', '.join(DEDUP)}, not {dedup!r}")
    first, last = (str(day) if day else None for day in (since, until))
    files = chronological(day_files(root, site, first, last))
    reader = Reader()
    keep = kept_records(root, dedup, threshold, files)
    yield from kept_rows(reader, files, keep)
    for problem in reader.problems:
        logger.warning("skipped %s", problem)


def kept_records(
    root: Path, dedup: str, threshold: float, files: list[DayFile]
) -> dict[Position, Record] | None:
    """Export's de-duplication plan (None: keep all); its scratch index in a temporary folder."""
    if dedup == "none":
        return None
    with tempfile.TemporaryDirectory(prefix="akhbar-read-") as scratch:
        options = ExportOptions(root, Path(scratch) / "plan", dedup=dedup, threshold=threshold)
        return plan(files, options)
