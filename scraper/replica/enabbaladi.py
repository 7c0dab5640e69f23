"""A replica of enabbaladi.net: article pages, listings, feed, sitemaps and robots.txt,
generated on demand for any article number, modelled on the real site's WordPress markup.

Everything is a pure function of (article number, edition) so a 100,000-article replica
costs no memory, and ``expected()`` gives the truth a crawl must reproduce.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from scraper.replica import text

DAMASCUS = ZoneInfo("Asia/Damascus")
FIRST_ID = 700_000
#: Article 1 is published then; each next one 4 to 16 minutes later.
EPOCH = datetime(2023, 6, 1, 8, 0, tzinfo=DAMASCUS)
LISTING_SIZE = 20
FEATURED = 5
SITEMAP_SIZE = 500
NEWS_SITEMAP_SIZE = 50
FEED_SIZE = 20


@dataclass(frozen=True)
class Image:
    url: str
    caption: str
    credit: str | None

    @property
    def printed(self) -> str:
        return f"{self.caption} ({self.credit})" if self.credit else self.caption


@dataclass(frozen=True)
class Article:
    number: int
    title: str
    published: datetime
    section: tuple[str, str]
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    body: tuple[str, ...]
    images: tuple[Image, ...]
    related: tuple[int, ...]
    #: Index of the body paragraph after which an inline "اقرأ أيضًا" teaser stands.
    read_also_after: int | None
    #: Whether the page carries machine-readable dates (meta and JSON-LD).
    has_metadata: bool
    edition: int = 1
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def modified(self) -> datetime:
        """Each edition after the first is dated a day after the one before."""
        return published_at(self.number) + timedelta(days=self.edition - 1)

    @property
    def path(self) -> str:
        return f"/archives/{FIRST_ID + self.number}"

    @property
    def published_raw(self) -> str:
        hour = self.published.hour % 12 or 12
        suffix = "م" if self.published.hour >= 12 else "ص"
        return f"{self.published:%Y/%m/%d} {hour:02d}:{self.published:%M} {suffix}"


def published_at(number: int) -> datetime:
    """Ten minutes apart, give or take three: increasing, and O(1) for any number."""
    jitter = (number * 7919) % 7 - 3
    return EPOCH + timedelta(minutes=10 * (number - 1) + jitter)


def title_of(number: int) -> str:
    return text.title(random.Random(f"title:{number}"))


def article(number: int, edition: int = 1) -> Article:
    """Article ``number`` (1-based) of the replica; ``edition`` > 1 is an edited version."""
    rng = random.Random(f"article:{number}")
    body = [text.paragraph(rng) for _ in range(rng.randint(4, 9))]
    if edition > 1:
        body.append(f"(تحديث {edition}) أضيفت إلى الخبر تفاصيل جديدة بعد نشره.")
    images = [_image(rng, number, 1)]
    if rng.random() < 0.3:
        images.append(_image(rng, number, 2))
    nearby = range(max(1, number - 40), number) if number > 4 else range(number + 1, number + 41)
    return Article(
        number=number,
        title=title_of(number),
        published=published_at(number),
        section=rng.choice(text.SECTIONS),
        tags=tuple(rng.sample(text.TAGS, rng.randint(1, 4))),
        authors=tuple(rng.sample(text.AUTHORS, 1)) if rng.random() < 0.5 else (),
        body=tuple(body),
        images=tuple(images),
        related=tuple(rng.sample(nearby, 4)),
        read_also_after=rng.randrange(1, len(body)) if rng.random() < 0.5 else None,
        has_metadata=number % 10 != 3,
        edition=edition,
    )


def _image(rng: random.Random, number: int, index: int) -> Image:
    caption, credit = text.caption(rng)
    return Image(f"/wp-content/uploads/{number}-{index}.jpg", caption, credit)


def expected(item: Article, base: str) -> dict[str, object]:
    """The record fields a crawl of the replica at ``base`` must produce for ``item``."""
    return {
        "url": f"{base}{item.path}",
        "version": item.edition,
        "site": "enabbaladi",
        "title": item.title,
        "published": item.published.isoformat(timespec="seconds"),
        "published_raw": item.published_raw,
        "section": item.section[0],
        "tags": list(item.tags),
        "authors": list(item.authors),
        "lead": None,
        "body": list(item.body),
        "images": [
            {"url": base + i.url, "caption": i.caption, "credit": i.credit, "alt": i.printed}
            for i in item.images
        ],
        "related": [
            {"url": f"{base}/archives/{FIRST_ID + n}", "title": title_of(n)} for n in item.related
        ],
    }
