"""Al Arabiya (alarabiya.net, العربية نت), the Dubai channel's news site.

Traps: "نشر في: 02 ديسمبر ,2023: 02:15 م GST" (a comma before the year, a colon after it,
Gulf time) and "آخر تحديث" in the same date block; "اقرأ المزيد" teasers between body
paragraphs; captions ending in the agency's name in parentheses.
"""

from __future__ import annotations

import re

from scraper.core.page import Page
from scraper.extract.fields import (
    attribute_in,
    date_from,
    figures_in,
    lines_in,
    links_in,
    part,
    text_in,
    texts_in,
)
from scraper.extract.jsonld import published as jsonld_published
from scraper.extract.site import Discovery, Parser, Site

ARTICLE = part("article.article", "main article")
BODY = part("#body-text", "div.article-body")
RELATED = part("section.relatedArticle")


def published_raw(page: Page) -> str | None:
    return text_in(ARTICLE, "div.timeDate time.timeDate_element")(page)


SITE = Site(
    name="alarabiya",
    title="العربية",
    domains=("alarabiya.net",),
    base_url="https://www.alarabiya.net",
    timezone="Asia/Dubai",
    article_url=re.compile(r"^/[\w-]+(?:/[\w-]+)?/\d{4}/\d{2}/\d{2}/[^/]+/?$"),
    discovery=Discovery(
        sitemaps=("/sitemap.xml",),
        news_sitemaps=("/sitemaps/news.xml",),
        feeds=("/feed/rss2/ar.xml",),
        listings=("/arab-and-world",),
        listing_page="{listing}?pageNo={n}",
    ),
    parsers=(
        Parser(
            {
                "title": text_in(ARTICLE, "h1"),
                "published": date_from(
                    jsonld_published,
                    attribute_in(ARTICLE, "div.timeDate time.timeDate_element", "datetime"),
                    published_raw,
                ),
                "published_raw": published_raw,
                "section": text_in(ARTICLE, "div.breadcrumb li:last-child"),
                "lead": text_in(ARTICLE, "p.article-lead"),
                "tags": texts_in(ARTICLE, "div.article-tags a"),
                "authors": texts_in(ARTICLE, "span.article-author"),
                "body": lines_in(BODY),
                "images": figures_in(ARTICLE, "figure"),
                "related": links_in(RELATED, "li"),
            }
        ),
    ),
)
