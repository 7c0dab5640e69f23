"""Layer 3 of the generic extractor: what a reader sees, for pages without usable metadata."""

from __future__ import annotations

import re
from functools import cache

from lxml import etree

from scraper.extract import blocks
from scraper.extract.select import select
from scraper.page import Page, squash, text_of

#: Containers whose text is never article body.
_BOILERPLATE = re.compile(
    r"comment|share|social|related|footer|header|sidebar|widget|menu|nav|breadcrumb|"
    r"advert|\bads?\b|promo|newsletter|tags?\b|author|meta|copyright|popular|most-read",
    re.I,
)
_RELATED_HEADINGS = re.compile(
    r"^\W*(?:مقالات متعلقة|مواضيع متعلقة|[اإ]قر[أا] [أا]يض[اًاً]*|أخبار ذات صلة|مواضيع ذات صلة|"
    r"ذات صلة|المزيد|اخترنا لك|تقارير ذات صلة)\W*$"
)
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—:»«]\s+|\s*\|\s*")
_MIN_PARAGRAPH = 30


def _is_boilerplate(node: etree._Element) -> bool:
    for element in node.iterancestors():
        if element.tag in ("header", "footer", "nav", "aside", "form"):
            return True
        marker = f"{element.get('class', '')} {element.get('id', '')}"
        if marker.strip() and _BOILERPLATE.search(marker):
            return True
    return False


def title_candidates(page: Page) -> list[str]:
    return [t for h1 in page.tree.iter("h1") if (t := text_of(h1))]


def strip_site_name(title: str, site_names: tuple[str, ...] = ()) -> str:
    """``<title>`` minus a site-name suffix or prefix (" - اليوم السابع", "الموقع | ...")."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    for name in site_names:
        kept = [p for p in parts if squash(p) != name]
        if len(kept) < len(parts):
            return squash(" - ".join(kept))
    return max(parts, key=len).strip()


def title(page: Page) -> str | None:
    """The ``h1`` that agrees with the document title, else the first, else ``<title>``."""
    head_title = squash(page.tree.findtext(".//title"))
    candidates = title_candidates(page)
    for candidate in candidates:
        if head_title and (candidate in head_title or head_title in candidate):
            return candidate
    if candidates:
        return candidates[0]
    return strip_site_name(head_title) or None


@cache
def _paragraph_xpath() -> etree.XPath:
    return etree.XPath("//p | //div[not(.//p) and not(.//div)] | //blockquote[not(.//p)]")


def body(page: Page) -> list[str]:
    """Paragraphs of the densest text block, boilerplate containers excluded.

    Candidate paragraphs are grouped by parent; the parent holding the most text wins and its
    paragraphs (long enough to be prose) are returned in document order.
    """
    groups: dict[etree._Element, list[etree._Element]] = {}
    for node in _paragraph_xpath()(page.tree):
        if _is_boilerplate(node) or node.getparent() is None:
            continue
        if len(text_of(node)) >= _MIN_PARAGRAPH:
            groups.setdefault(node.getparent(), []).append(node)
    if not groups:
        return []
    best = max(groups.values(), key=lambda nodes: sum(len(text_of(n)) for n in nodes))
    return blocks.paragraphs(best)


def images(page: Page) -> list[dict[str, str | None]]:
    found = blocks.figures(page, "figure, .wp-caption, .image-caption, .photo")
    if found:
        return found
    og_image = page.meta_first("og:image", "twitter:image")
    if og_image:
        return [{"url": page.absolute(og_image), "caption": None, "credit": None, "alt": None}]
    return []


def related(page: Page) -> list[dict[str, str | None]]:
    """Links listed under a heading such as "مقالات متعلقة" or "اقرأ أيضًا"."""
    for heading in select(page, "h2, h3, h4, h5, div, span, strong, p"):
        if len(heading) > 2 or not _RELATED_HEADINGS.match(text_of(heading)):
            continue
        for container in (heading.getnext(), heading.getparent()):
            if container is not None and (found := blocks.links(page, [container])):
                return [link for link in found if link["title"]]
    return []


def visible_dates(page: Page) -> list[str]:
    """Texts of ``time`` elements and date-like items near the title, outside page chrome."""
    texts = []
    for node in select(page, "time, .date, .time, .post-date, .entry-date, .article-date"):
        if not _is_boilerplate(node) and (text := text_of(node)):
            texts.append(text)
    return texts
