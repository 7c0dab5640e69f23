"""Wire credits: which agency a name is (one table, `attribution_tables.AGENCIES`), and the
credits a text gives where credits are printed: a line of its own ("--(بترا)", "المصدر:
وكالات") and a parenthesis closing the last paragraph ("... الجاري. (أ ف ب)").

A name is an agency only as a whole ("رويترز", "(أ ف ب)", "وكالة الأناضول"): "قالت رويترز إن"
in a sentence credits nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from scraper.core.arabic_text import fold
from scraper.core.attribution_tables import (
    AGENCIES,
    CREDIT_LABELS,
    NAME_PREFIXES,
    PUBLISHER_SUFFIXES,
)


@dataclass(frozen=True)
class Credit:
    """An agency credited: its canonical id and its name as printed."""

    agency: str
    name: str


#: What the key of a name leaves out: dots between letters, brackets, quotes, dashes, stars.
_NOISE = re.compile(r"[.·•()\[\]«»\"'“”‘’*_\-–—ـ]+")
#: Between the names of a list of credits: "رويترز، أ ف ب", "الجزيرة + وكالات", "(سانا) (واس)".
_LIST = re.compile(r"\s*(?:[،,؛;/+|&()]|\s[-–—ـ]+\s)\s*")
#: "و" joining two names: "رويترز وأ ف ب", "رويترز و أ ف ب".
_AND = re.compile(r"\s+و\s*(?=\S)")
_LABEL = re.compile(
    r"^\s*(?:" + "|".join(map(re.escape, CREDIT_LABELS)) + r")\s*[:：]\s*", re.IGNORECASE
)
#: The ornaments around a credit on a line of its own: "--(بترا)", "- وكالات.", "*رويترز*".
_ORNAMENT = re.compile(r"^[\s\-–—ـ*.:/|]+|[\s\-–—ـ*.:/|]+$")
#: A credit line is short: a sentence that names an agency is prose.
CREDIT_LINE_CHARS = 60
#: A parenthesis closing a paragraph, after its last full stop or at its end.
_CLOSING_PARENTHESIS = re.compile(r"\(([^()]{1,40})\)\s*[.]?\s*$")


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """The form names are compared in: folded, without dots, brackets and quotes."""
    return " ".join(_NOISE.sub(" ", fold(name)).split())


@cache
def _prefixes() -> tuple[str, ...]:
    return tuple(name_key(prefix) + " " for prefix in NAME_PREFIXES)


@cache
def agency_ids() -> dict[str, str]:
    """Agency id by the key of each of its spellings."""
    return {name_key(spelling): agency for agency, _, names in AGENCIES for spelling in names}


@cache
def agency_domains() -> dict[str, tuple[str, ...]]:
    return {agency: domains for agency, domains, _ in AGENCIES}


def agency_of(name: str) -> str | None:
    """The id of the agency ``name`` is, as a whole, with or without "وكالة" before it."""
    key = name_key(name)
    ids = agency_ids()
    if key in ids:
        return ids[key]
    prefix = next((p for p in _prefixes() if key.startswith(p)), None)
    return ids.get(key.removeprefix(prefix)) if prefix else None


def is_own_credit(agency: str, host: str) -> bool:
    """Whether ``host`` is the agency's own site (Sputnik crediting Sputnik)."""
    return any(host == d or host.endswith("." + d) for d in agency_domains()[agency])


def _name_credits(part: str) -> list[Credit] | None:
    """The credits of one part of a list: an agency ("ورويترز" after a comma too), or
    agencies joined by "و" ("رويترز وأ ف ب"); None when it is not all agencies."""
    for name in (part, part[1:]) if part.startswith("و") else (part,):
        if (agency := agency_of(name)) is not None:
            return [Credit(agency, name)]
    names = _AND.split(part)
    found = [Credit(agency, name) for name in names if (agency := agency_of(name))]
    return found if len(names) > 1 and len(found) == len(names) else None


@cache
def _publisher_suffixes() -> frozenset[str]:
    return frozenset(name_key(suffix) for suffix in PUBLISHER_SUFFIXES)


def is_publisher(name: str, publishers: tuple[str, ...]) -> bool:
    """Whether ``name`` is one of ``publishers`` (name keys), give or take a suffix ("الجزيرة
    نت", "العربية.نت" for "الجزيرة", "العربية"; "سكاي نيوز" for "سكاي نيوز عربية")."""
    key = name_key(name)
    for known in publishers:
        shorter, longer = sorted((key, known), key=len)
        if shorter and longer.startswith(shorter):
            rest = longer[len(shorter) :]
            if not rest or (rest[0] == " " and rest.strip() in _publisher_suffixes()):
                return True
    return False


def credited(text: str, publishers: tuple[str, ...] = ()) -> list[Credit] | None:
    """The agencies ``text`` credits when it is nothing but a list of names, each an agency
    or one of ``publishers`` (name keys), at least one an agency; else None."""
    found: list[Credit] = []
    for part in filter(None, (p.strip() for p in _LIST.split(text))):
        credits = _name_credits(part)
        if credits is None and not is_publisher(part, publishers):
            return None
        found.extend(credits or ())
    return unique(found) or None


def unique(credits: list[Credit]) -> list[Credit]:
    """One credit per agency, the first printed."""
    seen: dict[str, Credit] = {}
    for credit in credits:
        seen.setdefault(credit.agency, credit)
    return list(seen.values())


def credit_line(line: str, publishers: tuple[str, ...] = ()) -> list[Credit] | None:
    """The credits of a paragraph that is only a credit: "--(بترا)", "(أ ف ب، رويترز)",
    "المصدر: الجزيرة + وكالات" (a label allows names that are not agencies beside one)."""
    if len(line) > CREDIT_LINE_CHARS:
        return None
    bare = _ORNAMENT.sub("", line)
    label = _LABEL.match(bare)
    if label is None:
        return credited(bare, publishers)
    names = [p.strip() for p in _LIST.split(bare[label.end() :]) if p.strip()]
    found = [credit for name in names for credit in _name_credits(name) or ()]
    return unique(found) or None


def closing_credit(paragraph: str) -> list[Credit]:
    """The agencies of a parenthesis closing a paragraph: "... الجاري. (أ ف ب)"."""
    match = _CLOSING_PARENTHESIS.search(paragraph)
    return (credited(match[1]) or []) if match else []
