"""Records from HTML in memory, and the sites akhbar has a parser for."""

from __future__ import annotations

from typing import Any

from scraper.core.page import Page
from scraper.crawl.pages import decode
from scraper.crawl.standalone import standalone_record
from scraper.extract.site import Site
from scraper.sites import all_sites, get_site

#: The address a page is decoded at before its canonical link tells where it is from.
UNKNOWN_ADDRESS = "about:blank"


class MissingURL(ValueError):
    """The page names no canonical http(s) URL, and none was given."""


def extract(html: str | bytes, url: str | None = None, site: str | None = None) -> dict[str, Any]:
    """The record of one article page, the same as ``akhbar extract`` prints.

    ``html`` is the page as text, or as the bytes fetched, decoded as a crawl decodes them
    (meta charset, detection, repair of mojibake). ``url`` is where the page was fetched from
    (default: its canonical link). ``site`` forces a registered site's parser (default: the
    site of the URL, the canonical link or ``og:site_name``; else the generic extractor).
    Raises :class:`MissingURL`, or ``KeyError`` for an unknown ``site``.
    """
    parser = get_site(site) if site else None
    return standalone_record(page_of(html, url), parser)


def page_of(html: str | bytes, url: str | None) -> Page:
    """The page at ``url``, or at its canonical link when ``url`` is None."""
    address = url or UNKNOWN_ADDRESS
    text = html if isinstance(html, str) else decode(address, html)
    page = Page(url=address, html=text)
    if url is None:
        page.url = canonical_address(page)
    return page


def canonical_address(page: Page) -> str:
    canonical = page.canonical_url
    if not canonical or not canonical.startswith(("http://", "https://")):
        raise MissingURL("the page names no canonical URL: pass url=")
    return canonical


def sites() -> dict[str, Site]:
    """The registered sites by name: ``title``, ``base_url``, ``timezone``, ``discovery``."""
    return dict(all_sites())
