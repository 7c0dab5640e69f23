"""The generic lead: the standfirst a page prints between the headline and the body block.

A block in that stretch is the lead when its class or id says so ("lead", "standfirst",
"subhead", "summary", "excerpt"...) or when its text is the page's summary in the metadata
(JSON-LD or microdata ``description``, ``og:description``, ``description``), whole or cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from scraper.extract import dom, heuristics, jsonld, microdata, titles
from scraper.page import Page

#: Class or id words of a standfirst.
LEAD_MARKER = re.compile(
    r"(?<![a-z])lead(?!er)|standfirst|sub-?head|sub-?title|summary|excerpt|intro|\bdeck\b|"
    r"abstract|nabza|moqadima",
    re.I,
)
#: How much text after the headline the lead may start within.
_WINDOW_CHARS = 2000
#: A lead is a sentence or a few: neither a label nor a whole article.
_MIN_CHARS, _MAX_CHARS = 40, 800
#: How alike (`titles.similarity`) a block and the metadata summary are when it prints it.
_SAME_AS_SUMMARY = 0.8
_BLOCKS = frozenset({"p", "div", "h2", "h3", "h4", "h5", "h6", "section", "blockquote"})
_NOT_LEAD = frozenset({"figure", "figcaption", "a", "li", "time", "nav", "aside", "footer"})
_ELLIPSIS = re.compile(r"\s*(?:\.{2,}|…)\s*$")


def summaries(page: Page) -> list[str]:
    """The page's summary as its metadata gives it, each wording once."""
    found = [
        jsonld.lead(page),
        microdata.prop(page, "description"),
        page.meta_first("og:description"),
        page.meta_first("description"),
        page.meta_first("twitter:description"),
    ]
    return list(dict.fromkeys(dom.squash(_ELLIPSIS.sub("", s)) for s in found if s))


def _block(node: etree._Element) -> etree._Element:
    """The nearest block element at or above ``node`` (a standfirst's ``<em>`` is in a ``<p>``)."""
    for element in (node, *node.iterancestors()):
        if element.tag in _BLOCKS:
            return element
    return node


def _between(headline: etree._Element, body: etree._Element) -> Iterator[etree._Element]:
    """The blocks after the headline and before the body block, in page order (none that
    holds either), each with the element its first text is in."""
    around = {*headline.iterancestors(), *body.iterancestors()}
    seen, tried = 0, set()
    for text, holder in dom.after(headline):
        if holder is body or any(a is body for a in holder.iterancestors()):
            return
        seen += len(text.strip())
        if seen > _WINDOW_CHARS:
            return
        block = _block(holder)
        if text.strip() and block not in tried and block not in around:
            tried.add(block)
            yield block


def _marked(block: etree._Element) -> bool:
    """Whether the block, or the one element inside it, has a standfirst's class or id."""
    children = list(block)
    inner = children[0] if len(children) == 1 else block
    return any(LEAD_MARKER.search(dom.marker(e)) for e in (block, inner) if e.attrib)


def _prints_summary(text: str, summaries: list[str]) -> bool:
    return any(
        text.startswith(s) or s.startswith(text) or titles.similarity(text, s) >= _SAME_AS_SUMMARY
        for s in summaries
        if len(s) >= _MIN_CHARS
    )


def lead(page: Page) -> str | None:
    """The standfirst printed apart from the body, or None."""
    headline, body = heuristics.headline_node(page), heuristics.body_node(page)
    if headline is None or body is None:
        return None
    known = summaries(page)
    for block in _between(headline, body):
        if block.tag in _NOT_LEAD or dom.is_chrome(block, headline, dom.CHROME, _NOT_LEAD):
            continue
        text = dom.text(block)
        if not _MIN_CHARS <= len(text) <= _MAX_CHARS:
            continue
        if _marked(block) or _prints_summary(text, known):
            return text
    return None
