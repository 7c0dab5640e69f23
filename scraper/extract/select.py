"""Small selector combinators that site files use to declare their field extractors."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from lxml import etree
from lxml.cssselect import CSSSelector

from scraper.core.page import Page, text_of


@cache
def compiled(css: str) -> CSSSelector:
    return CSSSelector(css, translator="html")


def select(page: Page | etree._Element, css: str) -> list[etree._Element]:
    root = page.tree if isinstance(page, Page) else page
    return compiled(css)(root)  # type: ignore[no-any-return]


def first_text(css: str) -> Callable[[Page], str | None]:
    """The text of the first element matching ``css`` that has any."""

    def extract(page: Page) -> str | None:
        return next((t for node in select(page, css) if (t := text_of(node))), None)

    return extract


def all_texts(css: str) -> Callable[[Page], list[str]]:
    """The texts of every element matching ``css``, empty ones and repeats dropped."""

    def extract(page: Page) -> list[str]:
        seen: dict[str, None] = {}
        for node in select(page, css):
            if text := text_of(node):
                seen.setdefault(text, None)
        return list(seen)

    return extract


def meta(*keys: str) -> Callable[[Page], str | None]:
    """The first ``<meta>`` content among ``keys`` (``property``/``name``, lower case)."""

    def extract(page: Page) -> str | None:
        return page.meta_first(*keys)

    return extract
