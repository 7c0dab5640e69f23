"""Boilerplate removal for the generic body: which lines of the body block are the article.

The body block (`heuristics.body_node`) often holds more than the article: the headline again,
a reading-time chip, share and tag labels, "next article" teasers, comment policies,
newsletter boxes. A cascade of single-purpose rules takes them out, structure first, then
phrases (`boilerplate.toml`), precision last:

1. `without_teasers`: a teaser heading ("المقال التالي", "اقرأ أيضا") and the titles under it.
2. `is_linked`: lines mostly made of link text (menus, teaser lists, tag clouds).
3. `is_headline`: the headline printed again.
4. `is_label`: a furniture label alone on its line ("شارك", "التالي", "2min").
5. `is_furniture`: comment-policy, newsletter, follow, copyright and tag lines.
6. `main_text`: short lines before the first or after the last line of prose that do not
   sit with the prose (not in its elements, nor in same-tag siblings of them).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import NamedTuple

from lxml import etree

from scraper.core.arabic_text import fold
from scraper.extract import titles
from scraper.extract.dom import Line

#: Most of a line in links: navigation, not text.
MAX_LINKED = 0.5
#: Labels and teaser headings are short; furniture lines a few sentences at most.
_LABEL_CHARS, _FURNITURE_CHARS = 60, 300
#: Prose: a long line, or a sentence (ending in "." or ":") of some length.
_PROSE_CHARS, _SENTENCE_CHARS = 150, 50
_SENTENCE_END = re.compile(r"[.:…][\"'»”)\]]*$")
#: How alike (`titles.similarity`) a line and the headline are when the line repeats it.
_SAME_AS_HEADLINE = 0.8
_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[^\w#]+")
_TOKEN = re.compile(r"\w+|©")
#: "…" in a furniture phrase: up to this many words.
_GAP, _GAP_WORDS = "…", 5
_START = "^"
#: Joins lines for one `fold` call; a private-use character no page text holds.
_SEPARATOR = "\ue000"


def label_key(text: str) -> str:
    """``text`` as labels are looked up: folded, numbers as "#", punctuation out."""
    return _key(fold(text))


def _key(folded: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", _DIGITS.sub("#", folded)).split())


class Phrases:
    """Phrases found word by word in a folded line; "…" in a phrase skips up to five words,
    "^" before one ties it to the line's start."""

    def __init__(self, phrases: Iterable[str]) -> None:
        #: The phrases by first word (the rest of their words), anywhere and at the start only.
        self.anywhere: dict[str, list[list[str]]] = {}
        self.at_start: dict[str, list[list[str]]] = {}
        for phrase in phrases:
            table = self.at_start if phrase.startswith(_START) else self.anywhere
            parts = [_TOKEN.findall(fold(part)) for part in phrase.lstrip(_START).split(_GAP)]
            words = [word for part in _joined(parts) for word in part]
            table.setdefault(words[0], []).append(words[1:])

    def found_in(self, folded: str) -> bool:
        words = _TOKEN.findall(folded)
        if words and any(_follows(words, 1, rest) for rest in self.at_start.get(words[0], ())):
            return True
        firsts = self.anywhere.keys() & set(words)
        return bool(firsts) and any(
            _follows(words, start + 1, rest)
            for start, word in enumerate(words)
            if word in firsts
            for rest in self.anywhere[word]
        )


def _joined(parts: list[list[str]]) -> list[list[str]]:
    """The word lists of a phrase's parts with a gap between each two."""
    return [words for i, part in enumerate(parts) for words in ([[_GAP]] if i else []) + [part]]


def _follows(words: list[str], at: int, phrase: list[str]) -> bool:
    """Whether ``phrase`` (the words after the first) comes at ``words[at]``."""
    if not phrase:
        return True
    if phrase[0] == _GAP:
        return any(_follows(words, at + skip, phrase[1:]) for skip in range(_GAP_WORDS + 1))
    return at < len(words) and words[at] == phrase[0] and _follows(words, at + 1, phrase[1:])


def _load() -> tuple[frozenset[str], frozenset[str], Phrases]:
    text = resources.files("scraper.extract").joinpath("boilerplate.toml").read_text("utf-8")
    data = tomllib.loads(text)
    furniture = [phrase for group in data["furniture"].values() for phrase in group]
    return (
        frozenset(map(label_key, data["labels"])),
        frozenset(map(label_key, data["teaser_headings"])),
        Phrases(furniture),
    )


LABELS, TEASER_HEADINGS, FURNITURE = _load()


class Candidate(NamedTuple):
    """A line of the body block, with what the rules read of it."""

    line: Line
    #: The folded text of a line short enough to be furniture ("" for longer ones).
    folded: str
    #: Its `label_key` when it is short enough to be a label ("" otherwise).
    key: str
    #: Whether it is a paragraph of running text rather than a title, label or caption.
    prose: bool

    @property
    def text(self) -> str:
        return self.line.text


def _is_prose(line: Line) -> bool:
    sentence = len(line.text) >= _SENTENCE_CHARS and _SENTENCE_END.search(line.text) is not None
    return line.linked <= MAX_LINKED / 2 and (len(line.text) >= _PROSE_CHARS or sentence)


def candidates(lines: Sequence[Line]) -> list[Candidate]:
    """The lines with what the rules read (one `fold` call for all the short lines)."""
    short = [line.text for line in lines if len(line.text) <= _FURNITURE_CHARS]
    folded = fold(_SEPARATOR.join(short)).split(_SEPARATOR) if short else []
    if len(folded) != len(short):  # fold merged a separator away: fold one by one
        folded = [fold(text) for text in short]
    texts = iter(folded)
    found = []
    for line in lines:
        text = next(texts) if len(line.text) <= _FURNITURE_CHARS else ""
        key = _key(text) if len(text) <= _LABEL_CHARS else ""
        found.append(Candidate(line, text, key, _is_prose(line)))
    return found


# --- 1. Teaser blocks ----------------------------------------------------------------------


def _inside(node: etree._Element, container: etree._Element) -> bool:
    return node is container or any(a is container for a in node.iterancestors())


def without_teasers(lines: list[Candidate]) -> list[Candidate]:
    """Without teaser headings and what they introduce.

    Under a heading whose box (the heading element's parent) does not hold the article's
    longest paragraph, the rest of the box goes; under a heading among the article's
    paragraphs, the short lines up to the next paragraph of prose.
    """
    prose = [c for c in lines if c.prose]
    longest = max(prose, key=lambda c: len(c.text)).line.holder if prose else None
    kept: list[Candidate] = []
    box: etree._Element | None = None
    dropping_short = False
    for candidate in lines:
        if candidate.key in TEASER_HEADINGS:
            box = candidate.line.holder.getparent()
            if box is not None and longest is not None and _inside(longest, box):
                box, dropping_short = None, True
            continue
        if box is not None and _inside(candidate.line.holder, box):
            continue
        box = None
        if dropping_short and not candidate.prose:
            continue
        dropping_short = False
        kept.append(candidate)
    return kept


# --- 2 to 5. Lines that are furniture by themselves ----------------------------------------


def is_linked(candidate: Candidate) -> bool:
    return candidate.line.linked > MAX_LINKED


def is_headline(candidate: Candidate, headline: str | None) -> bool:
    """The headline again, or nearly; never a sentence (a one-line article says what its
    headline says, with a full stop)."""
    text = candidate.text
    if not headline or len(text) > 2 * len(headline) or _SENTENCE_END.search(text):
        return False
    return text == headline or titles.similarity(text, headline) >= _SAME_AS_HEADLINE


def is_label(candidate: Candidate) -> bool:
    return candidate.key in LABELS


def is_furniture(candidate: Candidate) -> bool:
    return bool(candidate.folded) and FURNITURE.found_in(candidate.folded)


# --- 6. The main text ----------------------------------------------------------------------


def main_text(lines: list[Candidate]) -> list[Candidate]:
    """Without the short lines outside the run of prose that do not sit with it.

    A line sits with the prose when it is in an element holding prose, or in a sibling of
    one with the same tag (a short last ``<p>`` after the article's ``<p>`` paragraphs).
    """
    prose = [i for i, c in enumerate(lines) if c.prose]
    if not prose:
        return lines
    holders = {lines[i].line.holder for i in prose}
    kinds = {(h.getparent(), h.tag) for h in holders}
    first, last = prose[0], prose[-1]
    return [
        c
        for i, c in enumerate(lines)
        if first <= i <= last
        or c.line.holder in holders
        or (c.line.holder.getparent(), c.line.holder.tag) in kinds
    ]


def article_lines(lines: Sequence[Line], headline: str | None) -> list[str]:
    """The texts of ``lines`` that are the article's, by the cascade above."""
    found = without_teasers(candidates(lines))
    found = [
        c
        for c in found
        if not (is_linked(c) or is_headline(c, headline) or is_label(c) or is_furniture(c))
    ]
    return [c.text for c in main_text(found)]
