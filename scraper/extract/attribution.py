"""A page's attribution (`scraper.core.attribution`): its body and bylines read with the names
the publisher goes by (the site file's title, ``og:site_name``, the JSON-LD publisher) and
the agencies its JSON-LD credits (``sourceOrganization``, ``author``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from scraper.core.attribution import Attribution, attribute
from scraper.core.page import Page
from scraper.extract import jsonld, titles
from scraper.extract.site import Site


def _names(value: Any) -> list[str]:
    """The names of a JSON-LD value: a string, an object's ``name``, a list of them."""
    items = value if isinstance(value, list) else [value]
    names = (item.get("name") if isinstance(item, dict) else item for item in items)
    return [name for name in names if isinstance(name, str)]


def structured_credits(page: Page) -> list[str]:
    """The names the article's JSON-LD gives as its source organisation and authors."""
    article = jsonld.article(page)
    if article is None:
        return []
    return _names(article.get("sourceOrganization")) + _names(article.get("author"))


def publishers(page: Page, site: Site | None) -> tuple[str, ...]:
    return ((site.title,) if site else ()) + titles.site_names(page)


def page_attribution(
    page: Page, site: Site | None, body: Sequence[str], authors: Sequence[str]
) -> Attribution:
    return attribute(
        body,
        authors,
        publishers=publishers(page, site),
        host=(urlsplit(page.url).hostname or "").lower(),
        structured=structured_credits(page),
    )
