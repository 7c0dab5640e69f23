"""From a page to a record: pick the site and its layout, run its extractors, fall back field
by field to the generic extractor, and shape the values as the record schema wants them."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from scraper.core.dates import format_date, has_time, parse_date
from scraper.core.normalize import normalize_record
from scraper.core.page import Page
from scraper.core.record import EXTRACTED, FIELDS, SCHEMA_VERSION, ordered
from scraper.core.urls import canonical_url
from scraper.extract import generic
from scraper.extract.annotate import annotation_fields
from scraper.extract.site import Extractor, Site

logger = logging.getLogger(__name__)


def _run(extractor: Extractor | None, page: Page, name: str) -> Any:
    if extractor is None:
        return None
    try:
        return extractor(page)
    except Exception:  # one broken extractor must not lose the other fields
        logger.exception("extractor for %r failed on %s", name, page.url)
        return None


def extract_fields(
    page: Page,
    site: Site | None,
    fallbacks: set[str] | None = None,
    answered: set[str] | None = None,
) -> dict[str, Any]:
    """The raw field values: the site's layout first, the generic layers where it gives none.

    ``fallbacks`` collects the fields the site's layout declares but found nothing for: a
    sign, when frequent, that the site changed its markup. ``answered`` collects the fields
    the site's layout gave.
    """
    hint = generic.published(page) if site and len(site.parsers) > 1 else None
    parser = site.parser_for(hint.date() if hint else None) if site else None
    fields = {}
    for name in EXTRACTED:
        own = parser.extractors.get(name) if parser else None
        value = _run(own, page, name)
        if value and answered is not None:
            answered.add(name)
        if not value:
            if own is not None and fallbacks is not None:
                fallbacks.add(name)
            value = _run(generic.EXTRACTORS.get(name), page, name)
        fields[name] = value
    return fields


def published_source(page: Page, fields: dict[str, Any], answered: set[str]) -> str | None:
    """Which layer gave the publication date: ``site`` when the site's layout did (its date,
    or its printed date read at last), else the generic layer's name (`generic.Dated`)."""
    if fields["published"] is None:
        if not fields["published_raw"]:
            return None
        return "site" if "published_raw" in answered else "visible"
    return "site" if "published" in answered else generic.published_source(page)


def _timestamp(value: datetime | None, raw: str | None, tz: str) -> str | None:
    if value is None and raw:
        value = parse_date(raw, tz=tz)
    if value is None:
        return None
    if has_time(value):
        value = value.astimezone(ZoneInfo(tz))
    return format_date(value)


def with_lead(body: list[str], lead: str | None) -> list[str]:
    """The body opening with the lead: a reader reads the standfirst first, and the body
    holds every paragraph of the article (the lead is also kept apart, in ``lead``)."""
    if not lead or lead in body:
        return body
    return [lead, *body]


def site_key(site: Site | None, url: str) -> str:
    """The record's ``site``: the registry name, or the host for sites without a file."""
    if site:
        return site.name
    host = (urlsplit(url).hostname or "unknown").lower().removeprefix("www.")
    return "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in host)


def record_url(page: Page, site: Site | None) -> str:
    """The canonical link when it points into the same site, else the fetched URL."""
    canonical = page.canonical_url
    same_host = canonical and urlsplit(canonical).hostname == urlsplit(page.url).hostname
    if canonical and (same_host or (site and site.owns(canonical))):
        return canonical_url(canonical)
    return canonical_url(page.url)


def record_from_page(
    page: Page,
    site: Site | None = None,
    *,
    normalized: bool = True,
    fetched_at: datetime | None = None,
    fallbacks: set[str] | None = None,
) -> dict[str, Any]:
    """The record of ``page``, with every schema field, read by ``site``'s parser (the
    generic extractor alone when None), its text normalised unless ``normalized`` is False
    (a crawl leaves that to its pipeline)."""
    page = page.in_zone(site.timezone if site else generic.timezone(page))
    answered: set[str] = set()
    fields = extract_fields(page, site, fallbacks, answered)
    fields.update(annotation_fields(page, site, fields))
    published = _timestamp(fields["published"], fields["published_raw"], page.timezone)
    record = {
        "schema_version": SCHEMA_VERSION,
        "url": record_url(page, site),
        "site": site_key(site, page.url),
        **fields,
        **{field.name: fields[field.name] or [] for field in FIELDS if field.is_list},
        "published": published,
        "published_source": published_source(page, fields, answered) if published else None,
        "modified": _timestamp(fields["modified"], None, page.timezone),
        "body": with_lead(fields["body"] or [], fields["lead"]),
        "fetched_at": (fetched_at or datetime.now(UTC)).isoformat(timespec="seconds"),
        "version": 1,  # the de-duplication pipeline counts versions against the dataset
    }
    if normalized:
        normalize_record(record)
    return ordered(record)
