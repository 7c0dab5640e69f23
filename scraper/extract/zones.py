"""Where a publisher prints its times, for pages of sites without a site file: known
publishers, country domains and datelines, as `zones.toml` lists them."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from urllib.parse import urlsplit

from scraper.core.arabic_text import fold


def _load() -> dict[str, dict[str, str]]:
    text = resources.files("scraper.extract").joinpath("zones.toml").read_text("utf-8")
    return tomllib.loads(text)


def _publishers(table: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Domain -> [(path prefix, zone)], from keys such as "aljazeera.net", "bbc.com/arabic"."""
    found: dict[str, list[tuple[str, str]]] = {}
    for key, zone in table.items():
        domain, slash, path = key.partition("/")
        found.setdefault(domain, []).append((slash + path, zone))
    return found


_TABLES = _load()
#: Known publishers by domain: (path prefix, zone) pairs.
PUBLISHERS = _publishers(_TABLES["publishers"])
COUNTRIES = _TABLES["countries"]
#: Folded city name -> zone.
DATELINES = {fold(city): zone for city, zone in _TABLES["datelines"].items()}
#: A city opening a paragraph, then the dateline's separator: "بيروت -", "دمشق،", "(الرياض)".
_DATELINE = re.compile(
    r"^\W{0,3}(?P<city>"
    + "|".join(sorted(map(re.escape, DATELINES), key=len, reverse=True))
    + r")\)?\s*(?:[-–—:،,/]|\(|$)"
)
#: How much of a paragraph's start a dateline fits in.
_DATELINE_CHARS = 40


def _hosts(urls: list[str | None]) -> list[tuple[str, str]]:
    """(host without "www.", path) of each URL."""
    found = []
    for url in urls:
        parts = urlsplit(url or "")
        if parts.hostname:
            found.append((parts.hostname.lower().removeprefix("www."), parts.path))
    return found


def publisher_zone(*urls: str | None) -> str | None:
    """The zone of a known publisher at one of ``urls`` (a domain or a subdomain of it,
    under the listed path when there is one)."""
    for host, path in _hosts(list(urls)):
        labels = host.split(".")
        for i in range(len(labels) - 1):
            for prefix, zone in PUBLISHERS.get(".".join(labels[i:]), ()):
                if path.startswith(prefix):
                    return zone
    return None


def country_zone(*urls: str | None) -> str | None:
    """The zone of the country a host's top-level domain names (``.lb``, ``.eg``)."""
    for host, _ in _hosts(list(urls)):
        if zone := COUNTRIES.get(host.rsplit(".", 1)[-1]):
            return zone
    return None


def dateline_zone(paragraph: str) -> str | None:
    """The zone of the city a paragraph opens with as its dateline ("بيروت - ...")."""
    match = _DATELINE.match(fold(paragraph[:_DATELINE_CHARS]))
    return DATELINES[match["city"]] if match else None
