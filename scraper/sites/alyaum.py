"""Al Yaum (alyaum.com, اليوم), a Saudi daily from Dammam.

Traps: the date line prints the time first and the day in Arabic-Indic digits with spaced
slashes ("٠٢:٠٠ الثلاثاء ١ / ١٢ / ٢٠٢٠"); every related article prints its own date too;
the headline is printed twice (the second copy a link for the infinite scroll); the body is
text cut by ``<br>`` with ad slots inside; photo captions live in the ``caption`` attribute
of the slider's images, the credit in parentheses at their end.
"""

from __future__ import annotations

import re

from scraper.core.page import Page
from scraper.extract import blocks
from scraper.extract.dom import select
from scraper.extract.fields import (
    date_from,
    lines_in,
    links_in,
    part,
    text_in,
    texts_in,
)
from scraper.extract.jsonld import published as jsonld_published
from scraper.extract.site import Discovery, Parser, Site

#: The article's column, found from its ``article`` element (the body's) without a class scan.
COLUMN = part("//article/ancestor::div[contains(@class, 'col-md-9')][1]")
MAIN = part("div.aksa-to1-main", within=COLUMN)
DETAILS = part("div.aksa-desc-o", within=COLUMN)
BODY = part("div.aksa-articleBody", within=DETAILS)
SLIDER = part("div.noajax-box-image", "div.img-o1", within=COLUMN)
#: The related-articles widget, the one element with a ``data-widget-id`` (cheaper than by class).
RELATED = part("//@data-widget-id/..", "div.aksa-related-articles-widget")


def published_raw(page: Page) -> str | None:
    return text_in(DETAILS, "div.aksa-date")(page)


def images(page: Page) -> list[dict[str, str | None]]:
    """The slider's pictures; their captions are in a ``caption`` attribute."""
    root = SLIDER(page)
    found: list[dict[str, str | None]] = []
    for img in select(root, "img[caption]") if root is not None else []:
        url = blocks.image_url(page, img)
        if url and all(url != seen["url"] for seen in found):
            caption, credit = blocks.split_credit(img.get("caption"))
            found.append(blocks.image(url, caption, credit, img.get("alt")))
    return found


SITE = Site(
    name="alyaum",
    title="اليوم",
    domains=("alyaum.com",),
    base_url="https://www.alyaum.com",
    timezone="Asia/Riyadh",
    article_url=re.compile(r"^/articles/\d+(?:/[^/]+){0,2}/?$"),
    discovery=Discovery(
        sitemaps=("/sitemap.xml",),
        news_sitemaps=("/googlenews.xml",),
        feeds=("/rss",),
        listings=("/morearticles/المملكة-اليوم",),
        listing_page="{listing}?page={n}",
    ),
    parsers=(
        Parser(
            {
                "title": text_in(MAIN, "h1"),
                "published": date_from(jsonld_published, published_raw),
                "published_raw": published_raw,
                "section": text_in(DETAILS, "div.aksa-section a"),
                "authors": texts_in(DETAILS, "a.aksa-byline"),
                "body": lines_in(BODY),
                "images": images,
                "related": links_in(RELATED, "a.article-title"),
            }
        ),
    ),
)
