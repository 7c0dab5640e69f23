"""Youm7 (youm7.com, اليوم السابع), an Egyptian daily.

Traps: ``article:published_time`` carries Cairo wall-clock time with a ``Z`` (UTC) suffix, so
the printed "الإثنين، 24 أغسطس 2020 09:23 ص" under the headline is the date to trust; the
header prints today's date and time ("date-header"); the body is one ``<p>`` cut by ``<br>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from scraper.core.page import Page
from scraper.extract.fields import (
    byline,
    date_from,
    figures_in,
    lines_in,
    links_in,
    part,
    text_in,
    texts_in,
)
from scraper.extract.site import Discovery, Parser, Site

ARTICLE = part("#divcont", "div.article-cont")
HEADER = part("div.articleHeader", within=ARTICLE)
BODY = part("#articleBody")


def published_raw(page: Page) -> str | None:
    return text_in(HEADER, "span.newsStoryDate")(page)


def wall_clock(key: str) -> Callable[[Page], str | None]:
    """A ``<meta>`` time read as the Cairo wall-clock time it really is (its ``Z`` dropped)."""

    def extract(page: Page) -> str | None:
        value = page.meta_first(key)
        return value.removesuffix("Z") if value else None

    return extract


SITE = Site(
    name="youm7",
    title="اليوم السابع",
    domains=("youm7.com",),
    base_url="https://www.youm7.com",
    timezone="Africa/Cairo",
    article_url=re.compile(r"^/story/\d{4}/\d{1,2}/\d{1,2}/[^/]+/\d+/?$"),
    discovery=Discovery(
        sitemaps=("/sitemap.xml",),
        news_sitemaps=("/newsSitemap.xml",),
        feeds=("/rss/SectionRss?SectionID=65",),
        listings=("/Section/أخبار-عاجلة/65",),
        listing_page="{listing}/{n}",
    ),
    parsers=(
        Parser(
            {
                "title": text_in(HEADER, "h1"),
                "published": date_from(published_raw, wall_clock("article:published_time")),
                "modified": date_from(wall_clock("article:modified_time")),
                "published_raw": published_raw,
                "section": text_in(HEADER, "div.breadcumb a:last-child"),
                "lead": text_in(HEADER, "h3.subTitle"),
                "tags": texts_in(ARTICLE, "div.tags a"),
                "authors": byline(text_in(ARTICLE, "span.writeBy")),
                "body": lines_in(BODY),
                "images": figures_in(ARTICLE, "article div.img-cont", "span.img-cap"),
                "related": links_in(ARTICLE, "div.news-dev8 h3"),
            }
        ),
    ),
)
