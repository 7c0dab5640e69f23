"""Datelines: where a story was filed and who it is from, as the opening of its first paragraph
prints them, or its byline.

The shapes read, a place and a tag around a separator (``-``, ``--``, ``ـ``, ``:``, ``:-``,
``/``) or in brackets, a date between them allowed:

- place and bracketed tag: ``دمشق، سوريا (CNN) --``, ``عمان 24 نيسان (بترا) -``;
- place, separator, tag: ``القاهرة - خاص``, ``دمشق-سانا``, ``إسطنبول/ الأناضول``,
  ``أبوظبي في 24 أبريل / وام /``, ``بيروت ـ «القدس العربي»:``;
- a tag alone: ``المدينة نيوز :-``, ``(أ ف ب) -``;
- a place alone: ``غزة -``, only for a place of `attribution_tables.PLACES`.

A tag without brackets must be known: an agency, the publisher's name, "خاص", or the byline
(``Known``); an unknown one in brackets needs a separator after it and, after a place, a
known place or a Latin name ("(CNN)"). A place is one to five words, none a byline verb,
label or word of prose (``NOT_PLACE_WORDS``), so "القاهرة تستضيف" and "وزير الخارجية: ..."
open no dateline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from scraper.core.attribution_tables import NOT_PLACE_WORDS, OWN_STORY_TAGS, PLACES
from scraper.core.credits import credited, is_publisher, name_key

#: How far into the first paragraph a dateline may end.
HEAD_CHARS = 200
MAX_PLACE_WORDS = 5
MAX_TAG_WORDS = 4
#: Every dateline has a separator, a bracket or a date after at most a place of five words, or
#: is all of a short paragraph: one of them within this many characters.
MARK_WITHIN = 60

_LETTER = r"[^\W\d_]"
_WORD = re.compile(rf"[^\W\d_\u0640](?:{_LETTER}|[\u064b-\u065f\u0670'’]|\.(?={_LETTER}))*")
_SPACE = re.compile(" ")
_SPACES = re.compile(r"\s+")
_PLACE_JOIN = re.compile(r" |\s*[،,]\s*")
_COMMA = re.compile(r"\s*[،,]")
_DIGITS = r"[0-9٠-٩]"
_DAY = rf"(?:في\s+)?{_DIGITS}{{1,2}}(?:\s*[-/.]\s*{_DIGITS}{{1,4}}){{0,2}}"
_MONTH = rf"(?:\s+{_WORD.pattern})?(?:\s+{_DIGITS}{{4}})?"
_GREGORIAN = rf"\s+الموافق\s+{_DIGITS}{{1,2}}\s+{_WORD.pattern}\s+{_DIGITS}{{4}}(?:\s*م)?"
_HIJRI = rf"(?:\s*هـ)?(?:{_GREGORIAN})?"
#: A date between the place and the tag: "24 نيسان", "في 24 أبريل", "- 24 - 4", "24 شعبان
#: 1441 هـ الموافق 17 أبريل 2020 م".
_DATE = re.compile(rf"(?:\s*[-–]\s*|\s+)(?:{_DAY}{_MONTH}{_HIJRI})(?!\w)")
_SEPARATOR = re.compile(r"\s*(?:-{2,}|[-–—ـ]+\s*:?|:\s*[-–—ـ]*|/|\|)\s*")
_DASH = re.compile(r"[-–—ـ]")
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z.&' -]*$")
_MARK = re.compile(r"[-–—ـ:/|(«“\"0-9٠-٩]")
#: A tag in parentheses (group 1) or quotes (group 2).
_BRACKETED = re.compile(r"\s*(?:\(\s*([^()]{1,40}?)\s*\)|[«“\"]([^«»“”\"]{1,40}?)[»”\"])")
#: What may follow a tag without brackets instead of a separator: a full stop, a space.
_TAG_END = re.compile(r"\.?(?=\s|$)")
#: Between the two parts of a byline that gives a place: "دبي - البيان", "(أبوظبي - البيان)".
_BYLINE_PARTS = re.compile(r"\s+[-–—ـ/|]\s+|\s*/\s*")


@dataclass(frozen=True)
class Dateline:
    """An opening credit: ``text`` as printed (separators included), ``place`` and ``tag``."""

    text: str
    place: str | None
    tag: str | None


@cache
def _keys(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(name_key(word) for word in words)


def is_known_place(text: str) -> bool:
    return name_key(text) in _keys(PLACES)


def is_place_like(text: str) -> bool:
    """One to five words, none that cannot be part of a place, no digits, one comma at most
    ("دمشق، سوريا")."""
    key = name_key(text)
    words = key.replace(",", " ").split()
    stop = _keys(NOT_PLACE_WORDS)
    return (
        0 < len(words) <= MAX_PLACE_WORDS
        and key.count(",") <= 1
        and not any(word in stop or word.isdigit() for word in words)
    )


@dataclass(frozen=True)
class Known:
    """What a tag without brackets may be besides an agency: "خاص", the publisher's names and
    the article's bylines, as name keys (`credits.name_key`)."""

    publishers: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()

    def is_tag(self, text: str) -> bool:
        key = name_key(text)
        return bool(
            key in _keys(OWN_STORY_TAGS)
            or key in self.authors
            or is_publisher(text, self.publishers)
            or credited(text, self.publishers)
        )


#: (tag, where the dateline ends) of a tag found.
Tagged = tuple[str, int]


def opening_dateline(paragraph: str, known: Known) -> Dateline | None:
    """The dateline opening ``paragraph`` (faithful text), if it has one."""
    if len(paragraph) > MARK_WITHIN and not _MARK.search(paragraph, 0, MARK_WITHIN):
        return None  # prose: no separator, bracket or date where a dateline's would be
    head = paragraph[:HEAD_CHARS]
    if tagged := _tag_at(head, 0, known, opening=True):
        return _dateline(head, tagged[1], None, tagged[0])
    return _place_first(head, known)


def _word_ends(text: str, start: int, most: int, joins: re.Pattern[str]) -> list[int]:
    """Where the first 1, 2, ... ``most`` words from ``start`` end (words joined by ``joins``)."""
    ends: list[int] = []
    position = start
    while len(ends) < most and (word := _WORD.match(text, position)):
        ends.append(word.end())
        join = joins.match(text, word.end())
        if join is None:
            break
        position = join.end()
    return ends


def _tag_at(
    head: str, start: int, known: Known, *, opening: bool = False, place_known: bool = False
) -> Tagged | None:
    """A tag at ``start`` and the separator after it.

    In brackets: a known tag (in quotes only before a separator: "«رويترز» تنشر" is a
    sentence), or before a separator a name `_may_be_unknown` allows. Without brackets: the
    longest known tag of one to four words, then a separator, a full stop or a space (or,
    ``opening`` the paragraph, the paragraph's end).
    """
    if bracket := _BRACKETED.match(head, start):
        tag = bracket[1] or bracket[2]
        separator = _SEPARATOR.match(head, bracket.end())
        if separator and (
            known.is_tag(tag) or _may_be_unknown(bracket, separator, opening, place_known)
        ):
            return tag, separator.end()
        return (tag, bracket.end()) if bracket[1] and known.is_tag(tag) else None
    ends = _word_ends(head, start, MAX_TAG_WORDS, _SPACE)
    end = next((end for end in reversed(ends) if known.is_tag(head[start:end])), None)
    if end is None:
        return None
    if separator := _SEPARATOR.match(head, end):
        return head[start:end], separator.end()
    if opening:
        return (head[start:end], end) if end == len(head) else None
    ending = _TAG_END.match(head, end)
    return (head[start:end], ending.end()) if ending else None


def _may_be_unknown(
    bracket: re.Match[str], separator: re.Match[str], opening: bool, place_known: bool
) -> bool:
    """An unknown name in brackets before a separator is a tag when it could be a name, and:
    opening the paragraph, in parentheses before a dash ("(CNN) --", not "«لن نتراجع» -");
    after a place, when the place is known or the name Latin ("غزة (CNN) -", not "ارتفعت
    الأسعار (حسب التقديرات) -")."""
    tag = bracket[1] or bracket[2]
    if not is_place_like(tag):
        return False
    if opening:
        return bool(bracket[1]) and bool(_DASH.search(separator[0]))
    return place_known or bool(_LATIN_NAME.match(tag))


def _place_first(head: str, known: Known) -> Dateline | None:
    """A place (the longest that gives a dateline), then a date, a tag and a separator."""
    for end in reversed(_word_ends(head, 0, MAX_PLACE_WORDS, _PLACE_JOIN)):
        place = head[:end]
        if is_place_like(place) and (found := _after_place(head, end, place, known)):
            return found
    return None


def _after_place(head: str, end: int, place: str, known: Known) -> Dateline | None:
    date = _DATE.match(head, end)
    position = date.end() if date else end
    separator = _SEPARATOR.match(head, position)
    parts = _COMMA.split(place)
    place_known = is_known_place(parts[0]) or is_known_place(parts[-1])
    if separator is None:
        # "واشنطن (رويترز) -", or after a date only: "الرياض 24 شعبان ... واس"
        space = _SPACES.match(head, position) if date else None
        start = space.end() if space else position
    else:
        start = separator.end()
    tagged = _tag_at(head, start, known, place_known=place_known)
    if tagged:
        return _dateline(head, tagged[1], place, tagged[0])
    if separator and date is None and _may_stand_alone(place_known, separator, head):
        return _dateline(head, separator.end(), place, None)
    return None


def _may_stand_alone(place_known: bool, separator: re.Match[str], head: str) -> bool:
    """A place without a tag: a known place, before a dash or a colon, then prose (not a
    quote: "غزة: «...»" gives a speaker's words)."""
    rest = head[separator.end() :]
    return place_known and not any(mark in separator[0] for mark in "/|") and rest[:1].isalpha()


def _dateline(head: str, end: int, place: str | None, tag: str | None) -> Dateline:
    return Dateline(
        head[:end].strip(), place.strip(" ،,") if place else None, tag.strip() if tag else None
    )


def byline_dateline(author: str, known: Known) -> Dateline | None:
    """The place of a byline in two parts, one a known place and the other not: a known tag
    ("دبي - البيان", "عنب بلدي - إدلب") or a person ("محمد علي - الدمام", tag None)."""
    parts = _BYLINE_PARTS.split(author.strip(" ()"))
    if len(parts) != 2:
        return None
    places = [is_known_place(part) for part in parts]
    if places.count(True) != 1:
        return None
    place, other = parts if places[0] else parts[::-1]
    return Dateline(author, place, other if known.is_tag(other) else None)
