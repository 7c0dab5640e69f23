"""The generic lead: the standfirst a page prints between the headline and the body.

A block in that stretch is the lead when its class or id says so ("lead", "standfirst",
"subhead", "summary", "excerpt"...) or when its text is the page's summary in the metadata
(JSON-LD or microdata ``description``, ``og:description``, ``description``), whole or cut.
A block that paragraphs of its kind follow opens the body instead: the summary is often
the body's first paragraph, and that is no standfirst.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import islice

from lxml import etree

from scraper.core.page import Page, squash, text_of
from scraper.extract import dom, heuristics, jsonld, microdata, titles

#: Class or id words of a standfirst.
LEAD_MARKER = re.compile(
    r"(?<![a-z])lead(?!er)|standfirst|sub-?head|sub-?title|summary|excerpt|intro|\bdeck\b|"
    r"abstract|nabza|moqadima",
    re.I,
)
#: How much text after the headline the lead may start within.
_WINDOW_CHARS = 1000
#: A lead is a sentence or a few: neither a label nor a whole article.
_MIN_CHARS, _MAX_CHARS = 40, 800
#: How alike (`titles.similarity`) a block and the metadata summary are when it prints it.
_SAME_AS_SUMMARY = 0.8
#: The words a text must share with the summary before the costlier comparison.
_OPENING_WORDS = 3
#: A run of text this long that is no lead is the body's first paragraph: the search ends.
_PROSE_WORDS = 10
#: How many following siblings tell a standfirst from the first paragraph of the body.
_RUN_SIBLINGS = 2
_BLOCKS = frozenset({"p", "div", "h2", "h3", "h4", "h5", "h6", "section", "blockquote"})
_NOT_LEAD = frozenset({"figure", "figcaption", "a", "li", "time", "nav", "aside", "footer"})
_ELLIPSIS = re.compile(r"\s*(?:\.{2,}|…)\s*$")


def _summaries(page: Page) -> Iterator[str]:
    """The page's summary as its metadata gives it, cheapest source first, each read only
    when the ones before did not match."""
    sources: tuple[Callable[[Page], str | None], ...] = (
        lambda p: p.meta_first("og:description"),
        lambda p: p.meta_first("description"),
        lambda p: p.meta_first("twitter:description"),
        jsonld.lead,
        lambda p: microdata.prop(p, "description"),
    )
    for source in sources:
        found = source(page)
        summary = squash(_ELLIPSIS.sub("", found)) if found else ""
        if len(summary) >= _MIN_CHARS:
            yield summary


def _block(node: etree._Element) -> etree._Element:
    """The nearest block element at or above ``node`` (a standfirst's ``<em>`` is in a ``<p>``)."""
    for element in (node, *node.iterancestors()):
        if element.tag in _BLOCKS:
            return element
    return node


def _candidates(page: Page, headline: etree._Element) -> Iterator[etree._Element]:
    """The blocks after the headline (none holding it) whose class says standfirst or whose
    text prints the metadata summary, in page order, up to the first paragraph of prose
    that is neither (the body has begun). Only runs of text long enough to open a lead are
    looked at, and none in a figure."""
    around = set(headline.iterancestors())
    seen, tried = 0, set()
    for text, holder in dom.after(headline):
        stripped = text.strip()
        seen += len(stripped)
        if seen > _WINDOW_CHARS:
            return
        if len(stripped) < _MIN_CHARS or holder.tag in _NOT_LEAD:
            continue
        block = _block(holder)
        if block in tried or block in around:
            continue
        tried.add(block)
        if _marked(block, holder) or _prints_summary(stripped, page):
            yield block
        elif len(stripped.split()) >= _PROSE_WORDS:
            return


def _marked(block: etree._Element, holder: etree._Element) -> bool:
    """Whether the block, the element its text starts in, or a box holding only the block
    has a standfirst's class or id."""
    box = block.getparent()
    boxes = [box] if box is not None and len(box) == 1 else []
    return any(LEAD_MARKER.search(dom.marker(e)) for e in {block, holder, *boxes} if e.attrib)


def _prints_summary(text: str, page: Page) -> bool:
    """Whether ``text`` is the summary (or its start, or the summary its start), or close to
    it; the word-set comparison only when both open with the same words."""
    opening = text.split(None, _OPENING_WORDS)[:_OPENING_WORDS]
    return any(
        text.startswith(s)
        or s.startswith(text)
        or (all(word in s for word in opening) and titles.similarity(text, s) >= _SAME_AS_SUMMARY)
        for s in _summaries(page)
    )


def _first_of_a_run(block: etree._Element) -> bool:
    """Whether paragraphs of the block's kind follow it: then it opens the body, no lead."""
    following = islice(block.itersiblings(), _RUN_SIBLINGS)
    return any(s.tag == block.tag and len(text_of(s).split()) >= _PROSE_WORDS for s in following)


def lead(page: Page) -> str | None:
    """The standfirst printed apart from the body (before it, not opening it), or None."""
    headline = heuristics.headline_node(page)
    if headline is None:
        return None
    for block in _candidates(page, headline):
        if _first_of_a_run(block):
            return None
        text = text_of(block)
        if (
            _MIN_CHARS <= len(text) <= _MAX_CHARS
            and block.tag not in _NOT_LEAD
            and not dom.is_chrome(block, headline, dom.CHROME, _NOT_LEAD)
        ):
            return text
    return None
