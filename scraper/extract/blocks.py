"""Reading the structured blocks of an article: paragraphs, figures, related-article lists."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from scraper.core.page import Page, squash, text_of
from scraper.extract import boilerplate, dom
from scraper.extract.dom import select

#: Inline "read also" teasers that sit among the body paragraphs but are not body.
READ_ALSO = re.compile(
    r"^\W*(?:[اإ]قر[أا]\s+(?:[أا]يض[اًاً]*|المزيد|كذلك)|ذات صلة|طالع\s+[أا]يض|شاهد\s+[أا]يض|"
    r"[اإ]نظر\s+[أا]يض|للمزيد|تابع\s+[أا]يض|(?:أخبار|مواضيع|مقالات|موضوعات)\s+(?:ذات صلة|متعلقة))"
)
#: A trailing photo credit in parentheses: "... (الإعلام العسكري)".
_TRAILING_CREDIT = re.compile(r"^(?P<caption>.*?)[\s\-–—/|]*\((?P<credit>[^()]{2,80})\)\s*$", re.S)
#: A credit introduced by a label: "... تصوير: فلان" / "... المصدر: وكالة".
_LABELLED_CREDIT = re.compile(
    r"^(?P<caption>.*?)[\s\-–—/|(]*(?:تصوير|تصویر|المصدر|الصورة|مصدر الصورة)\s*[:：]\s*"
    r"(?P<credit>[^:()]{2,80}?)\)?\s*$",
    re.S,
)
#: A credit after a copyright sign: "... © رويترز".
_COPYRIGHT_CREDIT = re.compile(r"^(?P<caption>.*?)[\s\-–—/|]*©\s*(?P<credit>[^©]{2,80}?)\s*$", re.S)
#: Class or id words of what sits inside an article's body element but is not body: ads,
#: "read also" boxes, captions, share bars, bylines and date lines.
NOT_BODY = re.compile(
    r"\bads?\b|advert|banner|promo|sponsor|caption|credit|copyright|inject|embed|related|"
    r"also|read-?more|more-?news|share|social|sharing|tags?\b|keywords|comment|author|byline|"
    r"meta|date|newsletter|subscribe|gallery|slider|carousel|video|player|audio|"
    r"twitter|instagram|facebook|whatsapp|print|breadcrumb|widget|google-news|follow",
    re.I,
)
_IMG_SOURCES = ("src", "data-src", "data-lazy-src", "data-original")


def split_credit(caption: str | None) -> tuple[str | None, str | None]:
    """Split a photo caption into (caption, credit)."""
    text = squash(caption)
    if not text:
        return None, None
    for pattern in (_TRAILING_CREDIT, _LABELLED_CREDIT, _COPYRIGHT_CREDIT):
        match = pattern.match(text)
        if match:
            return (squash(match["caption"]) or None), squash(match["credit"])
    return text, None


def paragraphs(nodes: Iterable[etree._Element]) -> list[str]:
    """Texts of paragraph nodes in order, without empty ones and "read also" teasers."""
    return [t for node in nodes if (t := text_of(node)) and not READ_ALSO.match(t)]


def lines(nodes: Iterable[etree._Element], skip: re.Pattern[str] | None = NOT_BODY) -> list[str]:
    """Like `paragraphs`, for bodies whose paragraphs are lines cut by ``<br>``.

    Figures, headlines, lines that are mostly links, and the subtrees whose class or id match
    ``skip`` (ads, "read also" boxes) are left out.
    """
    found = [
        line
        for node in nodes
        for line in dom.line_items(node, skip)
        if not READ_ALSO.match(line.text)
    ]
    return boilerplate.article_lines(found, None)


def image_url(page: Page, img: etree._Element) -> str | None:
    for attr in _IMG_SOURCES:
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return page.absolute(value)
    srcset = (img.get("srcset") or img.get("data-srcset") or "").strip()
    return page.absolute(srcset.split(",")[0].split()[0]) if srcset else None


def figures_of(
    page: Page, holders: Iterable[etree._Element], caption_css: str = "figcaption"
) -> list[dict[str, str | None]]:
    """Images of ``holders`` (figures, or ``img`` elements), each URL once, with captions."""
    images = []
    seen: set[str] = set()
    for holder in holders:
        img = holder if holder.tag == "img" else next(iter(select(holder, "img")), None)
        if img is None or not (url := image_url(page, img)) or url in seen:
            continue
        seen.add(url)
        caption_node = next(iter(select(holder, caption_css)), None)
        caption, credit = split_credit(text_of(caption_node) if caption_node is not None else None)
        images.append(image(url, caption, credit, img.get("alt")))
    return images


def image(
    url: str, caption: str | None, credit: str | None, alt: str | None
) -> dict[str, str | None]:
    """One entry of a record's ``images``."""
    return {"url": url, "caption": caption, "credit": credit, "alt": squash(alt) or None}


def links(
    page: Page, nodes: Iterable[etree._Element], titled: bool = False
) -> list[dict[str, str | None]]:
    """``{url, title}`` of the links under ``nodes``, in order, each URL once.

    A URL linked twice (picture, then headline) keeps the first title that has text. With
    ``titled``, a link's ``title`` attribute wins over its text (sites that cut the text).
    """
    found: dict[str, str | None] = {}
    for node in nodes:
        anchors = [node] if node.tag == "a" else node.iter("a")
        for anchor in anchors:
            href = (anchor.get("href") or "").strip()
            if href and not href.startswith(("#", "javascript:", "mailto:")):
                url = href if href.startswith(("https://", "http://")) else page.absolute(href)
                if not found.get(url):
                    title = squash(anchor.get("title")) if titled else ""
                    found[url] = title or text_of(anchor) or None
    return [{"url": url, "title": title} for url, title in found.items()]
