"""Sputnik Arabic (arabic.sputniknews.com, now sarabic.ae), the Arabic service of Sputnik.

The site prints its times in GMT ("GMT 17:27 17.03.2020"), so its zone here is UTC: the day
it prints is the day of the record. Traps: the header clock ("b-sitenav__time"); the picture
sits in the page header above the headline, its credit after a "©"; "b-inject" teasers
(picture, credit and a link to another article) interrupt the body.
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

#: Found from the headline and the date line (tag scans) rather than by class over the page.
HEADER = part("//h1/ancestor::div[@class = 'b-article__header'][1]", "div.b-article__header")
ARTICLE = part("//time/ancestor::div[@class = 'b-article'][1]", "div.b-article")


def published_raw(page: Page) -> str | None:
    return text_in(ARTICLE, "time.b-article__refs-date")(page)


SITE = Site(
    name="sputnikarabic",
    title="Sputnik Arabic",
    domains=("arabic.sputniknews.com", "sarabic.ae"),
    base_url="https://sarabic.ae",
    timezone="UTC",
    article_url=re.compile(r"^/(?:amp/)?[a-z_]+/\d{12,}(?:-[^/]*)?/?$"),
    discovery=Discovery(
        sitemaps=("/sitemap_article_index.xml",),
        news_sitemaps=("/sitemap_article.xml",),
        feeds=("/export/rss2/archive/index.xml",),
        listings=("/arab_world/",),
        listing_page="{listing}?page={n}",
    ),
    parsers=(
        Parser(
            {
                "title": text_in(HEADER, "h1"),
                "published": date_from(
                    meta("pubdate", "datepublished", "article:published_time"),
                    attribute_in(ARTICLE, "time.b-article__refs-date", "datetime"),
                    published_raw,
                ),
                "published_raw": published_raw,
                "section": text_in(ARTICLE, "a.b-article__refs-rubric"),
                "tags": texts_in(ARTICLE, "div.b-article__refs-tags a"),
                "lead": text_in(ARTICLE, "div.b-article__lead"),
                "body": lines_in(ARTICLE, "div.b-article__text"),
                "images": figures_in(HEADER, "div.b-article__header", "div.b-article__header-copy"),
                "related": links_in(ARTICLE, "dl.b-article__refs-item dd"),
            }
        ),
    ),
)
