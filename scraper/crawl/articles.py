"""An article page's raw record, or why it gives none: shared by the spiders and the CC-NEWS
readers, so that every way in turns a page into a record the same way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from scraper.core.page import Page
from scraper.crawl.failures import unreadable
from scraper.extract.record import record_from_page
from scraper.extract.site import Site
from scraper.sites import site_for_page


class NoRecord(Exception):
    """Why a page gives no record: a failure reason and its detail."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def article_record(
    page: Page,
    site: Site | None,
    looks_like_article: Callable[[Page, dict[str, Any]], bool],
    fallbacks: set[str],
) -> dict[str, Any]:
    """The raw record of an article page (``site`` None: found from the page), its text
    left to the normalisation pipeline; raises `NoRecord` for a page that is unreadable,
    empty or no article."""
    if problem := unreadable(page.html):
        raise NoRecord(*problem)
    record = record_from_page(
        page,
        site or site_for_page(page),
        normalized=False,
        fetched_at=datetime.now(UTC),
        fallbacks=fallbacks,
    )
    if not record["title"] and not record["body"]:
        raise NoRecord("no_content", "no title and no text (a script-only page?)")
    if not looks_like_article(page, record):
        raise NoRecord("not_article", "no sign of an article on the page")
    return record
