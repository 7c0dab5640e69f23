"""The site registry: every module in this package that defines ``SITE`` is a site."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from urllib.parse import urlsplit

from scraper.core.page import Page
from scraper.extract.site import Site, host_of


@cache
def all_sites() -> dict[str, Site]:
    sites: dict[str, Site] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        site = getattr(module, "SITE", None)
        if isinstance(site, Site):
            sites[site.name] = site
    return sites


class UnknownSite(KeyError):
    def __str__(self) -> str:
        return f"unknown site {self.args[0]!r}; known: {', '.join(sorted(all_sites()))}"


def get_site(name: str) -> Site:
    try:
        return all_sites()[name]
    except KeyError:
        raise UnknownSite(name) from None


def site_for_url(url: str) -> Site | None:
    host = host_of(url)
    return next((s for s in all_sites().values() if s.owns_host(host)), None)


def site_for_page(page: Page) -> Site | None:
    """The site of a page: by its URL's host, then its canonical link, then ``og:site_name``.

    The later clues let saved copies (archives, mirrors, the local replica) find their parser.
    """
    for url in (page.url, page.canonical_url):
        if url and urlsplit(url).hostname and (site := site_for_url(url)):
            return site
    name = page.meta_first("og:site_name")
    return next((s for s in all_sites().values() if name and s.title == name), None)
