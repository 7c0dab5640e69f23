"""Pages from outside a crawl: saved files (.html, .html.gz) and single URLs."""

from __future__ import annotations

import contextlib
import gzip
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from charset_normalizer import from_bytes
from scrapy.http import HtmlResponse, TextResponse

from scraper.core.page import Page

USER_AGENT = "akhbar/0.1 (+https://github.com/akhbar/akhbar)"

#: Characters are counted in the text's UTF-8 bytes by their lead byte, one ``bytes.count``
#: each (a regular expression over a 100 KB page took 0.25-0.5 ms, as long as half its parse):
#: U+0600-U+06FF (Arabic) lead with 0xD8-0xDB; U+00C0-U+00FF, what the bytes of Arabic
#: letters (windows-1256, ISO-8859-6, the lead bytes of UTF-8) become when read as Latin-1 or
#: windows-1252 ("ÚäÈ", "Ø¹Ù"), with 0xC3. A continuation byte is never one of these.
_ARABIC_LEADS = (b"\xd8", b"\xd9", b"\xda", b"\xdb")
_MOJIBAKE_LEAD = b"\xc3"
_REPLACEMENT = "\ufffd"
#: windows-1252 letters back to the C1 code points that stand for the same bytes in Latin-1.
_CP1252_AS_LATIN1 = {
    ord(bytes([byte]).decode("cp1252")): byte
    for byte in range(0x80, 0xA0)
    if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)  # undefined in windows-1252
}
#: This many U+FFFD, or more mojibake than Arabic letters (and this much), mean a wrong charset.
MIN_REPLACEMENTS = 3
MIN_MOJIBAKE = 20


def decode(url: str, body: bytes, content_type: str | None = None) -> str:
    """Decode HTML bytes exactly as a crawl does (headers, BOM, meta charset, detection,
    then ``repair``)."""
    headers = {"Content-Type": content_type} if content_type else {}
    return response_text(HtmlResponse(url=url, body=body, headers=headers))


def response_text(response: TextResponse) -> str:
    """The text of a response: Scrapy's decoding, repaired when it went wrong."""
    return repair(response.text, response.body)


def repair(text: str, body: bytes) -> str:
    """``text`` decoded again from ``body`` when it came out garbled: a wrong or missing
    charset (U+FFFD, or Arabic read as Latin-1: "ÚäÈ ÈáÏí"), or UTF-8 encoded twice."""
    if not _garbled(text):
        return text
    best = max(_redecoded(text, body), key=_quality, default=text)
    return best if _quality(best) > _quality(text) else text


class Counts(NamedTuple):
    """How many Arabic characters, Latin-1 letters (mojibake) and U+FFFD a text holds."""

    arabic: int
    mojibake: int
    replacements: int


def character_counts(text: str) -> Counts:
    data = _utf8(text)
    return Counts(_arabic(data), data.count(_MOJIBAKE_LEAD), text.count(_REPLACEMENT))


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _arabic(data: bytes) -> int:
    return sum(map(data.count, _ARABIC_LEADS))


def _garbled(text: str) -> bool:
    if text.count(_REPLACEMENT) >= MIN_REPLACEMENTS:
        return True
    data = _utf8(text)
    mojibake = data.count(_MOJIBAKE_LEAD)  # few on a sound page: Arabic is counted seldom
    return mojibake > MIN_MOJIBAKE and mojibake > _arabic(data)


def _quality(text: str) -> int:
    """Arabic letters, less the marks of garbling."""
    found = character_counts(text)
    return found.arabic - found.mojibake - found.replacements


def _redecoded(text: str, body: bytes) -> Iterator[str]:
    """The body as charset detection reads it; the text undone from a double UTF-8 encoding."""
    if (best := from_bytes(body).best()) is not None:
        yield str(best)
    with contextlib.suppress(UnicodeError):
        yield text.translate(_CP1252_AS_LATIN1).encode("latin-1").decode("utf-8")


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
