"""The HTML and XML of the Enab Baladi replica (see ``enabbaladi.py`` for the content)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from scraper.replica.enabbaladi import (
    FEATURED,
    FEED_SIZE,
    FIRST_ID,
    LISTING_SIZE,
    NEWS_SITEMAP_SIZE,
    SITEMAP_SIZE,
    Article,
    Image,
    article,
    published_at,
    title_of,
)

SITE_NAME = "عنب بلدي"
_ARTICLE = re.compile(r"^/archives/(\d+)/?$")
_LISTING = re.compile(r"^/archives/category/online(?:/page/(\d+))?/?$")
_POST_SITEMAP = re.compile(r"^/post-sitemap(\d*)\.xml$")

HEADER = f"""<header id="theme-header"><div class="top-bar"><span class="today-date">الخميس 26 تشرين الثاني 2026</span>
<span class="clock">12:03</span></div><div class="logo"><a href="/"><img src="/wp-content/logo.png" alt="{SITE_NAME}"></a></div>
<nav id="main-nav"><ul class="menu"><li><a href="/archives/category/online">أخبار</a></li><li><a href="/archives/category/syria">سوريا</a></li>
<li><a href="/archives/category/economy">اقتصاد</a></li><li><a href="/archives/category/world">عربي ودولي</a></li></ul></nav></header>"""
FOOTER = """<footer id="footer"><div class="footer-widgets"><p>جميع الحقوق محفوظة لعنب بلدي © 2024</p>
<p>عنب بلدي مؤسسة إعلامية سورية مستقلة تأسست عام 2011.</p></div></footer>"""
SHARE = """<div class="share-buttons"><span>شارك</span><a class="facebook" href="#">فيسبوك</a>
<a class="twitter" href="#">تويتر</a><a class="whatsapp" href="#">واتساب</a></div>"""
AD = """<div class="ads-inside"><span class="ad-label">إعلان</span><ins class="adsbygoogle" data-ad-slot="1234"></ins></div>"""


def _page(title: str, head: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html dir="rtl" lang="ar">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | {SITE_NAME}</title>
<meta property="og:site_name" content="{SITE_NAME}">
<meta property="og:locale" content="ar_AR">
{head}
</head>
<body class="rtl">
{HEADER}
{body}
{FOOTER}
<script>window.dataLayer = window.dataLayer || [];</script>
</body>
</html>"""


@dataclass
class EnabBaladiReplica:
    """The whole replica at ``base`` with ``articles`` articles.

    ``editions`` maps article numbers to an edited edition; ``layout`` "redesign" renames the
    title's class, as a site redesign would, to show that a broken parser is noticed.
    """

    base: str
    articles: int
    editions: dict[int, int] = field(default_factory=dict)
    layout: str = "classic"

    def article(self, number: int) -> Article:
        return article(number, self.editions.get(number, 1))

    def modified_at(self, number: int) -> datetime:
        return published_at(number) + timedelta(days=self.editions.get(number, 1) - 1)

    def url(self, number: int) -> str:
        return f"{self.base}/archives/{FIRST_ID + number}"

    def newest_first(self, start: int, count: int) -> range:
        top = self.articles - start
        return range(top, max(0, top - count), -1)

    def route(self, path: str) -> tuple[int, str, str]:
        """(status, content type, body) for a request path."""
        path = path.split("?", 1)[0].split("#", 1)[0]
        if match := _ARTICLE.match(path):
            number = int(match[1]) - FIRST_ID
            if 1 <= number <= self.articles:
                return 200, "text/html; charset=UTF-8", self.article_html(self.article(number))
        elif match := _LISTING.match(path):
            page = int(match[1] or 1)
            if (page - 1) * LISTING_SIZE < self.articles:
                return 200, "text/html; charset=UTF-8", self.listing_html(page)
        elif match := _POST_SITEMAP.match(path):
            chunk = int(match[1] or 1)
            if (chunk - 1) * SITEMAP_SIZE < self.articles:
                return 200, "application/xml; charset=UTF-8", self.post_sitemap(chunk)
        elif path in self.fixed_routes():
            content_type, render = self.fixed_routes()[path]
            return 200, content_type, render()
        return 404, "text/html; charset=UTF-8", _page("الصفحة غير موجودة", "", "<h1>404</h1>")

    def fixed_routes(self) -> dict[str, tuple[str, Callable[[], str]]]:
        return {
            "/robots.txt": ("text/plain; charset=UTF-8", self.robots_txt),
            "/sitemap_index.xml": ("application/xml; charset=UTF-8", self.sitemap_index),
            "/news-sitemap.xml": ("application/xml; charset=UTF-8", self.news_sitemap),
            "/feed/": ("application/rss+xml; charset=UTF-8", self.feed),
            "/": ("text/html; charset=UTF-8", lambda: self.listing_html(1)),
        }

    # --- articles -----------------------------------------------------------------------

    def article_html(self, item: Article) -> str:
        url = self.url(item.number)
        section, slug = item.section
        head = [
            f'<link rel="canonical" href="{url}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{escape(item.title)}">',
            f'<meta property="og:url" content="{url}">',
            f'<meta property="og:image" content="{self.base}{item.images[0].url}">',
            f'<meta property="article:section" content="{escape(section)}">',
            *(f'<meta property="article:tag" content="{escape(t)}">' for t in item.tags),
        ]
        if item.has_metadata:
            utc = item.published.astimezone(UTC).isoformat()
            head.append(f'<meta property="article:published_time" content="{utc}">')
            modified = item.modified.astimezone(UTC).isoformat()
            head.append(f'<meta property="article:modified_time" content="{modified}">')
            head.append(f'<script type="application/ld+json">{self._jsonld(item, url)}</script>')
        title_class = "post-title entry-title" if self.layout == "classic" else "headline-v2"
        return _page(
            item.title,
            "\n".join(head),
            f"""<div id="main-content" class="container">
<nav class="breadcrumbs"><a href="/">الرئيسية</a> » <a href="/archives/category/{slug}">{escape(section)}</a> » <span>{escape(item.title)}</span></nav>
<article id="the-post" class="post-listing post">
<div class="post-inner">
<h1 class="{title_class}"><span itemprop="name">{escape(item.title)}</span></h1>
<ul class="post-meta"><li class="date"><i class="fa fa-calendar"></i>{item.published:%Y/%m/%d}</li><li class="time"><i class="fa fa-clock"></i>{item.published_raw.split(" ", 1)[1]}</li></ul>
{self._figure(item.images[0], "post-thumbnail wp-caption")}
{SHARE}
<div class="content-article entry">
{self._body(item)}
</div>
{self._tags(item)}
{SHARE}
{self._authors(item)}
{self._related(item)}
<div class="post-cat"><a href="/archives/category/{slug}" rel="category tag">{escape(section)}</a>
<a class="more-link" href="/archives/category/{slug}">المزيد من {escape(section)}</a></div>
</div>
</article>
<aside id="sidebar"><div class="widget"><h4>الأكثر قراءة</h4><ul><li><a href="{self.url(1)}">{escape(title_of(1))}</a></li></ul></div></aside>
</div>""",
        )

    def _jsonld(self, item: Article, url: str) -> str:
        article_object = {
            "@type": "NewsArticle",
            "@id": f"{url}#article",
            "headline": item.title,
            "datePublished": item.published.astimezone(UTC).isoformat(),
            "dateModified": item.modified.astimezone(UTC).isoformat(),
            "articleSection": [item.section[0]],
            "keywords": list(item.tags),
            "author": [{"@type": "Person", "name": a} for a in item.authors],
            "publisher": {"@type": "Organization", "name": SITE_NAME},
            "inLanguage": "ar",
        }
        crumbs = {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "الرئيسية", "item": f"{self.base}/"},
                {"@type": "ListItem", "position": 2, "name": item.title},
            ],
        }
        graph = {"@context": "https://schema.org", "@graph": [article_object, crumbs]}
        return json.dumps(graph, ensure_ascii=False).replace("</", "<\\/")

    def _figure(self, image: Image, css_class: str) -> str:
        return (
            f'<figure class="{css_class}"><img src="{self.base}{image.url}" '
            f'alt="{escape(image.printed)}" width="800" height="450">'
            f'<figcaption class="wp-caption-text">{escape(image.printed)}</figcaption></figure>'
        )

    def _body(self, item: Article) -> str:
        parts = []
        for index, paragraph in enumerate(item.body):
            parts.append(f"<p>{escape(paragraph)}</p>")
            if index == 1:
                parts.append(AD)
            if index == item.read_also_after:
                other = item.related[0]
                parts.append(
                    f'<p><strong>اقرأ أيضًا: </strong><a href="{self.url(other)}">'
                    f"{escape(title_of(other))}</a></p>"
                )
            if index == 2 and len(item.images) > 1:
                parts.append(self._figure(item.images[1], "wp-caption aligncenter"))
        return "\n".join(parts)

    def _tags(self, item: Article) -> str:
        links = " ".join(
            f'<a href="/archives/tag/{n}" rel="tag">{escape(t)}</a>'
            for n, t in enumerate(item.tags)
        )
        return f'<div class="post-tags"><span>الكلمات المفتاحية:</span> {links}</div>'

    def _authors(self, item: Article) -> str:
        if not item.authors:
            return ""
        names = "".join(
            f'<a href="/archives/author/{n}">{escape(a)}</a>' for n, a in enumerate(item.authors)
        )
        return f'<div class="author-box"><span class="author-name">{names}</span></div>'

    def _related(self, item: Article) -> str:
        rows = "".join(
            f'<li><a href="{self.url(n)}">{escape(title_of(n))}</a></li>' for n in item.related
        )
        return f'<section class="related-posts"><h3 class="block-title">مقالات متعلقة</h3><ol>{rows}</ol></section>'

    # --- discovery ----------------------------------------------------------------------

    def listing_html(self, page: int) -> str:
        numbers = self.newest_first((page - 1) * LISTING_SIZE, LISTING_SIZE)
        items = []
        for position, number in enumerate(numbers):
            date = (
                ""
                if page == 1 and position < FEATURED
                else f"<samp>{published_at(number):%Y/%m/%d}</samp>"
            )
            items.append(
                f'<div class="one-post"><div class="item-content"><a href="{self.url(number)}">'
                f"<h3>{escape(title_of(number))}</h3></a>{date}</div></div>"
            )
        more = (page * LISTING_SIZE) < self.articles
        nav = (
            f'<a class="next page-numbers" href="/archives/category/online/page/{page + 1}">التالي</a>'
            if more
            else ""
        )
        return _page(
            "أخبار",
            "",
            f'<div id="main-content"><h1 class="page-title">أخبار</h1>{"".join(items)}'
            f'<div class="pagination">{nav}</div></div>',
        )

    def robots_txt(self) -> str:
        return (
            "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
            f"Sitemap: {self.base}/sitemap_index.xml\nSitemap: {self.base}/news-sitemap.xml\n"
        )

    def sitemap_index(self) -> str:
        chunks = range(1, (self.articles - 1) // SITEMAP_SIZE + 2)
        entries = "".join(
            f"<sitemap><loc>{self.base}/post-sitemap{'' if c == 1 else c}.xml</loc>"
            f"<lastmod>{published_at(min(c * SITEMAP_SIZE, self.articles)).isoformat()}</lastmod></sitemap>"
            for c in chunks
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
        )

    def post_sitemap(self, chunk: int) -> str:
        first = (chunk - 1) * SITEMAP_SIZE + 1
        numbers = range(first, min(first + SITEMAP_SIZE, self.articles + 1))
        entries = "".join(
            f"<url><loc>{self.url(n)}</loc><lastmod>{self.modified_at(n).isoformat()}</lastmod></url>"
            for n in numbers
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        )

    def news_sitemap(self) -> str:
        entries = "".join(
            f"<url><loc>{self.url(n)}</loc><news:news><news:publication><news:name>{SITE_NAME}</news:name>"
            "<news:language>ar</news:language></news:publication>"
            f"<news:publication_date>{published_at(n).isoformat()}</news:publication_date>"
            f"<news:title>{escape(title_of(n))}</news:title></news:news></url>"
            for n in self.newest_first(0, NEWS_SITEMAP_SIZE)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{entries}</urlset>'
        )

    def feed(self) -> str:
        items = "".join(
            f"<item><title>{escape(title_of(n))}</title><link>{self.url(n)}</link>"
            f"<pubDate>{format_datetime(published_at(n).astimezone(UTC))}</pubDate>"
            f'<guid isPermaLink="false">{self.base}/?p={FIRST_ID + n}</guid></item>'
            for n in self.newest_first(0, FEED_SIZE)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{SITE_NAME}</title><link>{self.base}/</link><language>ar</language>{items}</channel></rss>"
        )
