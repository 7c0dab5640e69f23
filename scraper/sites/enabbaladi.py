"""Enab Baladi (enabbaladi.net), a Syrian WordPress news site."""

from __future__ import annotations

import re

from scraper.core.page import Page
from scraper.extract.fields import (
    date_from,
    figures_in,
    links_in,
    meta,
    paragraphs_in,
    text_in,
    texts_in,
    whole_page,
)
from scraper.extract.site import Discovery, Parser, Site


def published_raw(page: Page) -> str | None:
    """The visible "2024/11/29" and "12:19 م" items under the title, as one string."""
    parts = texts_in(whole_page, "ul.post-meta li.date, ul.post-meta li.time")(page)
    return " ".join(parts) or None


SITE = Site(
    name="enabbaladi",
    title="عنب بلدي",
    domains=("enabbaladi.net",),
    base_url="https://www.enabbaladi.net",
    timezone="Asia/Damascus",
    article_url=re.compile(r"^/archives/\d+/?$"),
    discovery=Discovery(
        sitemaps=("/sitemap_index.xml",),
        news_sitemaps=("/news-sitemap.xml",),
        feeds=("/feed/",),
        listings=("/archives/category/online",),
    ),
    parsers=(
        Parser(
            {
                "title": text_in(whole_page, "h1.post-title"),
                # ``article:published_time`` (UTC on this site), else the visible date and time.
                "published": date_from(meta("article:published_time"), published_raw),
                "published_raw": published_raw,
                "section": text_in(whole_page, "div.post-cat a[rel~=category]"),
                "tags": texts_in(whole_page, "div.post-tags a[rel=tag]"),
                "authors": texts_in(whole_page, "div.author-box .author-name a"),
                "body": paragraphs_in(
                    whole_page,
                    "div.content-article > p, div.content-article > h2, div.content-article > h3",
                ),
                "images": figures_in(
                    whole_page, "figure.post-thumbnail, div.content-article figure"
                ),
                "related": links_in(whole_page, "section.related-posts li"),
            }
        ),
    ),
)
