"""Pages from outside a crawl: saved files (.html, .html.gz) and single URLs."""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

from scrapy.http import HtmlResponse

from scraper.page import Page

USER_AGENT = "akhbar/0.1 (+https://github.com/akhbar/akhbar)"


def decode(url: str, body: bytes, content_type: str | None = None) -> str:
    """Decode HTML bytes exactly as a crawl would (headers, BOM, meta charset, detection)."""
    headers = {"Content-Type": content_type} if content_type else {}
    return HtmlResponse(url=url, body=body, headers=headers).text


def read_file(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data.startswith(b"\x1f\x8b") else data


def fetch(url: str, timeout: float = 30) -> tuple[bytes, str | None]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read(), response.headers.get("Content-Type")


def load(source: str, url: str | None = None) -> Page:
    """A page from a file path or an http(s) URL; ``url`` is the address of a saved file."""
    if source.startswith(("http://", "https://")):
        body, content_type = fetch(source)
        return Page(url=source, html=decode(source, body, content_type))
    path = Path(source)
    address = url or path.resolve().as_uri()
    page = Page(url=address, html=decode(address, read_file(path)))
    if url is None and page.canonical_url:
        page.url = page.canonical_url  # a saved page tells where it came from
    return page
