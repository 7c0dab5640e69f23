"""Al Bayan (albayan.ae, البيان), a Dubai daily.

Traps: the header prints today's Hijri and Gregorian date ("current-date"); the date line
under the headline gives only the day ("03 يونيو 2020"), its ``time`` element the full
timestamp with a ``+0400`` offset; ``article:modified_time`` predates publication, so the
JSON-LD's ``dateModified`` is used; the dateline ("(أبوظبي - البيان)") stands in for a byline.
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
    meta,
    part,
    text_in,
    texts_in,
)
from scraper.extract.site import Discovery, Parser, Site

ARTICLE = part("article")
BODY = part("#articledetails")
BREADCRUMB = part("ul.breadcrumb")
_PARENTHESES = re.compile(r"^\((.*)\)$")


def published_raw(page: Page) -> str | None:
    return text_in(BODY, "div.publish-date time.published")(page)


def authors(page: Page) -> list[str]:
    """The dateline, which on this site names the desk: "(أبوظبي - البيان)"."""
    return [_PARENTHESES.sub(r"\1", s) for s in texts_in(BODY, "div.source li")(page)]


SITE = Site(
    name="albayan",
    title="البيان",
    domains=("albayan.ae",),
    base_url="https://www.albayan.ae",
    timezone="Asia/Dubai",
    article_url=re.compile(r"^/(?:[\w-]+/)+\d{4}-\d{2}-\d{2}-1\.\d+/?$"),
    discovery=Discovery(
        sitemaps=("/sitemap.xml",),
        news_sitemaps=("/news-sitemap.xml",),
        feeds=("/rss-7.1835693",),
        listings=("/across-the-uae/news-and-reports",),
        listing_page="{listing}?pageNum={n}",
    ),
    parsers=(
        Parser(
            {
                "title": text_in(ARTICLE, "h1"),
                "published": date_from(
                    attribute_in(BODY, "time.published", "datetime"),
                    meta("article:published_time"),
                    published_raw,
                ),
                "published_raw": published_raw,
                "section": text_in(BREADCRUMB, "li:last-child"),
                "authors": authors,
                "body": lines_in(BODY),
                "images": figures_in(ARTICLE, "figure.detailsmedia"),
                "related": links_in(ARTICLE, "div.related-stories li"),
            }
        ),
    ),
)
