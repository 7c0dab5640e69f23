"""Reading the structured blocks of an article: paragraphs, figures, related-article lists."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from scraper.extract.select import select
from scraper.page import Page, squash, text_of

#: Inline "read also" teasers that sit among the body paragraphs but are not body.
READ_ALSO = re.compile(
    r"^\W*(?:[اإ]قر[أا]\s+(?:[أا]يض[اًاً]*|المزيد)|ذات صلة|طالع\s+[أا]يض|شاهد\s+[أا]يض|للمزيد)"
)
#: A trailing photo credit in parentheses: "... (الإعلام العسكري)".
_TRAILING_CREDIT = re.compile(r"^(?P<caption>.*?)[\s\-–—/|]*\((?P<credit>[^()]{2,80})\)\s*$", re.S)
#: A credit introduced by a label: "... تصوير: فلان" / "... المصدر: وكالة".
_LABELLED_CREDIT = re.compile(
    r"^(?P<caption>.*?)[\s\-–—/|(]*(?:تصوير|تصویر|المصدر|الصورة|مصدر الصورة)\s*[:：]\s*"
    r"(?P<credit>[^:()]{2,80}?)\)?\s*$",
    re.S,
)
_IMG_SOURCES = ("src", "data-src", "data-lazy-src", "data-original")


def split_credit(caption: str | None) -> tuple[str | None, str | None]:
    """Split a photo caption into (caption, credit)."""
    text = squash(caption)
    if not text:
        return None, None
    for pattern in (_TRAILING_CREDIT, _LABELLED_CREDIT):
        match = pattern.match(text)
        if match:
            return (squash(match["caption"]) or None), squash(match["credit"])
    return text, None


def paragraphs(nodes: Iterable[etree._Element]) -> list[str]:
    """Texts of paragraph nodes in order, without empty ones and "read also" teasers."""
    return [t for node in nodes if (t := text_of(node)) and not READ_ALSO.match(t)]


def image_url(page: Page, img: etree._Element) -> str | None:
    for attr in _IMG_SOURCES:
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return page.absolute(value)
    srcset = (img.get("srcset") or img.get("data-srcset") or "").strip()
    return page.absolute(srcset.split(",")[0].split()[0]) if srcset else None


def figures(page: Page, css: str, caption_css: str = "figcaption") -> list[dict[str, str | None]]:
    """Images of the figures matching ``css``, each with caption and credit split apart."""
    images = []
    seen: set[str] = set()
    for figure in select(page, css):
        img = figure if figure.tag == "img" else next(iter(select(figure, "img")), None)
        if img is None or not (url := image_url(page, img)) or url in seen:
            continue
        seen.add(url)
        caption_node = next(iter(select(figure, caption_css)), None)
        caption, credit = split_credit(text_of(caption_node) if caption_node is not None else None)
        images.append({"url": url, "caption": caption, "credit": credit, "alt": squash(img.get("alt")) or None})
    return images


def links(page: Page, nodes: Iterable[etree._Element]) -> list[dict[str, str | None]]:
    """``{url, title}`` of the links under ``nodes``, in order, each URL once."""
    found: dict[str, str | None] = {}
    for node in nodes:
        anchors = [node] if node.tag == "a" else node.iter("a")
        for anchor in anchors:
            href = (anchor.get("href") or "").strip()
            if href and not href.startswith(("#", "javascript:", "mailto:")):
                found.setdefault(page.absolute(href), text_of(anchor) or None)
    return [{"url": url, "title": title} for url, title in found.items()]
