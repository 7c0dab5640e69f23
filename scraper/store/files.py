"""The dataset's files: where a record's line goes, and appends that a crash cannot tear."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path
from typing import Any

#: What a record's ``site`` and day may be, so that its file stays inside the output folder.
_SITE = re.compile(r"[a-z0-9_]+")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}|undated")


class UnsafeOutputPath(ValueError):
    """A record whose site or date would put its file outside the output folder."""

    reason = "unsafe_path"


def output_path(out: Path, record: dict[str, Any]) -> Path:
    """``<out>/<site>/<day>.jsonl``; a site or day such as ``../x`` or ``/etc`` is refused."""
    site = record.get("site")
    day = (record.get("published") or "")[:10] or "undated"
    if not isinstance(site, str) or not _SITE.fullmatch(site) or not _DAY.fullmatch(day):
        raise UnsafeOutputPath(f"refused output path: site {site!r}, day {day!r}")
    return out / site / f"{day}.jsonl"


def append_atomically(path: Path, lines: list[str]) -> None:
    """Append ``lines`` to ``path`` so that a crash leaves either the old or the new file,
    and a failed write (a full disk) the old file and no ``.part``."""
    part = path.with_name(path.name + ".part")
    try:
        if path.exists():
            shutil.copyfile(path, part)
        with part.open("a", encoding="utf-8") as handle:
            handle.writelines(lines)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(part, path)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        raise


def fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_partial_writes(out: Path) -> None:
    """Drop the ``.part`` files an interrupted run left (their lines never landed)."""
    for part in out.glob("*/*.part"):
        part.unlink()
