"""Enab Baladi (enabbaladi.net), a Syrian WordPress news site."""

from __future__ import annotations

import re
from datetime import datetime

from scraper.core.dates import parse_date
from scraper.core.page import Page
from scraper.extract import blocks
from scraper.extract.select import all_texts, first_text, select
from scraper.extract.site import Discovery, Parser, Site


def published_raw(page: Page) -> str | None:
    """The visible "2024/11/29" and "12:19 م" items under the title, as one string."""
    parts = all_texts("ul.post-meta li.date, ul.post-meta li.time")(page)
    return " ".join(parts) or None


def published(page: Page) -> datetime | None:
    """``article:published_time`` (UTC on this site), else the visible date and time."""
    for text in (page.meta_first("article:published_time"), published_raw(page)):
        if text and (value := parse_date(text, tz=page.timezone)):
            return value
    return None


def body(page: Page) -> list[str]:
    return blocks.paragraphs(
        select(page, "div.content-article > p, div.content-article > h2, div.content-article > h3")
    )


def images(page: Page) -> list[dict[str, str | None]]:
    return blocks.figures(page, "figure.post-thumbnail, div.content-article figure")


def related(page: Page) -> list[dict[str, str | None]]:
    return blocks.links(page, select(page, "section.related-posts li"))


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
                "title": first_text("h1.post-title"),
                "published": published,
                "published_raw": published_raw,
                "section": first_text("div.post-cat a[rel~=category]"),
                "tags": all_texts("div.post-tags a[rel=tag]"),
                "authors": all_texts("div.author-box .author-name a"),
                "body": body,
                "images": images,
                "related": related,
            }
        ),
    ),
)
