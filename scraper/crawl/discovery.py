"""Reading discovery documents (robots.txt, sitemaps, news sitemaps, RSS/Atom feeds) safely.

XML is parsed incrementally with entity expansion, DTD loading and network access off, and a
document that declares a DTD is refused outright (sitemaps and feeds have none), so a hostile
sitemap (billion laughs, external entities) can neither expand nor reach out. A huge one is
read without holding its tree, and no further than MAX_URLS links.
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
    """A discovery document that could not be read: ``reason`` in one word, the message in
    full."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


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
        raise DiscoveryError("bad_gzip", f"not valid gzip: {exc}") from exc
    if len(data) > MAX_INFLATED:
        raise DiscoveryError("too_large", f"gzip inflates beyond {MAX_INFLATED} bytes")
    return data


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


#: The elements that are links: sitemap entries, feed items, in any namespace.
_LINK_TAGS = ("{*}url", "{*}sitemap", "{*}item", "{*}entry")


def _texts(element: etree._Element) -> dict[str, str]:
    """The first non-empty text of each descendant, by lower-cased local name."""
    found: dict[str, str] = {}
    for child in element.iter():
        name = _local(child.tag)
        if name not in found and child.text and child.text.strip():
            found[name] = child.text.strip()
    return found


def xml_links(body: bytes) -> Iterator[Link]:
    """Links of a sitemap, sitemap index, news sitemap, RSS or Atom document, in order."""
    data = inflate(body)
    if not data.strip():
        raise DiscoveryError("empty_body", "an empty document")
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        tag=_LINK_TAGS,
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        recover=False,
    )
    count = 0
    try:
        for event, element in events:
            if event == "start":
                if count == 0:  # the prolog is parsed by now, before any entity is used
                    _refuse_dtd(element.getroottree().docinfo)
                continue
            link = _link(element)
            _drop(element)
            if link is None:
                continue
            count += 1
            if count > MAX_URLS:
                raise DiscoveryError("too_many_urls", f"more than {MAX_URLS} URLs in one document")
            yield link
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError("malformed_xml", f"malformed XML: {exc}") from exc


def _refuse_dtd(docinfo: etree.DocInfo) -> None:
    """Entity declarations (billion laughs, external entities) and DTDs have no place in a
    sitemap or feed: the document is refused before any of them is used."""
    if not docinfo.doctype:
        return
    dtd = docinfo.internalDTD
    entities = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if entities:
        raise DiscoveryError("xml_entities", f"declares XML entities {entities[:5]}: refused")
    raise DiscoveryError("xml_dtd", f"declares a DTD ({docinfo.doctype[:200]}): refused")


def _drop(element: etree._Element) -> None:
    """Free a link once read, and the ones before it, so a huge document keeps no tree."""
    element.clear()
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def _link(element: etree._Element) -> Link | None:
    name = _local(element.tag)
    texts = _texts(element)
    if name in ("url", "sitemap"):
        loc = texts.get("loc")
        if not loc:
            return None
        date = texts.get("publication_date") or texts.get("lastmod")
        return Link(loc, date, texts.get("title"), is_sitemap=name == "sitemap")
    url = texts.get("link") or _atom_href(element)
    if not url:
        return None
    date = next((texts[k] for k in ("pubdate", "published", "updated", "date") if k in texts), None)
    return Link(url, date, texts.get("title"))


def _atom_href(element: etree._Element) -> str | None:
    for child in element:
        if (
            _local(child.tag) == "link"
            and child.get("href")
            and child.get("rel", "alternate") == "alternate"
        ):
            return str(child.get("href"))
    return None
