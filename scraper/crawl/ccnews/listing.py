"""Which CC-NEWS WARC files a run reads: those of the monthly paths indexes (or of a local
folder) captured within a date range, and of this machine's shard."""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

#: Common Crawl's public data; any mirror with the same layout will do (``--base-url``).
DEFAULT_BASE_URL = "https://data.commoncrawl.org"
#: ``CC-NEWS-20241101093015-00042.warc.gz``: the capture's start (UTC) and a serial number.
_CAPTURED = re.compile(r"CC-NEWS-(\d{4})(\d{2})(\d{2})\d{6}-\d+\.warc(?:\.gz)?$")
_SHARD = re.compile(r"(\d+)/(\d+)")
WARC_SUFFIXES = (".warc", ".warc.gz")


@dataclass(frozen=True, order=True)
class WarcFile:
    """A WARC to read: ``key`` names it in the run state (its path in the index, or its
    resolved path on disk), ``location`` is where it is read from (a URL or a path)."""

    key: str
    location: str

    @property
    def remote(self) -> bool:
        return self.location.startswith(("http://", "https://"))


@dataclass(frozen=True)
class Shard:
    """Part ``index`` (from 1) of ``count``: a WARC belongs to one part by a hash of its name,
    so that every machine agrees whatever the order or growth of the listing."""

    index: int = 1
    count: int = 1

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = _SHARD.fullmatch(text.strip())
        if not match or not 1 <= int(match[1]) <= int(match[2]):
            raise ValueError(f"--shard {text}: give i/n with 1 <= i <= n, e.g. 1/4")
        return cls(int(match[1]), int(match[2]))

    def holds(self, key: str) -> bool:
        name = key.rsplit("/", 1)[-1]
        return zlib.crc32(name.encode()) % self.count == self.index - 1


def captured(name: str) -> date | None:
    """The day a CC-NEWS WARC's capture started, from its file name; None for other names."""
    match = _CAPTURED.search(name)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def months(first: date, last: date) -> Iterator[tuple[int, int]]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def index_path(year: int, month: int) -> str:
    return f"crawl-data/CC-NEWS/{year:04d}/{month:02d}/warc.paths.gz"


def index_entries(data: bytes) -> list[str]:
    """The WARC paths of a ``warc.paths.gz`` listing (gzipped or not), one per line."""
    text = gzip.decompress(data) if data.startswith(b"\x1f\x8b") else data
    return [line.strip() for line in text.decode("utf-8").splitlines() if line.strip()]


def in_range(name: str, first: date | None, last: date | None) -> bool:
    """Whether a WARC was captured within [first, last]; one whose name carries no capture
    date is always in range (a WARC from elsewhere, given on purpose)."""
    day = captured(name)
    return day is None or ((first is None or first <= day) and (last is None or day <= last))


def remote_warcs(
    base_url: str, first: date, last: date, fetch: Callable[[str], bytes]
) -> tuple[list[WarcFile], list[tuple[str, str]]]:
    """The WARC files of the indexes of every month from ``first`` to ``last`` captured in
    that range, and (index URL, why it could not be read) for the indexes that failed."""
    base = base_url.rstrip("/")
    found, problems = [], []
    for year, month in months(first, last):
        url = f"{base}/{index_path(year, month)}"
        try:
            entries = index_entries(fetch(url))
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
            problems.append((url, str(exc)))
            continue
        found += [
            WarcFile(path, f"{base}/{path}")
            for path in entries
            if path.endswith(WARC_SUFFIXES) and in_range(path, first, last)
        ]
    return sorted(set(found)), problems


def local_warcs(folder: Path, first: date | None, last: date | None) -> list[WarcFile]:
    """The WARC files under ``folder`` (searched recursively) captured within the range."""
    paths = sorted(p.resolve() for p in folder.rglob("*") if p.name.endswith(WARC_SUFFIXES))
    return [
        WarcFile(str(p), str(p)) for p in paths if p.is_file() and in_range(p.name, first, last)
    ]


def for_shard(warcs: list[WarcFile], shard: Shard) -> list[WarcFile]:
    return [warc for warc in warcs if shard.holds(warc.key)]
