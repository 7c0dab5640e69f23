"""Reading a dataset folder: the record files by site and day, and their records upgraded to
the current schema version and validated.

A dataset folder holds ``<site>/<YYYY-MM-DD>.jsonl`` and ``<site>/undated.jsonl``; everything
else (``failures.jsonl``, ``runs.jsonl``, hidden folders such as ``.akhbar``) is not records.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scraper.core.arabic_text import fold
from scraper.core.attribution import attribute
from scraper.core.language import text_language
from scraper.core.record import SCHEMA_VERSION, ordered, validate

UNDATED = "undated"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Record = dict[str, Any]


@dataclass(frozen=True)
class DayFile:
    """One record file: the records of one site published on one day (or undated)."""

    site: str
    day: str
    path: Path

    @property
    def month(self) -> str:
        return UNDATED if self.day == UNDATED else self.day[:7]


def day_files(
    root: Path, site: str | None = None, since: str | None = None, until: str | None = None
) -> list[DayFile]:
    """The record files of ``root``, optionally of one site and days in [since, until].

    Days are ``YYYY-MM-DD`` strings; undated records are left out when a day bound is given.
    """
    files = []
    for path in sorted(root.glob("*/*.jsonl")):
        folder, day = path.parent.name, path.stem
        if folder.startswith(".") or (site and folder != site):
            continue
        if _selected(day, since, until):
            files.append(DayFile(folder, day, path))
    return files


def _selected(day: str, since: str | None, until: str | None) -> bool:
    if day == UNDATED:
        return not (since or until)
    in_range = (since is None or since <= day) and (until is None or day <= until)
    return bool(_DAY.match(day)) and in_range


def chronological(files: Iterable[DayFile]) -> list[DayFile]:
    """Files by day of publication (undated last), sites in name order within a day."""
    return sorted(files, key=lambda f: (f.day == UNDATED, f.day, f.site))


def by_partition(files: Iterable[DayFile]) -> list[DayFile]:
    """Files by site, then month, then day: each (site, month) partition in one run."""
    return sorted(files, key=lambda f: (f.site, f.month, f.day))


def _from_0_9(record: Record) -> Record:
    """0.9 had no folded search fields."""
    record["title_search"] = fold(record.get("title") or "") or None
    record["body_search"] = [fold(paragraph) for paragraph in record.get("body") or []]
    record["schema_version"] = "1.0"
    return record


def _from_1_0(record: Record) -> Record:
    """1.0 did not say which layer gave ``published``: unknown."""
    record["published_source"] = None
    record["schema_version"] = "1.1"
    return record


def _from_1_1(record: Record) -> Record:
    """1.1 had no attribution, language detection or access fields: computed from the text
    (the body left as written, so its content hash holds), free access unknown."""
    body, title = record.get("body") or [], record.get("title") or ""
    host = (urlsplit(record.get("url") or "").hostname or "").lower()
    found = attribute(body, record.get("authors") or [], host=host)
    language = text_language(" ".join([title, *body]), record.get("language") or "ar")
    record.update(
        dateline=found.dateline,
        agencies=found.agencies,
        language=language.language,
        script_share=language.script_share,
        free_access=None,
        schema_version="1.2",
    )
    return record


#: Upgrade steps: each takes a record of the version it is keyed by to the next version.
UPGRADES: dict[str, Callable[[Record], Record]] = {
    "0.9": _from_0_9,
    "1.0": _from_1_0,
    "1.1": _from_1_1,
}


class UnknownVersion(ValueError):
    """A ``schema_version`` that this akhbar cannot read (newer, or never released)."""


def upgrade(record: Record) -> Record:
    """The record at the current schema version, its fields in schema order."""
    while (version := record.get("schema_version")) != SCHEMA_VERSION:
        step = UPGRADES.get(str(version))
        if step is None:
            raise UnknownVersion(f"schema_version {version!r} is not one akhbar can read")
        record = step(record)
    return ordered(record)


@dataclass
class Reader:
    """Reads records, keeping account of the versions read and of the lines it skipped."""

    versions: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def records(self, file: DayFile) -> Iterator[tuple[int, Record]]:
        """(line number, upgraded record) for each valid record of ``file``."""
        with file.path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = self._parse(line)
                except ValueError as exc:  # bad JSON, unknown version, invalid record
                    self.problems.append(f"{file.path}:{number}: {exc}")
                    continue
                yield number, record

    def _parse(self, line: str) -> Record:
        raw = json.loads(line)
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
        version = str(raw.get("schema_version"))
        record = upgrade(raw)
        validate(record)
        self.versions[version] += 1
        return record
