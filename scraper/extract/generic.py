"""The generic extractor: field by field, JSON-LD, then meta tags, then microdata, then what a
reader sees (`heuristics`).

It reads every site without a site file, and fills the fields a site file leaves empty.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from scraper.dates import has_time, parse_date
from scraper.extract import heuristics, jsonld, lead, meta, microdata
from scraper.extract.fields import first_of
from scraper.page import Page
from scraper.sites.base import Extractor

DEFAULT_TIMEZONE = "UTC"
#: Publisher zones by country-code domain, for sites without a site file.
COUNTRY_ZONES = {
    "ae": "Asia/Dubai", "bh": "Asia/Bahrain", "dz": "Africa/Algiers", "eg": "Africa/Cairo",
    "iq": "Asia/Baghdad", "jo": "Asia/Amman", "kw": "Asia/Kuwait", "lb": "Asia/Beirut",
    "ly": "Africa/Tripoli", "ma": "Africa/Casablanca", "mr": "Africa/Nouakchott",
    "om": "Asia/Muscat", "ps": "Asia/Gaza", "qa": "Asia/Qatar", "sa": "Asia/Riyadh",
    "sd": "Africa/Khartoum", "so": "Africa/Mogadishu", "sy": "Asia/Damascus",
    "tn": "Africa/Tunis", "tr": "Europe/Istanbul", "ye": "Asia/Aden",
}  # fmt: skip
#: Zones by offset in minutes, for offsets that are not whole hours (no ``Etc/GMT±N`` has them).
PART_HOUR_ZONES = {
    210: "Asia/Tehran", 270: "Asia/Kabul", 330: "Asia/Kolkata", 345: "Asia/Kathmandu",
    570: "Australia/Darwin", -210: "America/St_Johns",
}  # fmt: skip


#: The machine-readable publication date, as written.
published_text = first_of(jsonld.published, meta.published, microdata.published)
modified_text = first_of(jsonld.modified, meta.modified, microdata.modified)


def _parsed(text: str | None, page: Page) -> datetime | None:
    return heuristics.absolute_date(text, page.timezone) if text else None


def published(page: Page) -> datetime | None:
    """The metadata's publication date, else the date printed beside the headline.

    When both exist but name days more than one day apart, the metadata is taken for a
    template's or a modification's date if the printed one is labelled as the date
    ("نشر في", a ``time`` element, a date class).
    """
    value = _parsed(published_text(page), page)
    printed = heuristics.printed_date(page)
    if printed is None:
        return value
    if value is None or (printed.labelled and _days_apart(value, printed.value) > 1):
        return printed.value
    return value


def _days_apart(first: datetime, second: datetime) -> int:
    return abs((first.date() - second.date()).days)


def published_raw(page: Page) -> str | None:
    printed = heuristics.printed_date(page)
    return printed.text if printed else published_text(page)


def modified(page: Page) -> datetime | None:
    return _parsed(modified_text(page), page)


def timezone(page: Page) -> str:
    """The publisher's zone, best guess, for a page of a site without a site file.

    The offset the metadata states (when not UTC), else the offset between the local time
    printed beside the headline and the metadata's UTC time, else the country domain's zone.
    """
    text = published_text(page)
    value = parse_date(text, tz=DEFAULT_TIMEZONE) if text else None
    if value is not None and has_time(value):
        offset = value.utcoffset() or _printed_offset(page, value)
        if offset is not None:
            return _fixed_zone(offset) or DEFAULT_TIMEZONE
    host = urlsplit(page.canonical_url or page.url).hostname or ""
    return COUNTRY_ZONES.get(host.rsplit(".", 1)[-1], DEFAULT_TIMEZONE)


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
