"""What ``akhbar import`` reads: URLs (arguments, URL lists, stdin), saved pages (.html,
.html.gz), WARC archives (.warc, .warc.gz) and folders of them.

Everything is gathered into two files of distinct inputs, one canonical URL per line and one
JSON page reference per line, so that the import spider streams them whatever their number.
A page read from disk is referred to (file, WARC record offset), never held in memory.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import sys
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Headers, HtmlResponse, Request
from scrapy.responsetypes import responsetypes
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from scraper.core.urls import canonical_url
from scraper.crawl import pages as saved

STDIN = "-"
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
#: A comment after a URL, set off by whitespace: ``https://example.com/a  # the first one``.
_TRAILING_COMMENT = re.compile(r"\s+#.*$")
#: Bytes of a WARC payload read to tell HTML from other content when no type is declared.
_SNIFF = 4096


class UsageError(ValueError):
    """An argument that names nothing akhbar can import (exit status 2)."""


def clean_url(text: str) -> str | None:
    """The canonical form of an http(s) URL (tracking parameters removed); None otherwise."""
    if not text or any(ch.isspace() for ch in text):
        return None
    try:
        parts = urlsplit(text)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        return canonical_url(text)
    except ValueError:  # e.g. a port that is not a number
        return None


def url_lines(lines: Iterable[str]) -> Iterator[tuple[int, str, str | None]]:
    """(line number, text, canonical URL or None when malformed) for each line holding a URL.

    Blank lines and ``#`` comments are passed over, as is a comment after a URL.
    """
    for number, line in enumerate(lines, 1):
        text = _TRAILING_COMMENT.sub("", line.lstrip("\ufeff").strip())
        if text and not text.startswith("#"):
            yield number, text, clean_url(text)


def read_urls(path: Path) -> Iterator[str]:
    """The URLs of a URL list, malformed lines left out."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for _, _, url in url_lines(handle):
            if url:
                yield url


@dataclass(frozen=True)
class LocalPage:
    """A page on disk: a saved file, or the WARC response record at ``offset`` of ``path``."""

    url: str
    path: str
    offset: int | None = None

    def response(self, request: Request) -> HtmlResponse:
        """The page as a crawl would have received it (only its Content-Type header kept, as
        ``saved.decode`` does, so that decoding follows a crawl's exactly)."""
        if self.offset is None:
            status, content_type, body = 200, None, saved.read_file(Path(self.path))
        else:
            status, content_type, body = read_warc_record(Path(self.path), self.offset)
        headers = {"Content-Type": content_type} if content_type else {}
        return HtmlResponse(
            url=request.url, status=status, headers=headers, body=body, request=request
        )


def read_warc_record(path: Path, offset: int) -> tuple[int, str | None, bytes]:
    """(HTTP status, Content-Type, payload) of the WARC response record at ``offset``."""
    with path.open("rb") as handle:
        handle.seek(offset)
        record = next(iter(ArchiveIterator(handle)))
        return (*status_and_type(record), record.content_stream().read())


def read_pages(path: Path) -> Iterator[LocalPage]:
    """The page references of a file written by :class:`Gatherer`."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield LocalPage(**json.loads(line))


def status_and_type(record: Any) -> tuple[int, str | None]:
    """(HTTP status, Content-Type) of a WARC response record (200 for one without HTTP)."""
    if record.http_headers is None:  # a response record without HTTP (dns:, ...)
        return 200, record.rec_headers.get_header("Content-Type")
    code = record.http_headers.get_statuscode() or ""
    return int(code) if code.isdigit() else 200, record.http_headers.get_header("Content-Type")


def _is_html(url: str, content_type: str | None, head: bytes) -> bool:
    """Whether a crawl would have taken the response for HTML (Scrapy's own rules)."""
    headers = Headers({"Content-Type": content_type}) if content_type else None
    kind = responsetypes.from_args(headers=headers, url=url, body=head)
    return issubclass(kind, HtmlResponse)


def warc_pages(path: Path) -> Iterator[LocalPage | str]:
    """The HTML response records of a WARC as pages, and why each other response is left out
    ("not HTML", "redirect", "not an http(s) URL"). Other record types are not responses."""
    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        for record in records:
            if record.rec_type != "response":
                continue
            target = record.rec_headers.get_header("WARC-Target-URI") or ""
            status, content_type = status_and_type(record)
            head = record.content_stream().read(_SNIFF)
            if reason := skip_reason(target, status, content_type, head):
                yield reason
            else:
                yield LocalPage(canonical_url(target), str(path), records.get_record_offset())


def skip_reason(target: str, status: int, content_type: str | None, head: bytes) -> str | None:
    """Why a WARC response is no page to import ("not HTML", "redirect", "not an http(s)
    URL"), from its target URI, status, Content-Type and first bytes; None for a page."""
    if not _is_html(target, content_type, head):
        return "not HTML"
    if 300 <= status < 400:
        return "redirect"
    return "not an http(s) URL" if clean_url(target) is None else None


def load_url_map(path: Path) -> dict[str, str]:
    """``path,url`` rows (a header row is allowed): absolute path → canonical URL. Relative
    paths are taken from the CSV's folder."""
    found = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.reader(handle), 1):
                if not row or (number == 1 and [c.strip() for c in row] == ["path", "url"]):
                    continue
                url = clean_url(row[1].strip()) if len(row) == 2 else None
                if url is None:
                    raise UsageError(f"{path}:{number}: not a path,url row: {','.join(row)}")
                found[str((path.parent / row[0].strip()).resolve())] = url
    except OSError as exc:
        raise UsageError(f"--url-map: {exc}") from exc
    return found


@dataclass
class Gathered:
    """What the inputs came to: the files of distinct URLs and pages, and what was left out."""

    urls_file: Path
    pages_file: Path
    urls: int = 0
    pages: int = 0
    duplicates: int = 0
    #: (where: ``file:line`` or a path, what is wrong) for inputs that cannot be imported.
    problems: list[tuple[str, str]] = field(default_factory=list)
    #: WARC responses that are not pages, by kind.
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.urls + self.pages


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(HTML_SUFFIXES):
        return "html"
    return "warc" if name.endswith(WARC_SUFFIXES) else None


class Gatherer:
    """Writes distinct inputs to ``urls.txt`` and ``pages.jsonl`` in ``folder``; a URL met
    again (after canonicalisation, whether to fetch or on disk) counts as a duplicate."""

    def __init__(self, folder: Path, url_map: dict[str, str] | None = None) -> None:
        self.result = Gathered(folder / "urls.txt", folder / "pages.jsonl")
        self.url_map = url_map or {}
        # the URLs met so far, in a private temporary file: lists can hold millions
        self._seen = sqlite3.connect("", isolation_level=None)
        self._seen.execute("PRAGMA cache_size=-2048")
        self._seen.execute("CREATE TABLE seen (url TEXT PRIMARY KEY) WITHOUT ROWID")
        self._urls = self.result.urls_file.open("w", encoding="utf-8")
        self._pages = self.result.pages_file.open("w", encoding="utf-8")

    def __enter__(self) -> Gatherer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._urls.close()
        self._pages.close()
        self._seen.close()

    def _is_new(self, url: str) -> bool:
        if self._seen.execute("INSERT OR IGNORE INTO seen VALUES (?)", (url,)).rowcount:
            return True
        self.result.duplicates += 1
        return False

    def add_url(self, url: str) -> None:
        if self._is_new(url):
            self._urls.write(url + "\n")
            self.result.urls += 1

    def add_page(self, page: LocalPage) -> None:
        if self._is_new(page.url):
            self._pages.write(json.dumps(asdict(page), ensure_ascii=False) + "\n")
            self.result.pages += 1

    def add_lines(self, lines: Iterable[str], name: str) -> None:
        for number, text, url in url_lines(lines):
            if url is None:
                self.result.problems.append((f"{name}:{number}", f"not an http(s) URL: {text}"))
            else:
                self.add_url(url)

    def add_path(self, path: Path) -> None:
        """A saved page, a WARC, or every one of them under a folder."""
        files = sorted(p for p in path.rglob("*") if _kind(p)) if path.is_dir() else [path]
        for file in files:
            if _kind(file) == "warc":
                self.add_warc(file)
            else:
                self.add_saved(file)

    def add_saved(self, path: Path) -> None:
        try:
            url = self.url_map.get(str(path.resolve())) or _canonical_link(path)
        except (OSError, EOFError, zlib.error) as exc:
            self.result.problems.append((str(path), f"unreadable: {exc}"))
            return
        if url is None:
            problem = "no URL: the page has no canonical link; give its URL in --url-map"
            self.result.problems.append((str(path), problem))
        else:
            self.add_page(LocalPage(url, str(path.resolve())))

    def add_warc(self, path: Path) -> None:
        try:
            for found in warc_pages(path.resolve()):
                if isinstance(found, str):
                    self.result.skipped[found] += 1
                else:
                    self.add_page(found)
        except (OSError, EOFError, zlib.error, ArchiveLoadFailed) as exc:
            self.result.problems.append((str(path), f"unreadable WARC: {exc}"))


def _canonical_link(path: Path) -> str | None:
    canonical = saved.load(str(path)).canonical_url
    return clean_url(canonical) if canonical else None


def check_source(source: str) -> None:
    """Raise :class:`UsageError` unless ``source`` is a URL, ``-``, a page, a WARC or a folder."""
    if source == STDIN or clean_url(source):
        return
    path = Path(source)
    if path.is_dir() or (path.is_file() and _kind(path)):
        return
    if path.is_file():
        raise UsageError(
            f"{source}: not a saved page (.html, .html.gz) or a WARC (.warc, .warc.gz);"
            " give a list of URLs with -i"
        )
    raise UsageError(f"{source}: not an http(s) URL, nor a file or folder")


def gather(
    sources: Sequence[str], lists: Sequence[Path], url_map: Path | None, folder: Path
) -> Gathered:
    """Read every input into ``folder``; the arguments are all checked before any is read."""
    for source in sources:
        check_source(source)
    for path in lists:
        if not path.is_file():
            raise UsageError(f"-i {path}: no such file")
    if not sources and not lists:
        raise UsageError("nothing to import: give URLs, files, folders, -i FILE or -")
    with Gatherer(folder, load_url_map(url_map) if url_map else None) as gatherer:
        for path in lists:
            with path.open(encoding="utf-8", errors="replace") as handle:
                gatherer.add_lines(handle, str(path))
        for source in sources:
            if source == STDIN:
                gatherer.add_lines(sys.stdin, "<stdin>")
            elif url := clean_url(source):
                gatherer.add_url(url)
            else:
                gatherer.add_path(Path(source))
    return gatherer.result
