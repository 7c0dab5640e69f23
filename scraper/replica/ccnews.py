"""A replica of Common Crawl's CC-NEWS for tests and benchmarks: WARC files of generated
captures (Enab Baladi replica articles, other Arabic news, pages in other languages, non-HTML
responses, redirects), their monthly ``warc.paths.gz``, and a loopback server for them that
answers Range requests and can be made slow or unreliable.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import random
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.replica import text
from scraper.replica.enabbaladi_pages import EnabBaladiReplica
from scraper.replica.server import in_background

#: Hosts of the captures: a registered site, and others the registry does not know.
ENAB_BALADI = "https://www.enabbaladi.net"
ARABIC_HOST = "https://www.akhbar-alsabah.example"
ENGLISH_HOST = "https://news.example.com"
PERSIAN_HOST = "https://www.khabar.example.ir"
#: Bytes the server sends at a time (and between two pauses, when it is slow).
CHUNK = 16384
_RANGE = re.compile(r"bytes=(\d+)-$")

ENGLISH = (
    "The council met on Tuesday to discuss the new budget for schools and roads. "
    "Officials said the plan would be published next week after a final review."
)
PERSIAN = (
    "شورای شهر روز سه‌شنبه برای بررسی بودجه جدید مدارس و جاده‌ها تشکیل جلسه داد. "
    "مسئولان گفتند که این برنامه هفته آینده پس از بررسی نهایی منتشر خواهد شد."
)


@dataclass(frozen=True)
class Capture:
    """One HTTP response of a WARC: ``record`` is True when a run must write a record of it."""

    url: str
    status: int
    content_type: str | None
    body: bytes
    record: bool = False


def warc_member(writer_record: object) -> bytes:
    """One WARC record, gzipped on its own (a member of a .warc.gz)."""
    buffer = io.BytesIO()
    WARCWriter(buffer, gzip=True).write_record(writer_record)
    return buffer.getvalue()


def warc_members(name: str, captures: list[Capture]) -> list[bytes]:
    """The members of a CC-NEWS-like WARC: warcinfo, then a request and a response record per
    capture (``members[2 + 2 * i]`` is the response of capture ``i``)."""
    writer = WARCWriter(io.BytesIO(), gzip=True)
    members = [warc_member(writer.create_warcinfo_record(name, {"software": "akhbar replica"}))]
    for capture in captures:
        request = StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True)
        members.append(
            warc_member(writer.create_warc_record(capture.url, "request", http_headers=request))
        )
        headers = [("Content-Type", capture.content_type)] if capture.content_type else []
        http = StatusAndHeaders(f"{capture.status} X", headers, protocol="HTTP/1.1")
        payload = io.BytesIO(capture.body)
        members.append(
            warc_member(
                writer.create_warc_record(
                    capture.url, "response", payload=payload, http_headers=http
                )
            )
        )
    return members


def warc_name(day: date, serial: int) -> str:
    return f"CC-NEWS-{day:%Y%m%d}{(serial * 3517) % 86400 // 3600:02d}0000-{serial:05d}.warc.gz"


def warc_path(day: date, serial: int) -> str:
    return f"crawl-data/CC-NEWS/{day:%Y}/{day:%m}/{warc_name(day, serial)}"


def paths_index(paths: list[str]) -> bytes:
    return gzip.compress("".join(f"{path}\n" for path in paths).encode())


def arabic_article(number: int, host: str = ARABIC_HOST) -> tuple[str, str, str]:
    """(URL, title, HTML) of a news article on a host the registry does not know."""
    rng = random.Random(number)
    title = text.title(rng)
    paragraphs = "".join(f"<p>{escape(text.paragraph(rng))}</p>" for _ in range(6))
    url = f"{host}/news/{number}"
    html = f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{escape(title)}</title><meta property="og:type" content="article">
<meta property="article:published_time" content="2024-11-{1 + number % 28:02d}T09:30:00+03:00">
<link rel="canonical" href="{url}"></head><body><nav><a href="/">الرئيسية</a></nav>
<article><h1>{escape(title)}</h1>{paragraphs}</article><footer>جميع الحقوق محفوظة</footer>
</body></html>"""
    return url, title, html


def page(host: str, path: str, lang: str, title: str, paragraph: str) -> str:
    """A page in another language (or an Arabic page that is no article: ``og:type``)."""
    kind = "website" if lang == "ar" else "article"
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{escape(title)}</title><meta property="og:type" content="{kind}">
<link rel="canonical" href="{host}{path}"></head><body><h1>{escape(title)}</h1>
{"".join(f"<p>{escape(paragraph)}</p>" for _ in range(8))}</body></html>"""


@dataclass
class Month:
    """WARC files as CC-NEWS has them: ``warcs`` WARC paths → their members, and the URLs
    of the articles a run over them writes."""

    warcs: dict[str, list[bytes]] = field(default_factory=dict)
    articles: set[str] = field(default_factory=set)
    #: Captures of each WARC, in order (``warc_members`` says where each one's member is).
    captures: dict[str, list[Capture]] = field(default_factory=dict)

    def files(self) -> dict[str, bytes]:
        """Every file under the base URL: the WARC files and their months' indexes."""
        found = {path: b"".join(members) for path, members in self.warcs.items()}
        months: dict[str, list[str]] = {}
        for path in self.warcs:
            months.setdefault(path.rsplit("/", 1)[0], []).append(path)
        for folder, paths in months.items():
            found[f"{folder}/warc.paths.gz"] = paths_index(sorted(paths))
        return found


def enab_baladi_captures(replica: EnabBaladiReplica, numbers: range) -> list[Capture]:
    return [
        Capture(
            replica.url(n),
            200,
            "text/html; charset=UTF-8",
            replica.article_html(replica.article(n)).encode(),
            record=True,
        )
        for n in numbers
    ]


def other_captures(serial: int) -> list[Capture]:
    """What a CC-NEWS WARC holds besides the chosen site's articles: another Arabic site's
    articles (one in windows-1256 with no charset anywhere), a home page, English and Persian
    news, an image, a redirect and a listing of the chosen site."""
    url, _, html = arabic_article(serial * 2)
    legacy_url, _, legacy = arabic_article(serial * 2 + 1)
    legacy = legacy.replace('<meta charset="utf-8">', "")
    return [
        Capture(url, 200, "text/html; charset=utf-8", html.encode(), record=True),
        Capture(legacy_url, 200, "text/html", legacy.encode("cp1256", "ignore"), record=True),
        Capture(
            f"{ARABIC_HOST}/",
            200,
            "text/html",
            page(ARABIC_HOST, "/", "ar", "الصباح", "آخر الأخبار والتقارير").encode(),
        ),
        Capture(
            f"{ENGLISH_HOST}/world/{serial}",
            200,
            "text/html; charset=utf-8",
            page(ENGLISH_HOST, f"/world/{serial}", "en", "Council budget", ENGLISH).encode(),
        ),
        Capture(
            f"{PERSIAN_HOST}/news/{serial}",
            200,
            "text/html; charset=utf-8",
            page(PERSIAN_HOST, f"/news/{serial}", "fa", "بودجه شورا", PERSIAN).encode(),
        ),
        Capture(f"{ARABIC_HOST}/logo.png", 200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
        Capture(f"{ENAB_BALADI}/archives/1", 301, "text/html", b"<html>moved</html>"),
        Capture(
            f"{ENAB_BALADI}/archives/category/online",
            200,
            "text/html; charset=UTF-8",
            b"<html><body><a href='/archives/700001'>x</a></body></html>",
        ),
    ]


def legacy_text(html: str) -> str:
    """What a page encoded in windows-1256 still says (characters it lacks are dropped)."""
    return html.encode("cp1256", "ignore").decode("cp1256")


def build_month(days: list[date], warcs_per_day: int, articles_per_warc: int) -> Month:
    """WARC files of Enab Baladi articles (each WARC also captures again the first article of
    the one before, as CC-NEWS does with updated pages) and of :func:`other_captures`."""
    total = len(days) * warcs_per_day * articles_per_warc
    replica = EnabBaladiReplica(ENAB_BALADI, total)
    month = Month()
    serial = 0
    for day in days:
        for _ in range(warcs_per_day):
            first = serial * articles_per_warc + 1
            numbers = range(first, first + articles_per_warc)
            again = range(first - articles_per_warc, first - articles_per_warc + (serial > 0))
            captures = enab_baladi_captures(replica, numbers) + enab_baladi_captures(replica, again)
            captures[1:1] = other_captures(serial)
            path = warc_path(day, serial)
            month.captures[path] = captures
            month.warcs[path] = warc_members(path, captures)
            month.articles |= {capture.url for capture in captures if capture.record}
            serial += 1
    return month


class WarcServer(ThreadingHTTPServer):
    """Serves ``files`` (path under / → bytes) on 127.0.0.1 with Range requests; ``pause``
    seconds between two chunks; ``cut_once`` path → bytes after which its first answer
    breaks off; ``fail_first`` path → how many requests get a 503 first; ``ranges`` False:
    Range headers are ignored, as some servers do."""

    daemon_threads = True

    def __init__(self, files: dict[str, bytes], pause: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files = files
        self.pause = pause
        self.cut_once: dict[str, int] = {}
        self.fail_first: dict[str, int] = {}
        self.ranges = True
        #: (path, Range header or None) of every request.
        self.requests: list[tuple[str, str | None]] = []
        self.lock = threading.Lock()

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: WarcServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = self.path.lstrip("/")
        asked = self.headers.get("Range")
        with self.server.lock:
            self.server.requests.append((path, asked))
            failing = self.server.fail_first.get(path, 0)
            if failing:
                self.server.fail_first[path] = failing - 1
            cut = self.server.cut_once.pop(path, None)
        data = self.server.files.get(path)
        if failing or data is None:
            self._answer(503 if failing else 404, b"unavailable" if failing else b"not found")
            return
        match = _RANGE.match(asked or "") if self.server.ranges else None
        start = int(match[1]) if match else 0
        if start >= len(data) and start:
            self._answer(416, b"", (("Content-Range", f"bytes */{len(data)}"),))
            return
        self.send_response(206 if start else 200)
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(data) - start))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self._send(data[start:], cut)

    def _send(self, body: bytes, cut: int | None) -> None:
        with contextlib.suppress(OSError):  # the client went away
            for offset in range(0, len(body), CHUNK):
                if cut is not None and offset >= cut:
                    self.close_connection = True
                    return
                self.wfile.write(body[offset : offset + CHUNK])
                if self.server.pause:
                    time.sleep(self.server.pause)

    def _answer(self, status: int, body: bytes, headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving_warcs(files: dict[str, bytes], pause: float = 0.0) -> Iterator[WarcServer]:
    """A :class:`WarcServer` in a background thread for the duration of the block."""
    server = WarcServer(files, pause)
    with in_background(server):
        yield server
