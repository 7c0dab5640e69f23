"""The hostile input and fault battery: one crawl of the Enab Baladi replica with some hundred
broken pages, documents and connections mixed in, then one test per case.

A case ends in a record (when the input can be read at all) or in one failure line with a
clear reason (when it cannot), while the crawl goes on and every good article is written
exactly once. docs/reliability.md lists the cases and the behaviour each one shows.
"""

from __future__ import annotations

import errno
import gzip
import json
import random
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from pipelines.write import JsonLinesWriter, WriteFailed
from scraper.core.record import InvalidRecord, validate
from scraper.crawl.pages import load
from scraper.crawl.spiders.site import MAX_SITEMAP_DEPTH
from scraper.extract.record import record_from_page
from scraper.replica.enabbaladi import FIRST_ID
from scraper.replica.enabbaladi import expected as expected_fields
from scraper.replica.enabbaladi_pages import EnabBaladiReplica
from scraper.replica.server import serving
from scraper.sites import site_for_page
from scraper.store.files import UnsafeOutputPath, output_path
from scraper.store.seen import SeenStore, store_path
from tests import hostile
from tests.conftest import ROOT, read_records, run_cli, run_scrapy
from tests.hostile import Action, HostileReplica

#: Good articles around the hostile ones: every one must be written, exactly once.
GOOD = 30
HTML = "text/html; charset=UTF-8"
BARE = "text/html"  # no charset: the body has to tell
XML = "application/xml"
CRAWL_SETTINGS = {
    "DOWNLOAD_TIMEOUT": "2",
    "RETRY_TIMES": "1",
    "DOWNLOAD_MAXSIZE": str(8 * 1024 * 1024),
    "DOWNLOAD_WARNSIZE": str(1024 * 1024),
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "64",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "64",
    "AKHBAR_WRITE_INTERVAL": "0.5",
}
DAMASCUS = ZoneInfo("Asia/Damascus")
_ARTICLE_PATH = re.compile(r"/archives/(\d+)/?")
_CHILD_SITEMAP = re.compile(r"/hostile/child-(\d+)\.xml")


class Mirror(EnabBaladiReplica):
    """The replica with GOOD articles listed; later articles are served too (cases link to
    them, and hostile pages are made from them) but listed nowhere, except in the sitemaps
    ``/hostile/child-N.xml`` that hostile sitemap indexes point to."""

    def route(self, path: str) -> tuple[int, str, str]:
        path = path.split("?", 1)[0]
        if (match := _ARTICLE_PATH.fullmatch(path)) and int(match[1]) - FIRST_ID > self.articles:
            return 200, HTML, self.article_html(self.article(int(match[1]) - FIRST_ID))
        if match := _CHILD_SITEMAP.fullmatch(path):
            return 200, XML, hostile.urlset([self.url(int(match[1]))])
        return super().route(path)


SITE = Mirror("", GOOD)


@dataclass
class Outcome:
    """Everything the crawl left behind."""

    base: str
    records: list[dict[str, Any]]
    failures: list[dict[str, Any]]
    run: dict[str, Any]
    log: str
    hits: Counter[str]
    arrivals: dict[str, list[float]]
    other_hits: Counter[str]

    def written(self, url: str) -> list[dict[str, Any]]:
        return [r for r in self.records if r["url"] == url]

    def failed(self, url: str) -> list[dict[str, Any]]:
        return [f for f in self.failures if f["url"] == url]


_numbers = iter(range(GOOD + 1001, GOOD + 3000))


def number() -> int:
    return next(_numbers)


def path_of(n: int) -> str:
    return f"/archives/{FIRST_ID + n}"


Build = Callable[["Context", int], Action]
Check = Callable[[Outcome, "Case"], None]


@dataclass
class Context:
    """What actions need once the servers are up: their addresses."""

    base: str
    #: Another loopback host, outside the site: nothing may ever be fetched from it.
    other: str


@dataclass
class Case:
    name: str
    build: Build
    check: Check
    #: "article": listed in the hostile sitemap; "announced": a document listed in robots.txt.
    listed: str = "article"
    path: str = ""
    #: The article the case is made from (or links to).
    n: int = field(default_factory=number)
    #: More paths the case serves, and more sitemap entries it lists.
    also: Callable[[Context, Case], dict[str, Action]] | None = None
    entries: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.path = self.path or path_of(self.n)

    def url(self, outcome: Outcome) -> str:
        return outcome.base + self.path


# --- building blocks ------------------------------------------------------------------------


def html_of(n: int) -> str:
    return SITE.article_html(SITE.article(n))


def truth(n: int) -> dict[str, Any]:
    return expected_fields(SITE.article(n), SITE.base)


def encode(text: str, charset: str) -> bytes:
    return text.encode(charset, "xmlcharrefreplace")


def meta_charset(html: str, charset: str | None) -> str:
    """The page with its ``<meta charset>`` replaced, or removed (``None``)."""
    return html.replace('<meta charset="UTF-8">', f'<meta charset="{charset}">' if charset else "")


def edited(edit: Callable[[str], str]) -> Build:
    """The article's page, edited."""
    return lambda ctx, n: hostile.page(edit(html_of(n)))


def encoded(make: Callable[[str], bytes], content_type: str) -> Build:
    """The article's page turned into bytes by ``make``."""
    return lambda ctx, n: hostile.respond(200, content_type, make(html_of(n)))


def served(make: Callable[[bytes], Action]) -> Build:
    """An action over the bytes of the article's page."""
    return lambda ctx, n: make(html_of(n).encode())


def fixed(action: Action) -> Build:
    return lambda ctx, n: action


def document(make: Callable[[Context, int], str]) -> Build:
    return lambda ctx, n: hostile.page(make(ctx, n), 200, XML)


def undated() -> int:
    """A new article number whose page has no meta or JSON-LD dates (only the printed one)."""
    while (n := number()) % 10 != 3:
        pass
    return n


def printed(day: str, clock: str = "10:30 ص") -> Callable[[str], str]:
    """Change the date and time printed under the title."""

    def edit(html: str) -> str:
        html = re.sub(r"(<li class=\"date\"><i [^>]*></i>)[^<]*", rf"\g<1>{day}", html)
        return re.sub(r"(<li class=\"time\"><i [^>]*></i>)[^<]*", rf"\g<1>{clock}", html)

    return edit


def arabic_clock(moment: datetime) -> tuple[str, str]:
    hour = moment.hour % 12 or 12
    return f"{moment:%Y/%m/%d}", f"{hour:02d}:{moment:%M} {'م' if moment.hour >= 12 else 'ص'}"


# --- checks ---------------------------------------------------------------------------------


def one_record(outcome: Outcome, url: str) -> dict[str, Any]:
    records = outcome.written(url)
    assert len(records) == 1, f"{len(records)} records for {url}: {outcome.failed(url)}"
    assert outcome.failed(url) == []
    return records[0]


def faithful(outcome: Outcome, case: Case) -> None:
    """One record, with exactly the article's title, body, date, tags and section."""
    record = one_record(outcome, case.url(outcome))
    want = truth(case.n)
    for key in ("title", "body", "published", "tags", "section"):
        assert record[key] == want[key], key


def readable(outcome: Outcome, case: Case) -> None:
    """One record, with the article's title and a body that begins as the article's does."""
    record = one_record(outcome, case.url(outcome))
    want = truth(case.n)
    assert record["title"] == want["title"]
    assert record["body"] and record["body"][0] == want["body"][0]


def failed(reason: str, detail: str = "", hits: int | None = None) -> Check:
    """No record; one failure line with ``reason`` (``detail`` in its message)."""

    def check(outcome: Outcome, case: Case) -> None:
        url = case.url(outcome)
        assert outcome.written(url) == []
        entries = outcome.failed(url)
        assert [f["reason"] for f in entries] == [reason], entries
        assert detail.lower() in entries[0]["detail"].lower(), entries[0]
        if hits is not None:
            assert outcome.hits[case.path] == hits

    return check


def linked_article(outcome: Outcome, case: Case) -> None:
    """The article the case's document links to is written, faithfully."""
    faithful(outcome, Case(case.name, case.build, faithful, n=case.n))


def also_written(check: Check) -> Check:
    """``check`` for the case's own URL, and the article it links to written faithfully."""

    def both(outcome: Outcome, case: Case) -> None:
        check(outcome, case)
        linked_article(outcome, case)

    return both


def read_without_failure(outcome: Outcome, case: Case) -> None:
    """The document is read without a failure, and the article it links to is written."""
    assert outcome.failed(case.url(outcome)) == []
    linked_article(outcome, case)


def dated(published: str | None) -> Check:
    """The record is kept; ``published`` is as given (None: cleared)."""

    def check(outcome: Outcome, case: Case) -> None:
        record = one_record(outcome, case.url(outcome))
        assert record["title"] == truth(case.n)["title"]
        assert record["published"] == published
        assert record["published_raw"], "the printed date is kept as it was"

    return check


def cleared_with_warning(outcome: Outcome, case: Case) -> None:
    dated(None)(outcome, case)
    assert f"{case.url(outcome)}: implausible published" in outcome.log


def merged_into(target: str) -> Check:
    """No record and no failure under the case's URL; one record under the path ``target``."""

    def check(outcome: Outcome, case: Case) -> None:
        url = case.url(outcome)
        assert outcome.written(url) == [] and outcome.failed(url) == []
        one_record(outcome, outcome.base + target)

    return check


# --- the cases ------------------------------------------------------------------------------


def _cut_in_third_paragraph(html: str) -> str:
    content = html.index('class="content-article')
    end = content
    for _ in range(3):
        end = html.index("</p>", end + 1)
    return html[: end + 2]  # "...text</": the end tag is cut in two


def _garbage(_: str) -> bytes:
    return random.Random("garbage").randbytes(20_000)


def _double_utf8(html: str) -> bytes:
    """UTF-8 read as windows-1252 (bytes it lacks kept as C1 codes) and encoded again."""
    return "".join(_as_cp1252(byte) for byte in html.encode()).encode()


def _as_cp1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def cp1256(meta: str | None = None) -> Callable[[str], bytes]:
    return lambda html: encode(meta_charset(html, meta), "windows-1256")


def without_meta(charset: str, bom: bytes = b"") -> Callable[[str], bytes]:
    return lambda html: bom + encode(meta_charset(html, None), charset)


ONLY_JS = b"""<!DOCTYPE html><html><head><script src="/app.js"></script></head>
<body><div id="root"></div><script>window.__APP__ = {"route": "article"}; render();</script>
</body></html>"""
NESTING = "<div>" * 100_000
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")

HTML_CASES = [
    Case("html_truncated_mid_tag", edited(_cut_in_third_paragraph), readable),
    Case("html_binary_garbage", encoded(_garbage, HTML), failed("binary_body")),
    Case("html_empty_200", encoded(lambda h: b"", HTML), failed("empty_body")),
    Case("html_whitespace_only", encoded(lambda h: b" \r\n\t \n", HTML), failed("empty_body")),
    Case("html_comment_only", encoded(lambda h: b"<!-- -->", HTML), failed("no_content")),
    Case("html_only_javascript", encoded(lambda h: ONLY_JS, HTML), failed("no_content")),
    Case("html_no_head", edited(lambda h: re.sub(r"<head>.*</head>", "", h, flags=re.S)), faithful),
    Case(
        "html_two_titles",
        edited(lambda h: h.replace("</head>", "<title>ب</title></head>")),
        faithful,
    ),
    Case(
        "html_empty_h1",
        edited(lambda h: re.sub(r'(<h1 class="post-title[^>]*>).*?(</h1>)', r"\1\2", h)),
        faithful,
    ),
    Case(
        "html_no_paragraphs",
        edited(lambda h: re.sub(r"<p>.*?</p>", "", h, flags=re.S)),
        failed("invalid_body", "body"),
    ),
    Case(
        "html_100000_nested_after_article",
        edited(lambda h: h.replace("</article>", f"</article>{NESTING}")),
        faithful,
    ),
    Case(
        "html_100000_nested_around_article",
        edited(lambda h: h.replace('<div id="main-content"', f'{NESTING}<div id="main-content"')),
        failed("invalid_body", "body"),
    ),
    Case(
        "html_unclosed_tags",
        edited(lambda h: re.sub(r"</(p|div|li|ul|figure|span|a|article|section|ol)>", "", h)),
        readable,
    ),
    Case(
        "html_broken_json_ld",
        edited(lambda h: h.replace('application/ld+json">', 'application/ld+json">{{{ ', 1)),
        faithful,
    ),
    Case("html_stray_nul_bytes", edited(lambda h: h.replace("<p>", "<p>\0", 2)), faithful),
    Case("html_labelled_as_png", encoded(str.encode, "image/png"), faithful),
    Case(
        "png_where_an_article_was", encoded(lambda h: PNG, "image/png"), failed("not_html", "png")
    ),
    Case(
        "html_50mb_declared",
        fixed(hostile.stream(HTML, hostile.repeat(b"<p>x</p>\n", 50 << 20), 50 << 20)),
        failed("too_large", "max"),
    ),
    Case(
        "html_50mb_undeclared",
        fixed(hostile.stream(HTML, hostile.repeat(b"<p>x</p>\n", 50 << 20), None)),
        failed("too_large", "max"),
    ),
    Case(
        "html_gzip_bomb", fixed(hostile.gzip_bomb(64 << 20)), failed("too_large", "decompression")
    ),
]

ENCODING_CASES = [
    Case(name, encoded(make, content_type), faithful)
    for name, make, content_type in [
        ("enc_cp1256_no_charset", cp1256(), BARE),
        ("enc_latin1_header_over_cp1256", cp1256(), "text/html; charset=iso-8859-1"),
        ("enc_utf8_header_over_cp1256", cp1256(), "text/html; charset=utf-8"),
        ("enc_meta_cp1256_header_utf8", cp1256("windows-1256"), "text/html; charset=utf-8"),
        ("enc_meta_utf8_header_cp1256", cp1256("UTF-8"), "text/html; charset=windows-1256"),
        ("enc_meta_cp1256_only", cp1256("windows-1256"), BARE),
        ("enc_meta_latin1_over_cp1256", cp1256("iso-8859-1"), BARE),
        (
            "enc_utf8_bom_under_cp1256_header",
            without_meta("utf-8", b"\xef\xbb\xbf"),
            "text/html; charset=windows-1256",
        ),
        ("enc_utf8_no_charset", without_meta("utf-8"), BARE),
        ("enc_utf16_le_bom", without_meta("utf-16-le", b"\xff\xfe"), BARE),
        ("enc_utf16_be_bom", without_meta("utf-16-be", b"\xfe\xff"), BARE),
        ("enc_utf16_header_no_bom", without_meta("utf-16-le"), "text/html; charset=utf-16le"),
        ("enc_iso8859_6_header", without_meta("iso-8859-6"), "text/html; charset=iso-8859-6"),
        ("enc_iso8859_6_no_charset", without_meta("iso-8859-6"), BARE),
        ("enc_utf8_encoded_twice", _double_utf8, HTML),
    ]
] + [
    Case(
        "enc_gzip_header_plain_body",
        served(lambda b: hostile.encoded(HTML, b, "gzip")),
        failed("bad_encoding"),
    ),
    Case(
        "enc_deflate_header_plain_body",
        served(lambda b: hostile.encoded(HTML, b, "deflate")),
        failed("bad_encoding"),
    ),
    Case(
        "enc_br_header_plain_body",
        served(lambda b: hostile.encoded(HTML, b, "br")),
        failed("bad_encoding"),
    ),
    Case(
        "enc_unknown_content_encoding",
        served(lambda b: hostile.encoded(HTML, b, "x-akhbar")),
        faithful,
    ),
    Case(
        "enc_gzip_body_without_header",
        served(lambda b: hostile.respond(200, HTML, gzip.compress(b))),
        failed("binary_body"),
    ),
    Case(
        "enc_gzipped_twice_declared_once",
        served(lambda b: hostile.encoded(HTML, gzip.compress(gzip.compress(b)), "gzip")),
        failed("binary_body"),
    ),
]


def _hops(path: str) -> Action:
    """A redirect to the same path with one more hop each time: never a loop, never an end."""

    def action(exchange: hostile.Exchange) -> None:
        hop = int(exchange.path.partition("?hop=")[2] or 0)
        hostile.redirect(f"{path}?hop={hop + 1}", 302)(exchange)

    return action


def _retry_after_respected(outcome: Outcome, case: Case) -> None:
    faithful(outcome, case)
    times = outcome.arrivals[case.path]
    assert len(times) == 2 and times[1] - times[0] >= 1.0, times


def _offsite(outcome: Outcome, case: Case) -> None:
    failed("offsite_redirect", "outside the site")(outcome, case)
    assert not outcome.other_hits


MOVED, RELOCATED = number(), number()

HTTP_CASES = [
    Case("http_404", fixed(hostile.page("<h1>غير موجود</h1>", 404)), failed("http_404", "404")),
    Case("http_410", fixed(hostile.page("<h1>حذف</h1>", 410)), failed("http_410", "410")),
    Case(
        "http_500_retried_once",
        fixed(hostile.page("<h1>500</h1>", 500)),
        failed("http_500", "500", hits=2),
    ),
    Case(
        "http_503_retry_after_too_long",
        fixed(hostile.respond(503, HTML, b"busy", [("Retry-After", "3600")])),
        failed("http_503", "Retry-After: 3600", hits=2),
    ),
    Case(
        "http_429_retry_after_too_long",
        fixed(hostile.respond(429, HTML, b"slow down", [("Retry-After", "7200")])),
        failed("http_429", "Retry-After: 7200"),
    ),
    Case(
        "http_429_retry_after_1s_then_ok",
        served(
            lambda b: hostile.sequence(
                hostile.respond(429, HTML, b"", [("Retry-After", "1")]),
                hostile.respond(200, HTML, b),
            )
        ),
        _retry_after_respected,
    ),
    Case(
        "http_503_then_ok",
        served(
            lambda b: hostile.sequence(hostile.page("busy", 503), hostile.respond(200, HTML, b))
        ),
        faithful,
    ),
    Case("http_timeout", fixed(hostile.silence(10)), failed("timeout", hits=2)),
    Case(
        "http_stalling_trickle",
        fixed(hostile.trickle(HTML, b"<html>" + b" " * 200, pieces=20, pause=0.5)),
        failed("timeout"),
    ),
    Case("http_slow_trickle_in_time", served(lambda b: hostile.trickle(HTML, b, 8, 0.1)), faithful),
    Case("http_reset_before_response", fixed(hostile.reset()), failed("connection_lost")),
    Case(
        "http_reset_mid_body",
        served(lambda b: hostile.cut(HTML, b, len(b) // 2)),
        failed("truncated"),
    ),
    Case("http_closed_without_response", fixed(hostile.raw(b"")), failed("connection_lost")),
    Case(
        "http_content_length_too_long",
        served(lambda b: hostile.lying_length(HTML, b, len(b) + 5000)),
        failed("truncated"),
    ),
    Case(
        "http_content_length_too_short",
        served(lambda b: hostile.lying_length(HTML, b, len(b) * 3 // 4)),
        readable,
    ),
    Case(
        "http_content_length_not_a_number",
        fixed(hostile.lying_length(HTML, b"<html></html>", "many")),
        failed("bad_response"),
    ),
    Case(
        "http_not_http_at_all",
        fixed(hostile.raw(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")),
        failed("bad_response"),
    ),
    Case(
        "http_bad_status_line",
        fixed(hostile.raw(b"HTTP/1.1 two-hundred OK\r\nContent-Length: 2\r\n\r\nok")),
        failed("bad_response"),
    ),
    Case(
        "http_header_flood",
        fixed(hostile.raw(b"HTTP/1.1 200 OK\r\nX-Flood: " + b"a" * 300_000 + b"\r\n\r\n")),
        failed("connection_lost", "closed"),
    ),
    Case(
        "http_broken_chunked_encoding",
        fixed(
            hostile.raw(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"5\r\n<html\r\nzz\r\n"
            )
        ),
        failed("truncated"),
    ),
    Case(
        "http_redirect_loop",
        lambda ctx, n: hostile.redirect(f"/go/{n}"),
        failed("redirect_loop"),
        also=lambda ctx, case: {f"/go/{case.n}": hostile.redirect(case.path)},
    ),
    Case(
        "http_redirect_to_itself",
        lambda ctx, n: hostile.redirect(path_of(n)),
        failed("redirect_loop"),
    ),
    Case(
        "http_redirect_chain_too_long",
        lambda ctx, n: _hops(path_of(n)),
        failed("too_many_redirects"),
    ),
    Case(
        "http_redirect_to_another_host",
        lambda ctx, n: hostile.redirect(f"{ctx.other}{path_of(n)}"),
        _offsite,
    ),
    Case(
        "http_301_article_to_article",
        lambda ctx, n: hostile.redirect(f"{ctx.base}{path_of(MOVED)}"),
        merged_into(path_of(MOVED)),
        entries=(path_of(MOVED),),
    ),
    Case(
        "http_302_relative_location",
        lambda ctx, n: hostile.redirect(path_of(RELOCATED), 302),
        merged_into(path_of(RELOCATED)),
    ),
    Case(
        "http_301_without_location",
        fixed(hostile.respond(301, HTML, b"moved")),
        failed("http_301"),
    ),
]


# Discovery documents, announced in robots.txt; ``n`` is an article some of them link to.
LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "ha"}">' for i in range(10))
URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'


def _with_doctype(doctype: str) -> Callable[[Context, int], str]:
    return lambda ctx, n: (
        f'<?xml version="1.0"?>\n{doctype.format(other=ctx.other)}\n'
        f"{URLSET}<url><loc>{ctx.base}{path_of(n)}</loc></url></urlset>"
    )


def _index(*paths: str) -> str:
    entries = "".join(f"<sitemap><loc>{SITE.base}{p}</loc></sitemap>" for p in paths)
    return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'


def _huge_sitemap(ctx: Context, n: int) -> Action:
    """100,000 URLs, the first an article: made while sent, never held."""

    def chunks() -> Iterator[bytes]:
        yield f"{URLSET}<url><loc>{ctx.base}{path_of(n)}</loc></url>".encode()
        for start in range(0, 100_000, 1000):
            yield "".join(
                f"<url><loc>{ctx.base}/tag/{i}</loc></url>" for i in range(start, start + 1000)
            ).encode()
        yield b"</urlset>"

    return hostile.stream(XML, chunks, None)


def _feed(ctx: Context, n: int) -> str:
    """RSS with broken dates and HTML in its titles."""
    items = "".join(
        f"<item><title>{title}</title><link>{ctx.base}{path_of(n)}{suffix}</link>"
        f"<pubDate>{date}</pubDate></item>"
        for title, suffix, date in [
            ("<![CDATA[<b>عاجل</b> <script>alert(1)</script>]]>", "", "not a date"),
            ("&lt;i&gt;خبر&lt;/i&gt;", "?utm_source=rss", "Mon, 45 Foo 2024 99:99:99 +9999"),
            ("", "#comments", ""),
        ]
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'
    )


def _bad_locs(ctx: Context, n: int) -> str:
    locs = [
        path_of(n),  # relative: resolved against the sitemap
        "javascript:alert(1)",
        "mailto:desk@example.invalid",
        "",
        "   ",
        "http://[::1",
        "ftp://127.0.0.1/archives/1",
        "http:///archives/2",
        f"{ctx.base}/archives/" + "9" * 3000,
    ]
    entries = "".join(f"<url><loc>{escape(loc, quote=False)}</loc></url>" for loc in locs)
    return f"{URLSET}{entries}</urlset>"


def _chain(ctx: Context, case: Case) -> dict[str, Action]:
    return {
        f"/hostile/chain/{k}.xml": hostile.page(_index(f"/hostile/chain/{k + 1}.xml"), 200, XML)
        for k in range(2, 20)
    }


def _too_deep(outcome: Outcome, case: Case) -> None:
    last, refused = (f"/hostile/chain/{k}.xml" for k in (MAX_SITEMAP_DEPTH, MAX_SITEMAP_DEPTH + 1))
    assert [f["reason"] for f in outcome.failed(outcome.base + refused)] == ["sitemap_too_deep"]
    assert outcome.hits[last] == 1 and outcome.hits[refused] == 0


def _no_fetch_elsewhere(check: Check) -> Check:
    def both(outcome: Outcome, case: Case) -> None:
        check(outcome, case)
        assert not outcome.other_hits

    return both


def _cycle_failed(outcome: Outcome, case: Case) -> None:
    url = f"{outcome.base}/hostile/cycle-b.xml"
    assert [f["reason"] for f in outcome.failed(url)] == ["sitemap_loop"]
    linked_article(outcome, case)


def _endless_listing(ctx: Context, case: Case) -> dict[str, Action]:
    """Past its last page (2), the listing repeats that page forever (page 3 is the case)."""
    last = hostile.page(SITE.listing_html(2))
    return {f"/archives/category/online/page/{k}": last for k in range(4, 60)}


def _listing_bounded(outcome: Outcome, case: Case) -> None:
    failed("endless_pagination", "repeats")(outcome, case)
    assert outcome.hits["/archives/category/online/page/4"] == 0


DISCOVERY_CASES = [
    Case(name, document(make), check, "announced", f"/hostile/{name}.xml")
    for name, make, check in [
        (
            "xml_billion_laughs",
            _with_doctype(f"<!DOCTYPE urlset [{LAUGHS}]>"),
            failed("xml_entities"),
        ),
        (
            "xml_external_entity",
            _with_doctype('<!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
            failed("xml_entities"),
        ),
        (
            "xml_external_dtd",
            _with_doctype('<!DOCTYPE urlset SYSTEM "{other}/evil.dtd">'),
            _no_fetch_elsewhere(failed("xml_dtd")),
        ),
        (
            "xml_parameter_entity",
            _with_doctype('<!DOCTYPE urlset [<!ENTITY % p SYSTEM "{other}/p.dtd"> %p;]>'),
            _no_fetch_elsewhere(failed("xml_entities")),
        ),
        (
            "xml_malformed",
            lambda ctx, n: f"{URLSET}<url><loc>{ctx.base}{path_of(n)}</loc></url>",
            also_written(failed("malformed_xml")),
        ),
        ("xml_empty", lambda ctx, n: "", failed("empty_body")),
        (
            "xml_html_error_page",
            lambda ctx, n: "<html><body><p>Error<br></body></html>",
            failed("malformed_xml"),
        ),
        ("xml_rss_broken_dates_html_titles", _feed, read_without_failure),
        ("xml_unusable_locs", _bad_locs, read_without_failure),
        (
            "xml_index_lists_itself",
            lambda ctx, n: _index("/hostile/xml_index_lists_itself.xml", f"/hostile/child-{n}.xml"),
            also_written(failed("sitemap_loop")),
        ),
    ]
] + [
    Case(
        "xml_index_cycle",
        document(lambda ctx, n: _index("/hostile/cycle-b.xml")),
        _cycle_failed,
        "announced",
        "/hostile/cycle-a.xml",
        also=lambda ctx, case: {
            "/hostile/cycle-b.xml": hostile.page(
                _index("/hostile/cycle-a.xml", f"/hostile/child-{case.n}.xml"), 200, XML
            )
        },
    ),
    Case(
        "xml_index_chain_without_end",
        document(lambda ctx, n: _index("/hostile/chain/2.xml")),
        _too_deep,
        "announced",
        "/hostile/chain/1.xml",
        also=_chain,
    ),
    Case(
        "xml_100000_urls",
        _huge_sitemap,
        also_written(failed("too_many_urls")),
        "announced",
        "/hostile/huge.xml",
    ),
    Case(
        "xml_404",
        fixed(hostile.page("<h1>404</h1>", 404)),
        failed("http_404"),
        "announced",
        "/hostile/gone.xml",
    ),
    Case(
        "xml_gz_that_is_not_gzip",
        fixed(
            hostile.respond(200, "application/x-gzip", b"<html><body>Not found<br></body></html>")
        ),
        failed("malformed_xml"),
        "announced",
        "/hostile/sitemap-1.xml.gz",
    ),
    Case(
        "xml_gz_corrupt",
        fixed(hostile.respond(200, "application/x-gzip", b"\x1f\x8b\x08\x00" + b"\x00" * 200)),
        failed("bad_gzip"),
        "announced",
        "/hostile/sitemap-2.xml.gz",
    ),
    Case(
        "xml_gz_bomb",
        lambda ctx, n: hostile.respond(200, "application/x-gzip", hostile.gzipped_zeros(64 << 20)),
        failed("too_large", "inflates"),
        "announced",
        "/hostile/sitemap-3.xml.gz",
    ),
    Case(
        "listing_pagination_without_end",
        lambda ctx, n: hostile.page(SITE.listing_html(2)),
        _listing_bounded,
        "",
        "/archives/category/online/page/3",
        also=_endless_listing,
    ),
]


# URLs: spellings of one article's address give one record, under one canonical URL.
ARABIC_SLUG = "/archives/خبر-عاجل"


def _canonical(href: str | None) -> Callable[[str], str]:
    """The page with its canonical link pointing to ``href`` (None: without one)."""
    tag = f'<link rel="canonical" href="{href}">' if href is not None else ""
    return lambda html: re.sub(r'<link rel="canonical" href="[^"]*">', tag, html)


def _one_fetch(outcome: Outcome, case: Case) -> None:
    faithful(outcome, case)
    assert outcome.hits[case.path] == 1


def spelled(name: str, spellings: Callable[[str], tuple[str, ...]], **kwargs: Any) -> Case:
    """An article listed under its path and under other ``spellings`` of it."""
    n = number()
    kwargs = {"build": edited(str), "check": faithful, **kwargs}
    return Case(name, n=n, entries=spellings(path_of(n)), **kwargs)


def _twin(ctx: Context, case: Case) -> dict[str, Action]:
    """A second page of the same article whose canonical link spells the slug raw."""
    return {case.entries[0]: hostile.page(_canonical(ARABIC_SLUG)(html_of(case.n)))}


URL_CASES = [
    spelled("url_fragment", lambda path: (f"{path}#comments",), check=_one_fetch),
    spelled(
        "url_tracking_parameters",
        lambda path: tuple(
            path + q for q in ("?utm_source=rss&utm_medium=x", "?fbclid=1", "?ref=a")
        ),
        build=edited(_canonical(None)),
    ),
    spelled("url_trailing_slash", lambda path: (f"{path}/",)),
    spelled(
        "url_arabic_percent_encoded_and_raw",
        lambda path: (path_of(number()),),  # the twin
        build=edited(_canonical(quote(ARABIC_SLUG))),
        check=merged_into(ARABIC_SLUG),
        also=_twin,
    ),
]


# Dates: implausible ones are cleared (with a warning), the record kept.
def _soon(delta: timedelta) -> tuple[str, str]:
    return arabic_clock(datetime.now(DAMASCUS) + delta)


def _in_an_hour(outcome: Outcome, case: Case) -> None:
    record = one_record(outcome, case.url(outcome))
    published = datetime.fromisoformat(record["published"])
    assert timedelta(minutes=50) < published - datetime.now(UTC) < timedelta(minutes=61)


DATE_CASES = [
    Case("date_far_future", edited(printed("2099/01/01")), cleared_with_warning, n=undated()),
    Case(
        "date_three_days_ahead",
        edited(printed(*_soon(timedelta(days=3)))),
        cleared_with_warning,
        n=undated(),
    ),
    Case(
        "date_an_hour_ahead", edited(printed(*_soon(timedelta(hours=1)))), _in_an_hour, n=undated()
    ),
    Case("date_before_1990", edited(printed("1985/03/01")), cleared_with_warning, n=undated()),
    Case("date_impossible", edited(printed("2023/02/30")), dated(None), n=undated()),
    Case(
        "date_meta_garbage_printed_good",
        edited(lambda h: re.sub(r'(published_time" content=")[^"]*', r"\1yesterday-ish", h)),
        faithful,
    ),
]

CASES = HTML_CASES + ENCODING_CASES + HTTP_CASES + DISCOVERY_CASES + URL_CASES + DATE_CASES
assert len({c.path for c in CASES}) == len(CASES), "two cases at one path"


# --- the crawl ------------------------------------------------------------------------------


def mix_in(site: HostileReplica, ctx: Context) -> None:
    """Every case's paths into ``site``, listed where the case says."""
    for item in CASES:
        site.cases[item.path] = item.build(ctx, item.n)
        if item.also:
            site.cases.update(item.also(ctx, item))
        if item.listed == "article":
            site.articles.append(item.path)
        elif item.listed == "announced":
            site.announced.append(item.path)
        site.articles.extend(item.entries)


def _lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


#: Tests of the one crawl: kept on one xdist worker (``--dist loadgroup``), so it runs once.
ON_THE_CRAWL = pytest.mark.xdist_group("hostile_crawl")


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    out = tmp_path_factory.mktemp("hostile")
    with hostile.serving(lambda path: hostile.page("elsewhere"), "127.0.0.2") as other:
        site = HostileReplica(SITE)
        with hostile.serving_replica(site) as server:
            mix_in(site, Context(server.base_url, other.base_url))
            result = run_scrapy(
                "crawl",
                "enabbaladi",
                "-a",
                f"base_url={server.base_url}",
                settings={**CRAWL_SETTINGS, "AKHBAR_OUTPUT_DIR": str(out)},
                timeout=120,
            )
    assert result.returncode == 0, result.stderr[-3000:]
    (run,) = _lines(out / "runs.jsonl")
    return Outcome(
        base=server.base_url,
        records=read_records(out),
        failures=_lines(out / "failures.jsonl"),
        run=run,
        log=result.stderr,
        hits=server.hits,
        arrivals=server.arrivals,
        other_hits=other.hits,
    )


@ON_THE_CRAWL
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(outcome: Outcome, case: Case) -> None:
    case.check(outcome, case)


@ON_THE_CRAWL
def test_every_good_article_is_written_once_and_right(outcome: Outcome) -> None:
    for n in range(1, GOOD + 1):
        faithful(outcome, Case("good", fixed(hostile.raw(b"")), faithful, n=n))


@ON_THE_CRAWL
def test_no_url_is_written_twice(outcome: Outcome) -> None:
    urls = Counter(r["url"] for r in outcome.records)
    assert [url for url, count in urls.items() if count > 1] == []


@ON_THE_CRAWL
def test_the_run_summary_counts_every_failure_by_reason(outcome: Outcome) -> None:
    reasons = Counter(f["reason"] for f in outcome.failures)
    assert outcome.run["failures"] == dict(reasons)
    assert outcome.run["records_written"] == len(outcome.records)
    for entry in outcome.failures:
        assert set(entry) == {"url", "reason", "detail", "time", "attempts"}
        assert re.fullmatch(r"[a-z0-9_]+", entry["reason"]) and entry["detail"], entry


@ON_THE_CRAWL
def test_the_crawl_never_crashed(outcome: Outcome) -> None:
    assert outcome.run["finish_reason"] == "finished"
    for sign in ("Traceback", "spider_exceptions", "Unhandled error", "log_count/CRITICAL"):
        assert sign not in outcome.log, sign


@ON_THE_CRAWL
def test_nothing_was_fetched_from_another_host(outcome: Outcome) -> None:
    assert not outcome.other_hits


@pytest.mark.parametrize(
    "make",
    [cp1256(), without_meta("iso-8859-6"), _double_utf8, without_meta("utf-16-le", b"\xff\xfe")],
    ids=["cp1256_no_charset", "iso8859_6_no_charset", "utf8_encoded_twice", "utf16_bom"],
)
def test_extract_decodes_a_saved_page_as_the_crawl_does(tmp_path: Path, make) -> None:
    n = 7
    saved = tmp_path / "page.html"
    saved.write_bytes(make(html_of(n)))
    page = load(str(saved), SITE.url(n))
    record = record_from_page(page, site_for_page(page), normalized=False)
    assert (record["title"], record["body"]) == (truth(n)["title"], truth(n)["body"])


# --- output: unsafe paths, a full disk ------------------------------------------------------


@pytest.mark.parametrize(
    "site, published",
    [
        ("../evil", None),
        ("/etc", None),
        ("a/b", None),
        ("..", None),
        ("", None),
        (None, None),
        ("Enab Baladi", None),
        ("enabbaladi", "../../../etc/passwd"),
        ("enabbaladi", "/etc/cron.d/x"),
    ],
)
def test_output_path_refuses_what_would_lead_out_of_the_folder(
    tmp_path: Path, site: str | None, published: str | None
) -> None:
    with pytest.raises(UnsafeOutputPath):
        output_path(tmp_path, {"site": site, "published": published})


def test_output_path_of_a_good_record_stays_inside(tmp_path: Path) -> None:
    path = output_path(tmp_path, {"site": "enabbaladi", "published": "2024-11-29T12:19:00+03:00"})
    assert path == tmp_path / "enabbaladi" / "2024-11-29.jsonl"


@ON_THE_CRAWL
def test_the_schema_refuses_a_site_that_is_a_path(outcome: Outcome) -> None:
    with pytest.raises(InvalidRecord, match="site"):
        validate({**outcome.records[0], "site": "../../etc"})


def test_a_site_name_that_is_a_path_is_refused_before_any_crawl(tmp_path: Path) -> None:
    settings = {"AKHBAR_OUTPUT_DIR": str(tmp_path)}
    result = run_scrapy("crawl", "site", "-a", "name=../../etc", settings=settings)
    assert result.returncode == 1 and "unknown site '../../etc'" in result.stderr
    result = run_cli("crawl", "../../etc", "--out", str(tmp_path))
    assert result.returncode == 2 and "invalid choice: '../../etc'" in result.stderr
    assert list(tmp_path.iterdir()) == []


class FillingUp:
    """A file on a disk that fills up: half of what is written lands, then ENOSPC."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle

    def __enter__(self) -> FillingUp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def writelines(self, lines: list[str]) -> None:
        text = "".join(lines)
        self.handle.write(text[: len(text) // 2])
        self.handle.flush()
        raise OSError(errno.ENOSPC, "No space left on device")


def fill_the_disk(after: int = 0, only: str = ".jsonl.part") -> None:
    """From the ``after``+1-th on, files whose name ends with ``only`` fill the disk."""
    real_open = Path.open
    opened = Counter[str]()

    def open_(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(self, mode, *args, **kwargs)
        if "a" in mode and self.name.endswith(only):
            opened["n"] += 1
            if opened["n"] > after:
                return FillingUp(handle)
        return handle

    Path.open = open_  # type: ignore[method-assign]


def record(n: int, day: str) -> dict[str, Any]:
    return {
        "url": f"http://x/{n}",
        "site": "enabbaladi",
        "published": f"{day}T10:00:00+03:00",
        "content_hash": f"{n:064d}",
        "version": 1,
    }


def test_a_full_disk_loses_no_line_already_written(tmp_path: Path, monkeypatch) -> None:
    store = SeenStore(store_path(tmp_path))
    writer = JsonLinesWriter(tmp_path, store)
    for n in (1, 2):
        writer.process_item(record(n, "2024-01-01"))
    writer.flush()
    day_a = tmp_path / "enabbaladi" / "2024-01-01.jsonl"
    before = day_a.read_text("utf-8")

    monkeypatch.setattr(Path, "open", Path.open)  # restored after the test
    fill_the_disk(only="2024-01-02.jsonl.part")  # the second file of the batch cannot be written
    for n, day in ((3, "2024-01-01"), (4, "2024-01-02"), (5, "2024-01-02")):
        writer.process_item(record(n, day))
    with pytest.raises(WriteFailed) as failure:
        writer.flush()

    assert failure.value.lost == ["http://x/4", "http://x/5"]
    assert day_a.read_text("utf-8") == before + json.dumps(record(3, "2024-01-01")) + "\n"
    assert sorted(p.name for p in (tmp_path / "enabbaladi").iterdir()) == ["2024-01-01.jsonl"]
    assert [u for u in ("http://x/1", "http://x/2", "http://x/3", "http://x/4") if u in store] == [
        "http://x/1",
        "http://x/2",
        "http://x/3",
    ]
    assert store.recover() == (0, 0), "nothing is left pending"


def test_a_disk_full_mid_crawl_stops_it_loudly_and_a_rerun_loses_nothing(tmp_path: Path) -> None:
    replica = EnabBaladiReplica("", 60)
    out = tmp_path / "out"
    fill = (
        "import sys, scraper.crawl.settings as s, tests.test_hostile as t; "
        "s.AKHBAR_WRITE_BATCH = 10; t.fill_the_disk(after=2); "
        "from scraper.cli.main import main; sys.exit(main(sys.argv[1:]))"
    )
    with serving(replica) as server:
        args = ["crawl", "enabbaladi", "--base-url", server.base_url, "--out", str(out)]
        full = subprocess.run(
            [sys.executable, "-c", fill, *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        rerun = run_cli(*args)

    assert full.returncode == 1, full.stdout + full.stderr[-2000:]
    assert "records could not be written" in full.stderr and "write_error" in full.stdout
    first, second = _lines(out / "runs.jsonl")
    assert first["finish_reason"] == "write_error" and first["health"] == "failed"
    assert first["records_written"] == 20 and first["failures"]["write_error"] >= 10
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr[-2000:]
    assert second["records_written"] == 40
    for path in (out / "enabbaladi").iterdir():
        assert path.suffix == ".jsonl", f"left behind: {path.name}"
    urls = Counter(r["url"] for r in read_records(out))
    assert set(urls) == {replica.url(n) for n in range(1, 61)} and max(urls.values()) == 1
