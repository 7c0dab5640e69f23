"""Al Jazeera (aljazeera.net, الجزيرة نت), the Arabic site of the Doha network.

Traps: the date line prints the publication day without a time and, beside it, the last
update with one ("آخر تحديث: 2/12/2023 03:40 PM (بتوقيت مكة المكرمة)"); days are
day-first numbers; the "اقرأ أيضا" box inside the body is the article's related list; the
breaking-news ticker in the header carries times of its own.
"""

from __future__ import annotations

import re

from scraper.core.page import Page
from scraper.extract.fields import (
    date_from,
    figures_in,
    first_of,
    lines_in,
    links_in,
    part,
    text_in,
    texts_in,
)
from scraper.extract.jsonld import published as jsonld_published
from scraper.extract.site import Discovery, Parser, Site

MAIN = part("#main-content-area", "main")
HEADER = part("header.article-header")
BODY = part("div.wysiwyg")


def published_raw(page: Page) -> str | None:
    return text_in(MAIN, "div.article-dates div.date-simple")(page)


SITE = Site(
    name="aljazeera",
    title="الجزيرة نت",
    domains=("aljazeera.net",),
    base_url="https://www.aljazeera.net",
    timezone="Asia/Qatar",
    article_url=re.compile(r"^/[a-z-]+(?:/[a-z-]+)?/\d{4}/\d{1,2}/\d{1,2}/[^/]+/?$"),
    discovery=Discovery(
        sitemaps=("/sitemap.xml",),
        news_sitemaps=("/news-sitemap.xml",),
        listings=("/news/",),
        listing_page="{listing}?page={n}",
    ),
    parsers=(
        Parser(
            {
                "title": text_in(HEADER, "h1"),
                "published": date_from(jsonld_published, published_raw),
                "published_raw": published_raw,
                "section": text_in(MAIN, "nav.breadcrumbs li:last-child"),
                "lead": first_of(text_in(HEADER, "p.article__subhead"), text_in(HEADER, "em")),
                "tags": texts_in(MAIN, "div.topics a"),
                "body": lines_in(BODY),
                "images": figures_in(MAIN, "figure.article-featured-image, div.wysiwyg figure"),
                "related": links_in(BODY, "div.more-on li"),
            }
        ),
    ),
)
