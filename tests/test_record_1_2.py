"""Schema 1.2 end to end: a page written here goes to a record with its dateline, agencies,
language, script share and free access, the closing credit line out of the body; a 1.0 record
is upgraded with them computed from its text, its body and hash left as they were."""

from __future__ import annotations

import json
from typing import Any

from scraper.core.arabic_text import content_hash
from scraper.core.normalize import normalize_record
from scraper.core.page import Page
from scraper.core.record import FIELD_NAMES, SCHEMA_VERSION, validate
from scraper.extract.record import record_from_page
from scraper.sites.enabbaladi import SITE
from scraper.store.dataset import upgrade

FIRST = "عمان 24 نيسان (بترا) - أعلنت وزارة الزراعة عن خطة جديدة لدعم مزارعي وادي الأردن."
SECOND = "وقال الوزير إن الخطة تشمل قروضا ميسرة وتوزيع بذور محسنة على صغار المزارعين."
ENGLISH = [
    "The ministry of agriculture announced a new plan on Monday to support farmers in the valley.",
    "The minister said that the plan includes soft loans and improved seeds for small farmers.",
]


def article_page(paragraphs: list[str], lang: str = "ar", ld: dict[str, Any] | None = None) -> Page:
    jsonld = {"@type": "NewsArticle", "headline": "خطة لدعم المزارعين", **(ld or {})}
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f'<html lang="{lang}"><head><title>خطة لدعم المزارعين</title>'
        f'<script type="application/ld+json">{json.dumps(jsonld)}</script></head>'
        f"<body><article><h1>خطة لدعم المزارعين</h1>{body}</article></body></html>"
    )
    return Page("https://news.example/2024/05/plan", html)


def test_a_page_gives_its_attribution_language_and_access() -> None:
    page = article_page(
        [FIRST, SECOND, "--(بترا)"],
        lang="en",
        ld={
            "sourceOrganization": {"@type": "Organization", "name": "Petra"},
            "isAccessibleForFree": True,
        },
    )
    record = record_from_page(page)
    validate(record)
    assert record["schema_version"] == SCHEMA_VERSION == "1.2"
    assert record["body"] == [FIRST, SECOND]
    assert record["dateline"] == {
        "text": "عمان 24 نيسان (بترا) -",
        "place": "عمان",
        "tag": "بترا",
        "found_in": "first_paragraph",
    }
    assert record["agencies"] == [
        {"id": "petra", "name": "بترا", "found_in": ["dateline", "last_line", "jsonld"]}
    ]
    assert (record["language"], record["script_share"]) == ("ar", 1.0)  # not lang="en"
    assert record["free_access"] is True
    assert list(record) == [name for name in FIELD_NAMES if name in record]


def test_an_english_page_on_an_arabic_site_is_english() -> None:
    record = record_from_page(article_page(ENGLISH, lang="ar"), SITE)
    assert SITE.language == "ar"
    assert record["language"] == "en"
    assert record["script_share"] < 0.2  # the Arabic headline only
    assert (record["dateline"], record["agencies"], record["free_access"]) == (None, [], None)


def test_a_crawl_normalising_later_gets_the_same_attribution() -> None:
    page = article_page(["دمشق\u200f-سانا", SECOND])  # a right-to-left mark inside
    raw = record_from_page(page, normalized=False)
    assert raw["dateline"]["text"] == "دمشق-سانا"
    assert normalize_record(dict(raw))["dateline"] == record_from_page(page)["dateline"]
    assert raw["body"] == [SECOND]


def test_a_1_0_record_is_upgraded_through_1_1_with_its_attribution_computed() -> None:
    body = [FIRST, SECOND, "--(بترا)"]
    old = {
        "schema_version": "1.0",
        "url": "https://news.example/2024/05/plan",
        "site": "news_example",
        "language": "ar",
        "title": "خطة لدعم المزارعين",
        "title_search": "خطه لدعم المزارعين",
        "published": "2024-05-01",
        "published_raw": None,
        "modified": None,
        "section": None,
        "tags": [],
        "authors": [],
        "lead": None,
        "body": body,
        "body_search": body,
        "images": [],
        "related": [],
        "fetched_at": "2024-05-01T10:00:00+00:00",
        "content_hash": content_hash("خطة لدعم المزارعين", body),
    }
    new = upgrade(dict(old))
    validate(new)
    assert new["schema_version"] == "1.2"
    assert (new["body"], new["content_hash"]) == (body, old["content_hash"])
    assert new["dateline"]["place"] == "عمان"
    assert new["agencies"] == [
        {"id": "petra", "name": "بترا", "found_in": ["dateline", "last_line"]}
    ]
    assert (new["language"], new["script_share"], new["free_access"]) == ("ar", 1.0, None)
    english = upgrade({**old, "title": "A plan", "body": ENGLISH, "body_search": ENGLISH})
    assert (english["language"], english["script_share"]) == ("en", 0.0)
