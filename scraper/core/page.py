"""A fetched page with the views every extractor shares, each computed once on first use."""

from __future__ import annotations

import copy
import functools
import json
import logging
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar
from urllib.parse import urljoin

from lxml import etree

logger = logging.getLogger(__name__)
T = TypeVar("T")

#: Plain ``etree`` elements: ``lxml.html``'s element classes cost a Python call per element
#: proxy made (a walk over a whole page five times slower), and no extractor uses their methods.
_HTML_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
_EMPTY_PAGE = b"<html></html>"
#: The elements several views read, found in one walk of the tree (`Page.elements`).
_SHARED_TAGS = ("meta", "link", "script")
_HIDDEN_TAGS = ("script", "style")
_VISIBLE_TEXT = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]")
# JSON-LD blocks sometimes hold raw control characters that json.loads rejects.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: The same characters as UTF-8 bytes (no multi-byte sequence holds one), for `bytes.translate`.
_CONTROL_BYTES = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20))


def squash(text: str | None) -> str:
    """Whitespace runs to one space, trimmed (``split``/``join``: several times faster on
    Arabic text than a regular expression)."""
    return " ".join(text.split()) if text else ""


def text_of(node: etree._Element) -> str:
    """The visible text of an element, whitespace collapsed (scripts and styles skipped;
    the XPath only when the element holds any).

    A leaf's text is its own; other elements' is serialised by libxml2, five times faster
    than joining ``itertext()``, with the same result.
    """
    if not len(node):
        return "" if node.tag in _HIDDEN_TAGS else squash(node.text)
    if next(node.iter(*_HIDDEN_TAGS), None) is not None:
        return squash("".join(_VISIBLE_TEXT(node)))
    return squash(etree.tostring(node, method="text", encoding=str, with_tail=False))


@dataclass
class Page:
    """An HTML page at a URL; ``timezone`` is the IANA zone of its publisher."""

    url: str
    html: str
    timezone: str = "UTC"
    #: Page-level computations that several extractors share (see `per_page`, `remember`).
    memo: dict[Hashable, Any] = field(default_factory=dict, repr=False)

    @cached_property
    def tree(self) -> etree._Element:
        # Control characters (a stray NUL) have no place in HTML; lxml would keep them as U+FFFD.
        # Deleted from the bytes: several times faster than a regular expression over the str.
        data = self.html.encode("utf-8", "surrogatepass").translate(None, _CONTROL_BYTES)
        root = etree.fromstring(data or _EMPTY_PAGE, parser=_HTML_PARSER)
        # None for a page of only whitespace or comments.
        return root if root is not None else etree.fromstring(_EMPTY_PAGE, parser=_HTML_PARSER)

    @cached_property
    def elements(self) -> dict[str, list[etree._Element]]:
        """The ``meta``, ``link`` and ``script`` elements by tag, in page order (one walk)."""
        found: dict[str, list[etree._Element]] = {tag: [] for tag in _SHARED_TAGS}
        for node in self.tree.iter(*_SHARED_TAGS):
            found[node.tag].append(node)
        return found

    @cached_property
    def jsonld_scripts(self) -> list[etree._Element]:
        """The ``<script type="application/ld+json">`` elements, in page order."""
        return [s for s in self.elements["script"] if s.get("type") == "application/ld+json"]

    @cached_property
    def meta(self) -> dict[str, list[str]]:
        """``<meta>`` contents by lower-cased ``property``/``name``/``itemprop``, in page order."""
        found: dict[str, list[str]] = {}
        for node in self.elements["meta"]:
            key = node.get("property") or node.get("name") or node.get("itemprop")
            content = node.get("content")
            if key and content and content.strip():
                found.setdefault(key.strip().lower(), []).append(content.strip())
        return found

    def meta_first(self, *keys: str) -> str | None:
        for key in keys:
            values = self.meta.get(key)
            if values:
                return values[0]
        return None

    @cached_property
    def jsonld(self) -> list[dict[str, Any]]:
        """Every JSON-LD object of the page, ``@graph`` members and top-level lists flattened."""
        objects: list[dict[str, Any]] = []
        for script in self.jsonld_scripts:
            try:
                data = json.loads(_CONTROL.sub(" ", script.text or ""))
            except ValueError:
                logger.debug("unreadable JSON-LD block on %s", self.url)
                continue
            flatten_jsonld(data, objects)
        return objects

    @cached_property
    def canonical_url(self) -> str | None:
        links = (n.get("href") for n in self.elements["link"] if n.get("rel") == "canonical")
        return next((self.absolute(href) for href in links if href and href.strip()), None)

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per page and ``key``."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]  # type: ignore[no-any-return]

    def in_zone(self, timezone: str) -> Page:
        """This page as published in ``timezone``, sharing the views already computed."""
        page = copy.copy(self)
        page.timezone = timezone
        return page

    def absolute(self, href: str) -> str:
        return urljoin(self.url, href.strip())


def flatten_jsonld(data: Any, out: list[dict[str, Any]]) -> None:
    """Append the objects of JSON-LD ``data`` to ``out``, lists and ``@graph`` flattened."""
    if isinstance(data, list):
        for item in data:
            flatten_jsonld(item, out)
    elif isinstance(data, dict):
        out.append(data)
        graph = data.get("@graph")
        if graph is not None:
            flatten_jsonld(graph, out)


def per_page(function: Callable[[Page], T]) -> Callable[[Page], T]:
    """Memoise a page-level computation that several fields share: run once per page."""

    @functools.wraps(function)
    def once(page: Page) -> T:
        return page.remember(function, lambda: function(page))

    return once
