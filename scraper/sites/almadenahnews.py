"""Al Madenah News (almadenahnews.com, المدينة نيوز), a Jordanian news site.

Traps: no date metadata at all, only the printed "تم نشره الجمعة 24 نيسان / أبريل 2020
09:22 مساءً" (Levantine and MSA month names together); a JavaScript clock in the header;
"og:title" puts the site name first ("المدينة نيوز - ..."), ``<title>`` last; related
headlines are cut short ("...") in the text, whole in the links' ``title``.
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
)
from scraper.extract.site import Discovery, Parser, Site

CONTENT = part("#main_article_content")
#: From the content's id up to its column and over to the related column: no class scans.
ARTICLE = part("./ancestor::div[contains(@class, 'article-details')][1]", within=CONTENT)
RELATED = part(
    "./following-sibling::div[contains(@class, 'related-col')][1]"
    "//div[contains(@class, 'related-news')]",
    within=ARTICLE,
)


def published_raw(page: Page) -> str | None:
    return text_in(ARTICLE, "div.article_created")(page)


SITE = Site(
    name="almadenahnews",
    title="المدينة نيوز",
    domains=("almadenahnews.com",),
    base_url="https://www.almadenahnews.com",
    timezone="Asia/Amman",
    article_url=re.compile(r"^/article/\d+(?:-[^/]*)?/?$"),
    discovery=Discovery(
        sitemaps=("/sitemap.xml",),
        feeds=("/rss",),
        listings=("/category/عربي-ودولي",),
        listing_page="{listing}?page={n}",
    ),
    parsers=(
        Parser(
            {
                "title": text_in(ARTICLE, "div.main_artlce_title h1"),
                "published": date_from(published_raw),
                "published_raw": published_raw,
                "section": text_in(ARTICLE, "div.boxTitle a"),
                "body": lines_in(ARTICLE, "div.main_article_body"),
                "images": figures_in(ARTICLE, "div.article_image", "div.red"),
                "related": links_in(RELATED, "div.newsTitle", titled=True),
            }
        ),
    ),
)
