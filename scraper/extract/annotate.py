"""The record's fields about the article rather than of it: ``dateline``, ``agencies`` (and the
body without its credit-only lines), ``language``, ``script_share`` and ``free_access``."""

from __future__ import annotations

import re
from typing import Any

from scraper.core.language import text_language
from scraper.core.page import Page
from scraper.extract.access import free_access
from scraper.extract.attribution import page_attribution
from scraper.extract.site import Site

DEFAULT_LANGUAGE = "ar"
_LANG = re.compile(r"^([a-z]{2})(?:[-_]|$)")


def declared_language(page: Page, site: Site | None) -> str:
    """The page's ``lang`` attribute (its primary subtag), else the site's language."""
    match = _LANG.match((page.tree.get("lang") or "").strip().lower())
    if match:
        return match[1]
    return site.language if site else DEFAULT_LANGUAGE


def annotation_fields(page: Page, site: Site | None, fields: dict[str, Any]) -> dict[str, Any]:
    """The annotation fields of a record whose extracted ``fields`` are given, with ``body``."""
    found = page_attribution(page, site, fields["body"] or [], fields["authors"] or [])
    text = " ".join([fields["title"] or "", *found.body])
    language = text_language(text, declared_language(page, site))
    return {
        "body": found.body,
        "dateline": found.dateline,
        "agencies": found.agencies,
        "language": language.language,
        "script_share": language.script_share,
        "free_access": free_access(page),
    }
