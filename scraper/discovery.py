"""Reading discovery documents (robots.txt, sitemaps, news sitemaps, RSS/Atom feeds) safely.

XML is parsed incrementally with entity expansion, DTD loading and network access off, so a
hostile sitemap (billion laughs, external entities) cannot expand or reach out, and a huge one
is read without holding its tree.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

#: The most a gzipped sitemap may inflate to (the sitemap protocol caps files at 50 MB).
MAX_INFLATED = 50 * 1024 * 1024
#: The most URLs read from one sitemap file (the protocol allows 50,000).
MAX_URLS = 50_000


class DiscoveryError(ValueError):
    """A discovery document that could not be read; the message says why."""


@dataclass(frozen=True)
class Link:
    url: str
    #: ``lastmod`` of a sitemap entry, ``pubDate`` of a feed item, the news publication date.
    date: str | None = None
    title: str | None = None
    #: True for the entries of a sitemap index (they are sitemaps, not pages).
    is_sitemap: bool = False


def robots_sitemaps(text: str) -> list[str]:
    return [
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if line.lower().startswith("sitemap:") and line.split(":", 1)[1].strip()
    ]


def inflate(body: bytes) -> bytes:
    """The body, gunzipped when it is gzip (``.xml.gz`` files), never beyond MAX_INFLATED."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(MAX_INFLATED + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DiscoveryError(f"not valid gzip: {exc}") from exc
    if len(data) > MAX_INFLATED:
        raise DiscoveryError(f"gzip inflates beyond {MAX_INFLATED} bytes")
    return data


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(element: etree._Element, *names: str) -> str | None:
    for child in element.iter():
        if _local(child.tag) in names and child.text and child.text.strip():
            return child.text.strip()
    return None


def xml_links(body: bytes) -> Iterator[Link]:
    """Links of a sitemap, sitemap index, news sitemap, RSS or Atom document, in order."""
    events = etree.iterparse(
        io.BytesIO(inflate(body)),
        events=("end",),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        recover=False,
    )
    count = 0
    try:
        for _, element in events:
            link = _link(element)
            if link is None:
                continue
            element.clear()
            count += 1
            if count > MAX_URLS:
                raise DiscoveryError(f"more than {MAX_URLS} URLs in one document")
            yield link
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"malformed XML: {exc}") from exc


def _link(element: etree._Element) -> Link | None:
    name = _local(element.tag)
    if name in ("url", "sitemap"):
        loc = _child_text(element, "loc")
        if not loc:
            return None
        date = _child_text(element, "publication_date") or _child_text(element, "lastmod")
        return Link(loc, date, _child_text(element, "title"), is_sitemap=name == "sitemap")
    if name in ("item", "entry"):
        url = _child_text(element, "link") or _atom_href(element)
        if not url:
            return None
        date = _child_text(element, "pubdate", "published", "updated", "date")
        return Link(url, date, _child_text(element, "title"))
    return None


def _atom_href(element: etree._Element) -> str | None:
    for child in element:
        if (
            _local(child.tag) == "link"
            and child.get("href")
            and child.get("rel", "alternate") == "alternate"
        ):
            return str(child.get("href"))
    return None
