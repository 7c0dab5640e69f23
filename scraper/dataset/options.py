"""What an export is asked for: format, de-duplication, date range, site."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from scraper.store.neardup import DEFAULT_THRESHOLD

FORMATS = ("parquet", "jsonl")
DEDUP = ("none", "exact", "near")
#: Every version of a URL, or only its latest.
VERSIONS = ("all", "latest")


class ExportError(Exception):
    """The export cannot start (no dataset, or the output folder is taken)."""


@dataclass(frozen=True)
class ExportOptions:
    source: Path
    out: Path
    format: str = "parquet"
    dedup: str = "none"
    since: str | None = None
    until: str | None = None
    site: str | None = None
    threshold: float = DEFAULT_THRESHOLD
    versions: str = "all"

    def command(self) -> str:
        """The ``akhbar export`` command line that makes this export."""
        words = ["akhbar", "export", str(self.source), "--format", self.format]
        words += ["--dedup", self.dedup]
        for flag, value in (
            ("--since", self.since),
            ("--until", self.until),
            ("--site", self.site),
        ):
            if value:
                words += [flag, value]
        if self.dedup == "near":
            words += ["--threshold", str(self.threshold)]
        if self.versions != "all":
            words += ["--versions", self.versions]
        return shlex.join([*words, "--out", str(self.out)])
