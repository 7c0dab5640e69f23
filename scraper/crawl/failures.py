"""Why a page gave no record: one short, groupable reason per failure (the cases are listed in
docs/reliability.md), reported once through the ``page_failed`` signal."""

from __future__ import annotations

import gzip
import logging
import re
import zlib

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.web._newclient import ParseError

from scraper.crawl import signals as akhbar_signals

logger = logging.getLogger(__name__)

#: The failure reason, and finish reason, of records that could not be written (a full disk).
WRITE_ERROR = "write_error"
#: How Scrapy says a body was beyond DOWNLOAD_MAXSIZE (on the wire, or once inflated).
_TOO_LARGE = re.compile(r"max ?size", re.IGNORECASE)
#: Share of control characters above which a "text" body is taken for binary data.
MAX_CONTROL_SHARE = 0.02
#: Control characters (Unicode category Cc: U+0000-U+001F, U+007F-U+009F) but tab, line feed,
#: form feed and carriage return. A regex counts them in C, where ``unicodedata.category`` per
#: character cost about 0.3 ms an article, the crawl's largest cost outside extraction.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
#: Download errors by the failure reason they are reported under.
_ERROR_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (DownloadTimeoutError, "timeout"),
    (ResponseDataLossError, "truncated"),
    (DownloadConnectionRefusedError, "connection_refused"),
    (CannotResolveHostError, "dns_error"),
    (DownloadCancelledError, "too_large"),  # Scrapy cancels a body beyond DOWNLOAD_MAXSIZE
    (gzip.BadGzipFile, "bad_encoding"),
    (zlib.error, "bad_encoding"),
)
#: Modules of the optional decoders (Content-Encoding br, zstd) whose errors mean the same.
_DECODERS = ("brotli", "brotlicffi", "zstandard")


def report_failure(crawler: Crawler, url: str, reason: str, detail: str) -> None:
    """Log the failure and tell the failure log (``page_failed``)."""
    logger.error("no record for %s: %s %s", url, reason, detail)
    crawler.signals.send_catch_log(
        akhbar_signals.page_failed, url=url, reason=reason, detail=detail
    )


def download_failure(error: BaseException, request: Request, maxsize: int) -> tuple[str, str]:
    """A short reason for a failed download, and the detail behind it."""
    detail = str(error) or type(error).__name__
    if isinstance(error, HttpError):
        return f"http_{error.response.status}", status_line(error.response)
    if isinstance(error, IgnoreRequest):
        if "redirections" in detail:
            return "too_many_redirects", " -> ".join(chain(request))
        if _TOO_LARGE.search(detail):
            return "too_large", detail  # inflated beyond DOWNLOAD_MAXSIZE
    if isinstance(error, DownloadFailedError):
        return exchange_failure(error)
    if isinstance(error, DownloadCancelledError) and not str(error):
        limit = request.meta.get("download_maxsize", maxsize)
        detail = f"cancelled at DOWNLOAD_MAXSIZE ({limit} bytes)"
    for kind, reason in _ERROR_REASONS:
        if isinstance(error, kind):
            return reason, detail
    if type(error).__module__.split(".")[0] in _DECODERS:
        return "bad_encoding", detail
    return snake_case(type(error).__name__), detail


def unreadable(html: str) -> tuple[str, str] | None:
    """(reason, detail) when a body is no HTML page at all: empty, or binary data."""
    if not html or html.isspace():  # not html.strip(), which copies the page
        return "empty_body", f"{len(html)} characters of whitespace at most"
    head = html[:4096]
    controls = len(_CONTROL.findall(head))
    if controls > MAX_CONTROL_SHARE * len(head):
        return "binary_body", f"{controls} control characters in its first {len(head)}"
    return None


def exchange_failure(error: DownloadFailedError) -> tuple[str, str]:
    """The server's answer was no HTTP (``bad_response``), or the connection dropped."""
    reasons = getattr(error.__cause__, "reasons", None) or []
    detail = "; ".join(reason.getErrorMessage() for reason in reasons) or str(error)
    if any(reason.check(ParseError, ValueError) for reason in reasons):
        return "bad_response", detail
    return "connection_lost", detail


def origin(request: Request) -> str:
    """The URL first asked for, before any redirect."""
    return chain(request)[0]


def chain(request: Request) -> list[str]:
    return [*request.meta.get("redirect_urls", []), request.url]


def status_line(response: Response) -> str:
    line = f"HTTP {response.status}"
    if retry_after := response.headers.get("Retry-After"):
        line += f" (Retry-After: {retry_after.decode('latin-1')})"
    return line


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name.removesuffix("Error")).lower() or "error"
