"""Headlines: the site name off a ``<title>``, and how alike two headlines are."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from scraper.core.arabic_text import fold
from scraper.core.page import Page, per_page, squash

#: Separators between a headline and the site name or section in a ``<title>``.
SEPARATOR = re.compile(r"\s+[-|–—•·]\s+|\s*\|\s*|\s+::\s+")
_WORD = re.compile(r"\w+")
_LATIN = re.compile(r"[a-z]+")


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    """`fold`, lower-cased; memoised, as headlines and site names are compared many times."""
    return fold(text).lower()


@lru_cache(maxsize=4096)
def tokens(text: str) -> frozenset[str]:
    """The folded words of a text (diacritics, hamza forms and case folded away)."""
    return frozenset(_WORD.findall(_folded(text)))


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the folded word sets of ``a`` and ``b`` (1.0: the same words)."""
    first, second = tokens(a), tokens(b)
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


@per_page
def site_names(page: Page) -> tuple[str, ...]:
    """What the page calls its publisher: ``og:site_name``, app names, JSON-LD publisher."""
    return _site_names(page)


def _site_names(page: Page) -> tuple[str, ...]:
    names = [
        page.meta_first(key)
        for key in ("og:site_name", "application-name", "apple-mobile-web-app-title")
    ]
    for obj in page.jsonld:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict):
            names.append(publisher.get("name"))
        if obj.get("@type") in ("WebSite", "Organization", "NewsMediaOrganization"):
            names.append(obj.get("name"))
    return tuple(dict.fromkeys(squash(n) for n in names if isinstance(n, str) and squash(n)))


def _host_words(page: Page) -> str:
    return ".".join(urlsplit(u).hostname or "" for u in (page.url, page.canonical_url) if u)


def is_site_name(segment: str, names: tuple[str, ...], host: str = "") -> bool:
    """Whether a ``<title>`` segment names the site rather than the article."""
    folded = _folded(segment)
    for name in names:
        known = _folded(name)
        if folded == known or (known in folded and len(folded) <= len(known) + 12):
            return True
        if folded in known and len(folded) >= 4:
            return True
    latin = _LATIN.findall(folded)
    return (
        bool(latin)
        and len("".join(latin)) >= 0.8 * len(folded.replace(" ", ""))
        and all(word in host for word in latin)
    )


def strip_site_name(title: str, names: tuple[str, ...] = (), host: str = "") -> str:
    """``title`` without a site name (or section path) before or after the headline.

    Known names are dropped from both ends; then short last segments beside a headline at
    least twice as long are taken for the site name and section path.
    """
    title = squash(title)
    parts = SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    while len(parts) > 1 and is_site_name(parts[-1], names, host):
        parts.pop()
    while len(parts) > 1 and is_site_name(parts[0], names, host):
        parts.pop(0)
    while len(parts) > 1 and _short_suffix([len(p.split()) for p in parts]):
        parts.pop()
    return _rejoin(title, parts)


def _short_suffix(words: list[int]) -> bool:
    return words[-1] <= 3 and sum(words[:-1]) >= 2 * words[-1]


def _rejoin(title: str, parts: list[str]) -> str:
    """The span of ``title`` from the first kept part to the last, separators as written."""
    start = title.find(parts[0])
    end = title.find(parts[-1], start) + len(parts[-1])
    return squash(title[start:end]) if start >= 0 and end >= start else squash(parts[0])


def clean(page: Page, title: str | None) -> str | None:
    """A metadata title of ``page`` without its site name."""
    if not title:
        return None
    return strip_site_name(title, site_names(page), _host_words(page)) or None
