"""DOM helpers the extractor layers share: page chrome, br-split lines, text chunks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import NamedTuple

from lxml import etree
from lxml.cssselect import CSSSelector

from scraper.core.page import Page, squash

#: Elements that are never part of an article's own text.
CHROME_TAGS = frozenset({"header", "footer", "nav", "aside", "form"})
#: Elements that may be an article's own parts when they sit beside its headline.
_ARTICLE_PARTS = frozenset({"header", "footer"})
#: Class or id words of site chrome: menus, tickers, clocks, sidebars, comment threads.
CHROME = re.compile(
    r"header|footer|nav|menu|sidebar|side-bar|widget|breadcrumb|topbar|top-bar|"
    r"ticker|breaking|clock|today|current-date|weather|prayer|comment|newsletter|cookie|"
    r"popular|most-?read|trending|copyright|social|share|related|more-news",
    re.I,
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "blockquote", "ul", "ol", "li", "table", "tr", "h1",
     "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "dl", "dt", "dd", "pre", "hr", "br",
     "header", "footer", "nav", "aside", "form", "main", "center"}
)  # fmt: skip


@cache
def compiled(css: str) -> CSSSelector:
    return CSSSelector(css, translator="html")


def select(page: Page | etree._Element, css: str) -> list[etree._Element]:
    """The elements matching ``css`` in a page or under an element."""
    root = page.tree if isinstance(page, Page) else page
    return compiled(css)(root)  # type: ignore[no-any-return]


def marker(node: etree._Element) -> str:
    """The class and id of an element, as one string for pattern tests."""
    return f"{node.get('class') or ''} {node.get('id') or ''}"


def _marked(node: etree._Element, pattern: re.Pattern[str]) -> bool:
    return bool(node.attrib) and bool(pattern.search(marker(node)))


def is_chrome(
    node: etree._Element,
    unless: etree._Element | None = None,
    pattern: re.Pattern[str] = CHROME,
    tags: frozenset[str] = CHROME_TAGS,
) -> bool:
    """Whether ``node`` sits in page chrome (menus, header, sidebars...).

    A chrome ancestor that also holds ``unless`` (the headline) does not count: article
    headers such as ``<header class="entry-header">`` hold the title and its date. Nor does
    a ``<header>``/``<footer>`` beside it, in the element holding the headline (an article's
    own "submitted" footer with its date), nor the form an ASP.NET page wraps ``<body>`` in.
    ``pattern`` and ``tags`` say what chrome is.
    """
    for element in node.iterancestors():
        if _wraps_the_page(element):
            continue
        if element.tag in tags or pattern.search(marker(element)):
            return unless is None or not (_contains(element, unless) or _beside(element, unless))
    return False


def _wraps_the_page(element: etree._Element) -> bool:
    """An ASP.NET page's one ``<form>`` around all of ``<body>``: no comment form."""
    parent = element.getparent()
    return element.tag == "form" and parent is not None and parent.tag == "body"


def _beside(element: etree._Element, headline: etree._Element) -> bool:
    parent = element.getparent()
    return (
        element.tag in _ARTICLE_PARTS
        and parent is headline.getparent()
        and parent is not None
        and parent.tag != "body"
    )


def _contains(ancestor: etree._Element, node: etree._Element) -> bool:
    return any(a is ancestor for a in node.iterancestors())


class Line(NamedTuple):
    """One line of text as `line_items` cuts it: where it sits, and how much of it is links."""

    text: str
    #: The innermost block element (``p``, ``div``, ``li``...) the line starts in.
    holder: etree._Element
    #: The share of its characters inside links, 0 to 1.
    linked: float


def lines(
    node: etree._Element, skip: re.Pattern[str] | None = None, max_linked: float = 1.0
) -> Iterator[str]:
    """The text of ``node`` cut at ``<br>`` and block elements, one squashed line at a time.

    Scripts, styles, figures, headlines and the subtrees whose class or id match ``skip`` are
    left out (a left-out block still ends the line), and so are lines with more than
    ``max_linked`` of their text in links.
    """
    return (line.text for line in line_items(node, skip) if line.linked <= max_linked)


def line_items(node: etree._Element, skip: re.Pattern[str] | None = None) -> Iterator[Line]:
    """The lines of `lines`, each with its holder element and its share of link text."""
    line = _Line(node)
    skipped: set[etree._Element] = set()
    walker = etree.iterwalk(node, events=("start", "end"))
    for event, element in walker:
        if element is node:
            if event == "start" and node.text:
                line.add(node.text, node.tag == "a")
            continue
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS and (done := line.flush()):
                yield done
            if not tag or tag in _SKIPPED_TAGS or (skip and _marked(element, skip)):
                skipped.add(element)
                walker.skip_subtree()
                continue
            line.enter(element, tag)
            if element.text:
                line.add(element.text)
        else:
            if element not in skipped:
                line.leave(tag)
            if tag in _BLOCK_TAGS and (done := line.flush()):
                yield done
            if element.tail:
                line.add(element.tail)
    if done := line.flush():
        yield done


class _Line:
    """The text of the line being read, how much of it is link text, and the open blocks."""

    def __init__(self, root: etree._Element) -> None:
        self.parts: list[str] = []
        self.linked = 0
        self.links = 0  # how many links the walk is inside
        self.blocks = [root]  # the block elements the walk is inside, innermost last
        self.holder = root

    def enter(self, element: etree._Element, tag: str) -> None:
        self.links += tag == "a"
        if tag in _BLOCK_TAGS:
            self.blocks.append(element)

    def leave(self, tag: str) -> None:
        self.links -= tag == "a"
        if tag in _BLOCK_TAGS:
            self.blocks.pop()

    def add(self, text: str, in_link: bool = False) -> None:
        if not self.parts:
            self.holder = self.blocks[-1]
        self.parts.append(text)
        if in_link or self.links:
            self.linked += len(text.strip())

    def flush(self) -> Line | None:
        """The line read so far (None when blank), and start a new one."""
        if not self.parts:
            return None
        text = squash("".join(self.parts))
        linked = min(1.0, self.linked / len(text)) if text else 0.0
        self.parts.clear()
        self.linked = 0
        return Line(text, self.holder, linked) if text else None


_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "figure", "figcaption", "iframe",
                           "button", "select", "svg", "template", "h1"})  # fmt: skip


#: Elements whose text a reader never sees.
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "title"})
Chunk = tuple[str, etree._Element]


def after(node: etree._Element) -> Iterator[Chunk]:
    """The text chunks after ``node`` (not inside it), with their element, in document order.

    (Near enough: an element's tail comes right after its own text, before its children's.)
    """
    current: etree._Element | None = node
    while current is not None:
        if current.tail:
            yield current.tail, current.getparent()
        for sibling in current.itersiblings():
            yield from chunks(sibling.iter())
        current = current.getparent()


def before(node: etree._Element) -> Iterator[Chunk]:
    """The text chunks before ``node`` (not around it), nearest first, with their element."""
    current = node
    while (parent := current.getparent()) is not None:
        for sibling in current.itersiblings(preceding=True):
            yield from chunks(reversed(list(sibling.iter())), tail_first=True)
        if parent.text:
            yield parent.text, parent
        current = parent


def chunks(elements: Iterable[etree._Element], tail_first: bool = False) -> Iterator[Chunk]:
    """The texts and tails of ``elements`` (scripts' and styles' texts left out)."""
    for element in elements:
        visible = isinstance(element.tag, str) and element.tag not in _INVISIBLE
        if tail_first and element.tail:
            yield element.tail, element.getparent()
        if visible and element.text:
            yield element.text, element
        if not tail_first and element.tail:
            yield element.tail, element.getparent()
