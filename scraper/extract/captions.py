"""Generic captions of pictures that are not in a ``<figure>`` nor beside a caption class.

Two layouts: the caption in an attribute of the ``img`` (``caption``, ``data-caption``,
``data-title``, ``title``), and the caption as the only text of the picture's box, in an
element after the ``img`` (``<div class="photo"><img><div></div><div>caption</div></div>``).
A caption that repeats the headline is the page's title on its picture, not a caption.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from scraper.core.page import Page, squash, text_of
from scraper.extract import blocks, titles

#: Attributes that hold an ``img``'s caption, most specific first.
CAPTION_ATTRIBUTES = ("caption", "data-caption", "data-title", "title")
_MAX_CHARS = 300
#: How alike (`titles.similarity`) a caption and the headline are when it only repeats it.
_SAME_AS_HEADLINE = 0.8
#: Elements that wrap an ``img`` without being its box.
_WRAPPERS = frozenset({"a", "picture", "span"})


def _usable(text: str | None, headline: str | None) -> str | None:
    text = squash(text)
    if not text or len(text) > _MAX_CHARS:
        return None
    if headline and titles.similarity(text, headline) >= _SAME_AS_HEADLINE:
        return None
    return text


def _box(img: etree._Element) -> etree._Element | None:
    """The element the picture sits in, past links and ``picture`` wrappers of the ``img``."""
    node = img
    while (parent := node.getparent()) is not None and parent.tag in _WRAPPERS:
        if text_of(parent):
            return None
        node = parent
    return node.getparent()


def box_caption(img: etree._Element, headline: str | None) -> str | None:
    """The text of the picture's box when it is all in elements after the ``img`` (and none
    of it in links: a tag list after its icon is no caption)."""
    box = _box(img)
    if box is None:
        return None
    after = " ".join(t for sibling in _outer(img, box).itersiblings() if (t := text_of(sibling)))
    alone = after and _unspaced(text_of(box)) == _unspaced(after)
    linked = any(text_of(a) for a in box.iter("a"))
    return _usable(after, headline) if alone and not linked else None


def _unspaced(text: str) -> str:
    return text.replace(" ", "")


def _outer(img: etree._Element, box: etree._Element) -> etree._Element:
    """The child of ``box`` that holds ``img``."""
    node = img
    while (parent := node.getparent()) is not None and parent is not box:
        node = parent
    return node


def attribute_caption(img: etree._Element, headline: str | None) -> str | None:
    return next((c for name in CAPTION_ATTRIBUTES if (c := _usable(img.get(name), headline))), None)


def pictures(
    page: Page, imgs: Iterable[etree._Element], headline: str | None, seen: set[str]
) -> list[dict[str, str | None]]:
    """The pictures among ``imgs`` that have a caption by one of the two layouts, each URL
    once (and none of ``seen``)."""
    found = []
    for img in imgs:
        url = blocks.image_url(page, img)
        if not url or url in seen:
            continue
        caption = box_caption(img, headline) or attribute_caption(img, headline)
        if caption:
            seen.add(url)
            text, credit = blocks.split_credit(caption)
            found.append(blocks.image(url, text, credit, img.get("alt")))
    return found
