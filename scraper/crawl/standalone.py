"""The record of one page on its own, outside a crawl: what ``akhbar extract`` prints and
``akhbar.extract()`` returns."""

from __future__ import annotations

from typing import Any

from scraper.core.page import Page
from scraper.core.record import ordered
from scraper.extract.record import record_from_page
from scraper.extract.site import Site
from scraper.sites import site_for_page
from scraper.store.neardup import cluster_key


def standalone_record(page: Page, site: Site | None = None) -> dict[str, Any]:
    """The record of ``page`` read by ``site``'s parser (default: the page's own site, see
    ``site_for_page``), normalised; alone, it is the first of its near-duplicate cluster."""
    record = record_from_page(page, site or site_for_page(page))
    record.update(cluster_id=cluster_key(record["url"]), duplicate_of=None, syndicated_from=None)
    return ordered(record)
