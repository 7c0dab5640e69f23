"""Layer 4 of the generic extractor: what a reader sees, for pages without usable metadata.

The headline is the ``h1`` that agrees with the page's metadata titles; the date is the one
printed next to it; the body is the element holding the most paragraph text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import NamedTuple

from lxml import etree

from scraper.core.dates import parse_date
from scraper.core.page import Page, per_page, text_of
from scraper.extract import (
    blocks,
    boilerplate,
    captions,
    datelabels,
    dom,
    jsonld,
    meta,
    microdata,
    titles,
)

#: How alike (`titles.similarity`) an ``h1`` and a metadata title must be to be the headline.
_H1_AGREES = 0.5
#: The same for other elements (``h2``, ``.title``), which are more often teasers.
_OTHER_AGREES = 0.8
#: Attributes first, then their elements: several times faster than testing every element.
_OTHER_HEADLINES = etree.XPath(
    "//h2 | //h3 | //@itemprop[. = 'headline']/.."
    " | //@class[contains(., 'title')]/parent::*[not(self::a)]"
)


# --- Headline ----------------------------------------------------------------------------


def _twitter_title(page: Page) -> str | None:
    return titles.clean(page, page.meta_first("twitter:title"))


def _head_title(page: Page) -> str | None:
    return titles.clean(page, page.tree.findtext(".//title"))


#: Where the metadata gives the headline, most trusted first.
_REFERENCES = (jsonld.title, meta.title, microdata.title, _twitter_title, _head_title)
#: Agreement at which no further metadata title is worth reading.
_SURE = 0.95


def _references(page: Page) -> Iterator[str]:
    """The metadata headlines (site name removed), each read only when asked for."""
    read: dict[Callable[[Page], str | None], str | None] = page.memo.setdefault("titles", {})
    seen: set[str] = set()
    for layer in _REFERENCES:
        if layer not in read:
            read[layer] = layer(page)
        if (found := read[layer]) and found not in seen:
            seen.add(found)
            yield found


def reference_titles(page: Page) -> list[str]:
    """The headline as the metadata gives it, site name removed, most trusted first."""
    return list(_references(page))


def _best_match(nodes: list[etree._Element], page: Page, threshold: float) -> etree._Element | None:
    texts = [(node, text) for node in nodes if (text := text_of(node))]
    best, best_score = None, threshold
    for reference in _references(page) if texts else ():
        for node, text in texts:
            score = titles.similarity(text, reference)
            if score > best_score or (score == best_score and best is None):
                best, best_score = node, score
        if best_score >= _SURE:
            break
    return best


@per_page
def headline_node(page: Page) -> etree._Element | None:
    """The element printing the headline.

    An ``h1`` agreeing with a metadata title; else an ``h2``/``.title`` agreeing closely; else
    the only ``h1`` outside the page chrome that is not the site's name.
    """
    h1s = list(page.tree.iter("h1"))
    found = _best_match(h1s, page, _H1_AGREES)
    if found is None:
        found = _best_match(_OTHER_HEADLINES(page.tree), page, _OTHER_AGREES)
    if found is not None:
        return found
    names = titles.site_names(page)
    content = [
        h
        for h in h1s
        if (text := text_of(h)) and not dom.is_chrome(h) and not titles.is_site_name(text, names)
    ]
    return content[0] if len(content) == 1 else None


def title(page: Page) -> str | None:
    """The headline as printed; the metadata's (site name removed) when no element agrees.

    A ``<br>`` in the headline reads as a space, as a reader sees it.
    """
    node = headline_node(page)
    if node is not None:
        return " ".join(dom.lines(node)) or None
    return next(_references(page), None)


# --- Date printed by the headline --------------------------------------------------------


class Printed(NamedTuple):
    """A date printed on the page: as printed (its label kept, a neighbouring label's part
    cut off), whether the page labels it a date ("نشر", a class), whether it is the last
    update rather than the publication."""

    text: str
    value: datetime
    labelled: bool
    updated: bool = False


#: How much text after (before) the headline the article's date may be printed within.
_AFTER_CHARS, _BEFORE_CHARS = 1500, 160
#: How much text after the headline its last update may be printed within.
_UPDATE_CHARS = 600
#: A date line is short; longer texts are prose that happens to name a date.
_DATE_LINE = 160
_DIGIT = re.compile(r"[0-9٠-٩۰-۹]")
#: Class or id words of an element that prints the last update.
_MODIFIED_MARKER = re.compile(r"modif|updat|(?<![a-z])upd(?![a-z])", re.I)
#: What marks an element or a text as the publication date.
_DATE_MARKER = re.compile(r"date|time|publish|posted|created|تاريخ", re.I)
_DATE_LABEL = re.compile(r"نشر|تاريخ|published|posted", re.I)
#: Where dates are those of photos, not of the article.
_NO_DATES = re.compile(r"caption|gallery|slider|carousel|photo", re.I)
_NO_DATE_TAGS = frozenset({"figure", "figcaption"})
#: Two "now"s for telling relative dates ("منذ ساعتين") apart from absolute ones.
_NOWS = (datetime(2001, 1, 1), datetime(2011, 6, 15))


def absolute_date(text: str, tz: str) -> datetime | None:
    """The date ``text`` names when it names a day on its own (not "منذ ساعتين", not "أمس")."""
    first = parse_date(text, tz=tz, now=_NOWS[0])
    if first is None or first != parse_date(text, tz=tz, now=_NOWS[1]):
        return None
    return first


def _date_elements(chunks: Iterator[dom.Chunk], chars: int) -> Iterator[etree._Element]:
    """The elements holding text with digits (or a ``time``) in the first ``chars`` characters."""
    seen = 0
    for text, holder in chunks:
        if seen > chars:
            return
        stripped = text.strip()
        seen += len(stripped)
        if stripped and (_DIGIT.search(stripped) or holder.tag == "time"):
            yield holder


def _read_element(node: etree._Element, tz: str) -> list[Printed]:
    """The dates printed by a short element (or its parents, while they stay short)."""
    for _ in range(3):
        if node is None or not isinstance(node.tag, str):
            return []
        text = text_of(node)
        if len(text) > _DATE_LINE:
            return []
        found = _read_line(node, text, tz)
        if found:
            return found
        node = node.getparent()
    return []


def _read_line(node: etree._Element, text: str, tz: str) -> list[Printed]:
    """The dates of one element's text, a date per labelled part ("نشر في … آخر تحديث …").

    A part without a label of its own takes the one printed just before the element
    ("<span>آخر تحديث:</span> <time>…</time>"), or the element's class ("date-updated").
    """
    parts = _update_stamps(datelabels.parts(text), tz)
    stamp = node.get("datetime") if node.tag == "time" else None
    if stamp and len(parts) <= 1:
        parts = [datelabels.Part(parts[0].kind if parts else "", text or stamp)]
    marker = dom.marker(node)
    found = []
    for part in parts:
        kind = part.kind or (datelabels.label_before(node) if len(parts) == 1 else "")
        value = (stamp and len(parts) == 1 and absolute_date(stamp, tz)) or absolute_date(
            part.text, tz
        )
        if value is not None:
            updated = kind == datelabels.UPDATED or (
                kind != datelabels.PUBLISHED and bool(_MODIFIED_MARKER.search(marker))
            )
            labelled = bool(
                node.tag == "time"
                or kind
                or _DATE_MARKER.search(marker)
                or _DATE_LABEL.search(part.text)
            )
            found.append(Printed(part.text, value, labelled, updated))
    return found


def _update_stamps(parts: list[datelabels.Part], tz: str) -> list[datelabels.Part]:
    """The parts, an update that prints only a time joined to the day printed before it:
    "الخميس، 14 آذار 2019، آخر تحديث 09:30" is one update stamp, not a publication day."""
    joined: list[datelabels.Part] = []
    for part in parts:
        before = joined[-1] if joined else None
        if (
            before is not None
            and before.kind == datelabels.UNLABELLED
            and part.kind == datelabels.UPDATED
            and absolute_date(part.text, tz) is None
        ):
            joined[-1] = datelabels.Part(datelabels.UPDATED, f"{before.text} {part.text}")
        else:
            joined.append(part)
    return joined


def printed_date(page: Page) -> Printed | None:
    """The publication date printed beside the headline (after it, else just before it), in
    the page's zone; never the last update.

    Dates in page chrome (header clocks, tickers, related lists) and relative dates are
    ignored: a saved page's "منذ ساعتين" is no date at all.
    """
    return page.remember((printed_date, page.timezone), lambda: _printed_date(page))


def _printed_date(page: Page) -> Printed | None:
    """Nearest first: after the headline, just before it; then, labelled as a date only,
    just after the body (dates some sites print at the end of the article)."""
    for chunks, chars, anchor, labelled_only in _date_windows(page):
        tried: set[etree._Element] = set()
        for node in _date_elements(chunks, chars):
            if node in tried:
                continue
            tried.add(node)
            for found in _dates_at(node, anchor, page.timezone):
                if not found.updated and (found.labelled or not labelled_only):
                    return found
    return None


def printed_update(page: Page) -> Printed | None:
    """The last update printed after the headline ("آخر تحديث: …", an update class), read
    from the elements that name an update or carry such a class; None when none does."""
    return page.remember((printed_update, page.timezone), lambda: _printed_update(page))


def _printed_update(page: Page) -> Printed | None:
    headline = headline_node(page)
    if headline is None:
        return None
    seen = 0
    for text, holder in dom.after(headline):
        if seen > _UPDATE_CHARS:
            return None
        seen += len(text.strip())
        if datelabels.names_an_update(text) or (
            _DIGIT.search(text) and _MODIFIED_MARKER.search(dom.marker(holder))
        ):
            found = next((d for d in _dates_at(holder, headline, page.timezone) if d.updated), None)
            if found is not None:
                return found
    return None


def _dates_at(node: etree._Element, anchor: etree._Element, tz: str) -> list[Printed]:
    """The dates `_read_element` reads at ``node``, none when it sits in chrome or a photo."""
    dates = _read_element(node, tz)
    return dates if dates and _may_print_the_date(node, anchor) else []


def _date_windows(
    page: Page,
) -> Iterator[tuple[Iterator[dom.Chunk], int, etree._Element, bool]]:
    """(chunks, how many characters of them, their anchor, labelled dates only) for each
    stretch of the page a date may be printed in, nearest first; each found when asked for
    (the body block only when the headline's neighbourhood gave no publication date)."""
    headline = headline_node(page)
    if headline is not None:
        yield dom.after(headline), _AFTER_CHARS, headline, False
        yield dom.before(headline), _BEFORE_CHARS, headline, False
    body = body_node(page)
    if body is not None:
        yield dom.after(body), _BEFORE_CHARS, body, True


def _may_print_the_date(node: etree._Element, anchor: etree._Element) -> bool:
    """Not page chrome (header clocks, related lists), not a photo caption ("... 2023")."""
    if node.tag in _NO_DATE_TAGS or _NO_DATES.search(dom.marker(node)):
        return False
    return not dom.is_chrome(node, unless=anchor) and not dom.is_chrome(
        node, None, _NO_DATES, _NO_DATE_TAGS
    )


# --- Body --------------------------------------------------------------------------------

_UNIT_TAGS = ("p", "blockquote", "pre", "br")
_MIN_PARAGRAPH = 25
#: How much of the best block's text a sibling of its kind holds when both are parts of it.
_PART_SHARE = 0.25
#: Below this much paragraph text in any element, ``div`` paragraphs are counted too, those
#: with a sentence or more of text.
_THIN_BODY, _MIN_DIV_PARAGRAPH = 400, 80
#: Children that make a ``div`` a container rather than a paragraph.
_NOT_INLINE = frozenset(
    {"div", "p", "section", "article", "ul", "ol", "table", "figure", "header", "footer",
     "nav", "aside", "form", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "main"}
)  # fmt: skip
_NOT_CONTAINER = re.compile(r"comment|related|sidebar|footer|widget|most-?read|popular", re.I)
_NOT_BODY_TAGS = dom.CHROME_TAGS | {"body"}


def _unit_scores(page: Page) -> dict[etree._Element, float]:
    """Paragraph text per containing element (half of it to the grandparent, too).

    Paragraphs are ``p`` elements, less twice their link text, and the lines of text that
    ``<br>`` elements cut outside any ``p``; on pages where these are too few, ``div``
    elements that hold only text and inline elements (sites that write no ``p``).
    """
    scores: dict[etree._Element, float] = {}
    broken: set[etree._Element] = set()
    for node in page.tree.iter(*_UNIT_TAGS):
        parent = node.getparent()
        if node.tag == "br":
            if parent is not None and parent.tag != "p" and parent not in broken:
                broken.add(parent)
                _credit(scores, parent, _loose_text(parent))
            continue
        _credit_paragraph(scores, node)
    if max(scores.values(), default=0) < _THIN_BODY:
        for div in page.tree.iter("div"):
            if not any(child.tag in _NOT_INLINE for child in div):
                _credit_paragraph(scores, div, _MIN_DIV_PARAGRAPH)
    return scores


def _credit_paragraph(
    scores: dict[etree._Element, float], node: etree._Element, least: int = _MIN_PARAGRAPH
) -> None:
    """Credit the paragraph's text, less twice its link text, to its parent."""
    text = text_of(node)
    if len(text) >= least:
        linked = sum(len(text_of(a)) for a in node.iter("a"))
        _credit(scores, node.getparent(), len(text) - 2 * linked)


def _loose_text(element: etree._Element) -> int:
    """How much prose sits directly in ``element``, between its children."""
    texts = [element.text, *(child.tail for child in element)]
    return sum(n for t in texts if t and (n := len(t.strip())) >= _MIN_PARAGRAPH)


def _credit(
    scores: dict[etree._Element, float], parent: etree._Element | None, score: float
) -> None:
    if parent is None or score <= 0:
        return
    scores[parent] = scores.get(parent, 0.0) + score
    grandparent = parent.getparent()
    if grandparent is not None:
        scores[grandparent] = scores.get(grandparent, 0.0) + score / 2


@per_page
def body_node(page: Page) -> etree._Element | None:
    """The element holding the most paragraph text, outside page chrome; its parent when a
    sibling of the same kind holds a good part of the text too (an article cut in two by a
    box between its parts)."""
    scores = _unit_scores(page)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    for node, _ in ranked[:5]:
        if _usable(node):
            parent = node.getparent()
            if parent is not None and _usable(parent) and _cut_in_parts(node, parent, scores):
                return parent
            return node
    return None


def _cut_in_parts(
    node: etree._Element, parent: etree._Element, scores: dict[etree._Element, float]
) -> bool:
    """Whether a sibling of ``node``'s tag and class holds a good share of its text too."""
    share = scores[node] * _PART_SHARE
    return any(
        sibling is not node
        and sibling.tag == node.tag
        and sibling.get("class") == node.get("class")
        and scores.get(sibling, 0) >= share
        for sibling in parent
    )


def _usable(node: etree._Element) -> bool:
    """Not ``<body>`` itself, nor chrome (a header, a comment box), nor inside chrome."""
    usable = node.tag not in _NOT_BODY_TAGS and not _NOT_CONTAINER.search(dom.marker(node))
    return usable and not dom.is_chrome(node)


def body(page: Page) -> list[str]:
    """Paragraphs of the densest text block; when it is thin, the JSON-LD ``articleBody``,
    else the microdata ``articleBody`` element's.

    Date lines ("نشر في 14-02-2024 | 13:05") and "read also" teasers are left out, and the
    page's furniture the block holds (see `boilerplate`).
    """
    found = article_text(page, body_node(page))
    if sum(map(len, found)) < 200:
        return jsonld.body(page) or article_text(page, microdata.body_node(page)) or found
    return found


def article_text(page: Page, node: etree._Element | None) -> list[str]:
    """The article's paragraphs in ``node``, without the page's furniture."""
    if node is None:
        return []
    lines = [
        line
        for line in dom.line_items(node, blocks.NOT_BODY)
        if len(line.text) > 1
        and not blocks.READ_ALSO.match(line.text)
        and not _date_line(line.text, page)
    ]
    return boilerplate.article_lines(lines, title(page))


def _date_line(text: str, page: Page) -> bool:
    return (
        len(text) < _DATE_LINE // 2
        and bool(_DIGIT.search(text))
        and bool(absolute_date(text, page.timezone))
    )


# --- Images and related articles ---------------------------------------------------------

_CAPTIONED = etree.XPath(
    ".//figure | .//*/@class[contains(., 'caption') or contains(., 'img-cap')]"
    "/parent::*[not(self::figure or ancestor::figure)]/.."
)


_LOOSE_PICTURES = etree.XPath(".//img[not(ancestor::figure) and not(ancestor::a[@href])]")


def _loose_pictures(
    root: etree._Element, holders: list[etree._Element]
) -> Iterator[etree._Element]:
    """The ``img`` elements of ``root`` outside figures, caption holders, links and chrome."""
    for img in _LOOSE_PICTURES(root):
        if not any(_holds(img_box, {img}) for img_box in holders) and not dom.is_chrome(img):
            yield img


def article_root(page: Page) -> etree._Element | None:
    """The smallest element holding both the headline and the body."""
    headline, body_element = headline_node(page), body_node(page)
    if body_element is None:
        return headline.getparent() if headline is not None else None
    if headline is None:
        return body_element
    ancestors = set(headline.iterancestors())  # lxml keeps one proxy per node while referenced
    return next((a for a in (body_element, *body_element.iterancestors()) if a in ancestors), None)


def images(page: Page) -> list[dict[str, str | None]]:
    """Figures and captioned pictures of the article, else its ``og:image``.

    Pictures outside figures count when `captions` finds their caption (in an attribute,
    or as the rest of their box); not those linking elsewhere (teaser thumbnails).
    """
    root = article_root(page)
    if root is not None:
        holders = [n for n in _CAPTIONED(root) if not dom.is_chrome(n)]
        found = blocks.figures_of(page, holders, "figcaption, [class*=caption], .img-cap")
        found += captions.pictures(
            page, _loose_pictures(root, holders), title(page), {i["url"] or "" for i in found}
        )
        if found:
            return found
    og_image = page.meta_first("og:image", "twitter:image")
    if og_image:
        return [blocks.image(page.absolute(og_image), None, None, None)]
    return []


_RELATED_HEADING = re.compile(
    r"^\W*(?:مقالات|مواضيع|أخبار|اخبار|موضوعات|تقارير|قصص)\s+(?:ذات صلة|متعلقة|مرتبطة|ذات علاقة)|"
    r"^\W*(?:ال)?(?:مقالات|مواضيع|أخبار|اخبار|موضوعات)\s+(?:ال)?(?:متعلقة|مرتبطة|ذات الصلة)|"
    r"^\W*(?:[اإ]قر[أا]|[اإ]نظر|شاهد)\s+(?:[أا]يض[اًاً]*|كذلك)|^\W*ذات صلة|^\W*اخترنا لك|"
    r"^\W*المزيد من|^\W*related|^\W*read (?:also|more)"
)
#: How much text after the article its related-articles block may start within.
_RELATED_CHARS = 5000
_HEADING_LENGTH = 60
#: Where a related-articles heading is site navigation instead ("المزيد" in menus).
_NOT_RELATED = re.compile(r"footer|nav|menu|sidebar|side-bar", re.I)
_NOT_RELATED_TAGS = frozenset({"footer", "nav", "aside"})


def _related_headings(page: Page) -> Iterator[etree._Element]:
    """Elements whose text titles a related-articles block: after the article body first,
    then inside it (but not a teaser within a paragraph, "<p><b>اقرأ أيضا:</b> <a>")."""
    body = body_node(page)
    start = body if body is not None else headline_node(page)
    if start is None:
        return
    yield from _headings_in(dom.after(start), start)
    if body is not None:
        inside = ((t, h) for t, h in dom.chunks(body.iterdescendants()) if not _in_paragraph(h))
        yield from _headings_in(inside, body)


def _headings_in(chunks: Iterator[dom.Chunk], article: etree._Element) -> Iterator[etree._Element]:
    seen = 0
    for text, holder in chunks:
        stripped = text.strip()
        heading = len(stripped) < _HEADING_LENGTH and _RELATED_HEADING.match(stripped)
        if heading and not dom.is_chrome(holder, article, _NOT_RELATED, _NOT_RELATED_TAGS):
            yield holder
        seen += len(stripped)
        if seen > _RELATED_CHARS:
            return


def _in_paragraph(node: etree._Element) -> bool:
    return node.tag == "p" or next(node.iterancestors("p"), None) is not None


_MIN_TITLE_WORDS = 3


def _article_links(page: Page, node: etree._Element) -> list[dict[str, str | None]]:
    own = page.canonical_url or page.url
    return [
        link
        for link in blocks.links(page, [node])
        if link["title"] and len(link["title"].split()) >= _MIN_TITLE_WORDS and link["url"] != own
    ]


def related(page: Page) -> list[dict[str, str | None]]:
    """Links listed under a heading such as "مقالات متعلقة" or "اقرأ أيضًا".

    From the heading, up to three levels up: the first block (the heading's next sibling or
    parent) that lists two article links or more, else the first that lists one. Blocks that
    hold the article's headline or body are too far up.
    """
    article = {n for n in (headline_node(page), body_node(page)) if n is not None}
    for heading in _related_headings(page):
        single: list[dict[str, str | None]] = []
        container: etree._Element | None = heading
        for _ in range(3):
            if container is None:
                break
            for candidate in (container.getnext(), container.getparent()):
                if candidate is None or _holds(candidate, article):
                    continue
                found = _article_links(page, candidate)
                if len(found) > 1:
                    return found
                single = single or found
            container = container.getparent()
        if single:
            return single
    return []


def _holds(node: etree._Element, parts: set[etree._Element]) -> bool:
    return any(part is node or any(a is node for a in part.iterancestors()) for part in parts)
