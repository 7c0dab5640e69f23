"""A story's versions in a dataset folder: the records of one URL, oldest first, the word-level
differences between one and the next, and the latest version of every URL (for ``akhbar
export --versions latest``).

Words are Arabic-aware tokens: a word keeps its diacritics, tatweel and attached clitics
("وبالمدرسة" is one word, "مُحَمَّد" too), digits of any script are numbers and punctuation
marks are tokens of their own, so that "،" or "«" changed shows as such.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from scraper.core.urls import canonical_url
from scraper.store.dataset import DayFile, Reader, Record, day_files

#: A record's place in the dataset: its file and line number.
Position = tuple[Path, int]

_TOKEN = re.compile(r"(?:[^\W\d_][\w\u064b-\u065f\u0670]*|\d+(?:[.,٫]\d+)*|[^\w\s])\s*")
#: Between paragraphs in a body's tokens.
PARAGRAPH = "¶ "
#: Words of unchanged text shown around a change.
DEFAULT_CONTEXT = 8


@dataclass(frozen=True)
class Version:
    record: Record
    position: Position


def _age(record: Record) -> tuple[int, str]:
    return int(record.get("version") or 1), str(record["fetched_at"])


def story_versions(root: Path, url: str) -> list[Version]:
    """Every record of ``url`` (as given or canonical) in the dataset ``root``, oldest first."""
    wanted = {url, canonical_url(url)}
    reader = Reader()
    found = [
        Version(record, (file.path, number))
        for file in day_files(root)
        for number, record in reader.records(file)
        if record["url"] in wanted
    ]
    return sorted(found, key=lambda v: _age(v.record))


def latest_positions(files: Sequence[DayFile]) -> set[Position]:
    """Where the latest version (highest ``version``, then last fetched) of each URL is."""
    latest: dict[str, tuple[tuple[int, str], Position]] = {}
    reader = Reader()
    for file in files:
        for number, record in reader.records(file):
            age = _age(record)
            known = latest.get(record["url"])
            if known is None or age > known[0]:
                latest[record["url"]] = (age, (file.path, number))
    return {position for _, position in latest.values()}


def tokens(text: str) -> list[str]:
    """The words and marks of ``text``, each with the space after it."""
    return _TOKEN.findall(text)


def body_tokens(body: Sequence[str]) -> list[str]:
    """The tokens of a body's paragraphs, ``PARAGRAPH`` between them."""
    out: list[str] = []
    for number, paragraph in enumerate(body):
        if number:
            out.append(PARAGRAPH)
        out.extend(tokens(paragraph))
    return out


def marked_diff(old: list[str], new: list[str], context: int = DEFAULT_CONTEXT) -> str:
    """The new tokens with the changes marked: ``[-removed-]{+added+}``, unchanged runs
    longer than twice ``context`` words cut to ``context`` words each side ("…")."""
    return "".join(_pieces(old, new, context)).strip()


def _pieces(old: list[str], new: list[str], context: int) -> Iterator[str]:
    stripped = [t.strip() for t in old], [t.strip() for t in new]
    matcher = difflib.SequenceMatcher(None, *stripped, autojunk=False)
    opcodes = matcher.get_opcodes()
    last = len(opcodes) - 1
    for number, (kind, i1, i2, j1, j2) in enumerate(opcodes):
        if kind == "equal":
            yield _unchanged(new[j1:j2], context, first=number == 0, last=number == last)
            continue
        if i2 > i1:  # a replacement always has a space between what went and what came
            yield "[-" + "".join(old[i1:i2]).strip() + "-]" + _space(old[i2 - 1], j2 > j1)
        if j2 > j1:
            yield "{+" + "".join(new[j1:j2]).strip() + "+}" + _space(new[j2 - 1])


def _space(token: str, between: bool = False) -> str:
    return " " if between or token != token.rstrip() else ""


def _unchanged(run: list[str], context: int, first: bool, last: bool) -> str:
    """An unchanged run, cut to ``context`` words next to the changes when longer (the first
    run has a change after it only, the last one before it only)."""
    head = [] if first else run[:context]
    tail = [] if last else run[len(run) - context :]
    if len(run) <= len(head) + len(tail) + 1:
        return "".join(run)
    return "".join(head) + "… " + "".join(tail)
