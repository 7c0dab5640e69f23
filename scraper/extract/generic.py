"""The generic extractor: field by field, JSON-LD, then meta tags, then microdata, then what a
reader sees (`heuristics`).

It reads every site without a site file, and fills the fields a site file leaves empty.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import islice
from typing import NamedTuple

from scraper.core.dates import has_time, parse_date
from scraper.core.page import Page
from scraper.extract import (
    blocks,
    dom,
    heuristics,
    jsonld,
    lead,
    meta,
    microdata,
    urldate,
    zones,
)
from scraper.extract.fields import first_of
from scraper.extract.site import Extractor

DEFAULT_TIMEZONE = "UTC"
#: Zones by offset in minutes, for offsets that are not whole hours (no ``Etc/GMT±N`` has them).
PART_HOUR_ZONES = {
    210: "Asia/Tehran", 270: "Asia/Kabul", 330: "Asia/Kolkata", 345: "Asia/Kathmandu",
    570: "Australia/Darwin", -210: "America/St_Johns",
}  # fmt: skip
#: How many of the body's first lines a dateline ("بيروت -") may open.
_DATELINE_LINES = 3

#: The machine-readable layers of the publication and modification dates, by name.
_PUBLISHED_LAYERS: tuple[tuple[str, Extractor], ...] = (
    ("jsonld", jsonld.published),
    ("meta", meta.published),
    ("microdata", microdata.published),
)
_MODIFIED_LAYERS: tuple[tuple[str, Extractor], ...] = (
    ("jsonld", jsonld.modified),
    ("meta", meta.modified),
    ("microdata", microdata.modified),
)


class Dated(NamedTuple):
    """A date of the page, the layer that gave it (``jsonld``, ``meta``, ``microdata``,
    ``visible``, ``url``; ``<layer>:modified`` for an update time standing in for the
    publication), and the text it was read from."""

    value: datetime | None
    source: str | None
    raw: str | None


_UNDATED = Dated(None, None, None)


def _metadata(page: Page, layers: tuple[tuple[str, Extractor], ...]) -> tuple[str, str] | None:
    """(layer, text) of the first layer that gives a date."""
    return next(((name, text) for name, layer in layers if (text := layer(page))), None)


def published_text(page: Page) -> str | None:
    """The machine-readable publication date, as written."""
    found = _metadata(page, _PUBLISHED_LAYERS)
    return found[1] if found else None


def _parsed(text: str | None, page: Page) -> datetime | None:
    return heuristics.absolute_date(text, page.timezone) if text else None


def _by_zone(key: str, page: Page, compute: Callable[[Page], Dated]) -> Dated:
    """``compute(page)``, memoised for the page's current zone."""
    return page.remember((key, page.timezone), lambda: compute(page))


def publication(page: Page) -> Dated:
    """The publication date: the metadata's, else the date printed beside the headline, else
    the day in the URL, else the last update (when the page gives nothing else).

    When metadata and print both exist but name days more than one day apart, the metadata
    is taken for a template's or a modification's date if the printed one is labelled as
    the date ("نشر في", a ``time`` element, a date class); when they give the same wall
    clock with different offsets, the metadata's offset for a mistake. A printed last update ("آخر
    تحديث") is never taken for the publication while anything else dates the page.
    """
    return _by_zone("publication", page, _publication)


def _publication(page: Page) -> Dated:
    found = _metadata(page, _PUBLISHED_LAYERS)
    value = _parsed(found[1], page) if found else None
    printed = heuristics.printed_date(page)
    if printed is not None and (
        value is None
        or (printed.labelled and _days_apart(value, printed.value) > 1)
        or _same_wall_clock(value, printed.value)
    ):
        return Dated(printed.value, "visible", printed.text)
    if found and value is not None:
        return Dated(value, found[0], printed.text if printed else found[1])
    day = urldate.url_day(page.url, page.timezone) or urldate.url_day(
        page.canonical_url, page.timezone
    )
    if day is not None:
        return Dated(day, "url", None)
    update = modification(page)
    if update.value is not None:
        return Dated(update.value, f"{update.source}:modified", update.raw)
    return _UNDATED


def modification(page: Page) -> Dated:
    """The last modification: the metadata's, else the update printed by the headline."""
    return _by_zone("modification", page, _modification)


def _modification(page: Page) -> Dated:
    found = _metadata(page, _MODIFIED_LAYERS)
    value = _parsed(found[1], page) if found else None
    if found and value is not None:
        return Dated(value, found[0], found[1])
    printed = heuristics.printed_update(page)
    return Dated(printed.value, "visible", printed.text) if printed else _UNDATED


def _days_apart(first: datetime, second: datetime) -> int:
    return abs((first.date() - second.date()).days)


def _same_wall_clock(metadata: datetime, printed: datetime) -> bool:
    """Whether the metadata gives the printed local time with another zone's offset (a
    CMS writing "23:40Z" for 23:40 in Cairo): then the printed date is the right one."""
    return (
        has_time(metadata)
        and has_time(printed)
        and metadata.utcoffset() != printed.utcoffset()
        and _minute(metadata) == _minute(printed)
    )


def _minute(value: datetime) -> datetime:
    return value.replace(tzinfo=None, second=0, microsecond=0)


def published(page: Page) -> datetime | None:
    return publication(page).value


def published_raw(page: Page) -> str | None:
    return publication(page).raw


def published_source(page: Page) -> str | None:
    """Which layer gave `published` (see `Dated`)."""
    return publication(page).source


def modified(page: Page) -> datetime | None:
    return modification(page).value


def timezone(page: Page) -> str:
    """The publisher's zone, best guess, for a page of a site without a site file.

    A known publisher's (`zones.toml`); else the offset the metadata states (when not UTC),
    else the offset between the local time printed beside the headline and the metadata's
    UTC time; else the zone of the city the article's dateline names ("بيروت -"); else the
    country domain's; else UTC.
    """
    if zone := zones.publisher_zone(page.url, page.canonical_url):
        return zone
    text = published_text(page)
    value = parse_date(text, tz=DEFAULT_TIMEZONE) if text else None
    if value is not None and has_time(value):
        offset = value.utcoffset() or _printed_offset(page, value)
        if offset is not None:
            return _fixed_zone(offset) or DEFAULT_TIMEZONE
    return (
        _dateline_zone(page) or zones.country_zone(page.url, page.canonical_url) or DEFAULT_TIMEZONE
    )


def _dateline_zone(page: Page) -> str | None:
    """The zone of the city that opens one of the body's first lines as its dateline."""
    node = heuristics.body_node(page)
    if node is None:
        return None
    first = islice(dom.lines(node, blocks.NOT_BODY), _DATELINE_LINES)
    return next((zone for line in first if (zone := zones.dateline_zone(line))), None)


def _printed_offset(page: Page, utc: datetime) -> timedelta | None:
    """How far the printed local time is ahead of ``utc``, when it is a whole zone offset."""
    printed = heuristics.printed_date(page)
    if printed is None or not has_time(printed.value):
        return None
    ahead = printed.value.replace(tzinfo=None) - utc.replace(tzinfo=None)
    quarters = round(ahead / timedelta(minutes=15))
    if abs(ahead - quarters * timedelta(minutes=15)) > timedelta(minutes=2):
        return None
    return quarters * timedelta(minutes=15) if abs(quarters) <= 14 * 4 else None


def _fixed_zone(offset: timedelta) -> str | None:
    """An IANA zone with this offset: ``Etc/GMT±N`` for whole hours (sign inverted by design)."""
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    if rest or not -12 <= hours <= 14:
        return PART_HOUR_ZONES.get(int(offset.total_seconds()) // 60)
    return f"Etc/GMT{-hours:+d}" if hours else DEFAULT_TIMEZONE


EXTRACTORS: dict[str, Extractor] = {
    "title": heuristics.title,
    "published": published,
    "published_raw": published_raw,
    "modified": modified,
    "section": first_of(jsonld.section, meta.section, microdata.section),
    "tags": first_of(jsonld.tags, meta.tags),
    "authors": first_of(jsonld.authors, meta.authors, microdata.authors),
    "lead": lead.lead,
    "body": heuristics.body,
    "images": heuristics.images,
    "related": heuristics.related,
}
