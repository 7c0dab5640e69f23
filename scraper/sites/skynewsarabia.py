"""Sky News Arabia (skynewsarabia.com, سكاي نيوز عربية), from Abu Dhabi.

Traps: a dateline ("أبوظبي - سكاي نيوز عربية") where a byline would be; "نشر في: 2 ديسمبر
2023 - 12:35 بتوقيت أبوظبي" beside "آخر تحديث"; "أخبار ذات صلة" inside the body and again
below it.
"""

from __future__ import annotations

import re

from scraper.core.page import Page
from scraper.extract.fields import (
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

ARTICLE = part("div.article-content", "article")
BODY = part("div.article-body")
RELATED = part("section.related-articles")


def published_raw(page: Page) -> str | None:
    return text_in(ARTICLE, "span.article-date-published")(page)


SITE = Site(
    name="skynewsarabia",
    title="سكاي نيوز عربية",
    domains=("skynewsarabia.com",),
    base_url="https://www.skynewsarabia.com",
    timezone="Asia/Dubai",
    article_url=re.compile(r"^/[\w-]+/\d+-[^/]+/?$"),
    discovery=Discovery(
        sitemaps=("/sitemaps/sitemap.xml",),
        news_sitemaps=("/sitemaps/news.xml",),
        feeds=("/rss.xml",),
        listings=("/middle-east",),
        listing_page="{listing}?page={n}",
    ),
    parsers=(
        Parser(
            {
                "title": text_in(ARTICLE, "h1.article-title"),
                "published": date_from(jsonld_published, published_raw),
                "published_raw": published_raw,
                "section": text_in(ARTICLE, "nav.breadcrumb a:last-child"),
                "lead": text_in(ARTICLE, "p.article-summary"),
                "tags": texts_in(ARTICLE, "div.article-tags a"),
                "body": lines_in(BODY),
                "images": figures_in(ARTICLE, "figure"),
                "related": links_in(RELATED, "li"),
            }
        ),
    ),
)
