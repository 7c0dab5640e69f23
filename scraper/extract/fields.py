"""Field-extractor builders for site files: selectors scoped to a part of the page found once,
dates read from the first source that parses, bylines without their "كتب" verb.

Scoping is for speed as much as for precision: a class selector over a whole page scans every
element, the same selector inside the article's container only a few dozen.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from lxml import etree

from scraper.core.dates import parse_date
from scraper.core.page import Page, squash, text_of
from scraper.extract import blocks
from scraper.extract.dom import compiled, select

Part = Callable[[Page], etree._Element | None]
Text = Callable[[Page], str | None]

_ID = re.compile(r"^#([\w-]+)$")
#: Byline verbs and labels before an author's name: "كتبت أسماء نصار", "بقلم: فلان".
_BYLINE = re.compile(r"^\s*(?:كتب(?:ت|ه|ها)?|بقلم|إعداد|اعداد|تقرير|حوار|تحرير)\s*[:：\-–]?\s*")


def _finder(selector: str) -> Callable[[etree._Element], list[etree._Element]]:
    if match := _ID.match(selector):
        return etree.XPath(f"id('{match[1]}')")  # type: ignore[no-any-return]
    if selector.startswith(("/", "(", "./")):
        return etree.XPath(selector)  # type: ignore[no-any-return]
    return compiled(selector)  # type: ignore[no-any-return]


def part(*selectors: str, within: Part | None = None) -> Part:
    """The first element matching any of ``selectors`` (in that order), found once per page.

    Selectors are CSS, or XPath when they start with ``/``, ``(`` or ``./``. A plain ``#id``
    is looked up in the document's id table. A class selector scans every element of its
    tag (~0.1 ms on a large page); a tag or an id, then a class within, is much cheaper, so
    ``within`` narrows the search to another part.
    """
    finders = [_finder(s) for s in selectors]
    key = f"part {selectors} {id(within)}"

    def find(page: Page) -> etree._Element | None:
        return page.remember(key, lambda: first_match(page))

    def first_match(page: Page) -> etree._Element | None:
        root = within(page) if within else page.tree
        found = (n for f in finders for n in f(root)) if root is not None else iter(())
        return next(found, None)

    return find


def whole_page(page: Page) -> etree._Element:
    """The whole document as a scope, for the few selectors no part of the page narrows."""
    return page.tree


def meta(*keys: str) -> Text:
    """The first ``<meta>`` content among ``keys`` (``property``/``name``, lower case)."""
    return lambda page: page.meta_first(*keys)


def _inside(scope: Part, css: str, page: Page) -> list[etree._Element]:
    root = scope(page)
    return select(root, css) if root is not None else []


def text_in(scope: Part, css: str) -> Text:
    """The text of the first element matching ``css`` inside ``scope`` that has any."""
    return lambda page: next((t for n in _inside(scope, css, page) if (t := text_of(n))), None)


def texts_in(scope: Part, css: str) -> Callable[[Page], list[str]]:
    """The texts of the elements matching ``css`` inside ``scope``, each once, in order."""

    def extract(page: Page) -> list[str]:
        texts = (text_of(n) for n in _inside(scope, css, page))
        return list(dict.fromkeys(t for t in texts if t))

    return extract


def attribute_in(scope: Part, css: str, name: str) -> Text:
    """Attribute ``name`` of the first element matching ``css`` inside ``scope``."""

    def extract(page: Page) -> str | None:
        return next((v for n in _inside(scope, css, page) if (v := squash(n.get(name)))), None)

    return extract


def lines_in(scope: Part, css: str | None = None) -> Callable[[Page], list[str]]:
    """Body paragraphs: the lines of ``scope`` (or of its ``css`` children), see `blocks.lines`."""

    def extract(page: Page) -> list[str]:
        root = scope(page)
        if root is None:
            return []
        return blocks.lines(select(root, css) if css else [root])

    return extract


def paragraphs_in(scope: Part, css: str) -> Callable[[Page], list[str]]:
    """Body paragraphs: the texts of the ``css`` elements inside ``scope``, one per element."""
    return lambda page: blocks.paragraphs(_inside(scope, css, page))


def figures_in(
    scope: Part, css: str, caption_css: str = "figcaption"
) -> Callable[[Page], list[dict[str, str | None]]]:
    """Pictures of the ``css`` holders inside ``scope``, with captions and credits apart."""
    return lambda page: blocks.figures_of(page, _inside(scope, css, page), caption_css)


def links_in(
    scope: Part, css: str, titled: bool = False
) -> Callable[[Page], list[dict[str, str | None]]]:
    """``{url, title}`` of the links under the ``css`` elements inside ``scope``."""
    return lambda page: blocks.links(page, _inside(scope, css, page), titled)


def first_of(*sources: Callable[[Page], Any]) -> Callable[[Page], Any]:
    """The first non-empty answer among ``sources``."""
    return lambda page: next((v for source in sources if (v := source(page))), None)


def date_from(*sources: Text) -> Callable[[Page], datetime | None]:
    """The date of the first source whose text parses, read in the site's zone."""

    def extract(page: Page) -> datetime | None:
        for source in sources:
            text = source(page)
            if text and (value := parse_date(text, tz=page.timezone)):
                return value
        return None

    return extract


def byline(source: Text) -> Callable[[Page], list[str]]:
    """Authors from a byline, without "كتب"/"بقلم" and kin: "كتبت أسماء نصار" → أسماء نصار."""

    def extract(page: Page) -> list[str]:
        text = source(page)
        name = squash(_BYLINE.sub("", text)) if text else ""
        return [name] if name else []

    return extract
