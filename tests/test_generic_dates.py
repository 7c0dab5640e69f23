"""The generic dates on pages written here: publication and last update told apart by their
labels, ``published_raw`` cut at labels only, the day in the URL, the update standing in for
a missing publication, ``published_source``, and the publisher's zone (known publishers,
datelines)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scraper.core.page import Page
from scraper.extract import datelabels, generic, heuristics, urldate, zones
from scraper.extract.record import record_from_page
from scraper.sites import site_for_page


def build_record(page: Page) -> dict[str, Any]:
    """The raw record of ``page``, as a crawl builds it before its pipelines."""
    return record_from_page(page, site_for_page(page), normalized=False)


URL = "https://news.example.com/story/884120"
TITLE = "الحكومة تقر خطة لدعم مزارعي القمح"
PROSE = (
    "أقرت الحكومة في جلستها الأسبوعية خطة لدعم مزارعي القمح تشمل قروضا ميسرة وأسمدة مدعومة، "
    "على أن يبدأ تنفيذها مطلع الموسم المقبل في جميع المحافظات."
)


def page(between: str, head: str = "", url: str = URL, tz: str = "UTC", prose: str = PROSE) -> Page:
    text = f"<div class='text'><p>{prose}</p><p>{prose}</p></div>"
    body = f"<article><h1>{TITLE}</h1>{between}{text}</article>"
    head = f"<meta property='og:title' content='{TITLE}'>{head}"
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return Page(url=url, html=html, timezone=tz)


def meta(name: str, content: str) -> str:
    return f"<meta property='{name}' content='{content}'>"


# --- Labels ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "نشر في: 14 فبراير 2024 - آخر تحديث: 20 فبراير 2024",
            [("published", "نشر في: 14 فبراير 2024"), ("updated", "آخر تحديث: 20 فبراير 2024")],
        ),
        (
            "تم نشره الجمعة 24 نيسان 2020 09:22 مساءً",
            [("published", "تم نشره الجمعة 24 نيسان 2020 09:22 مساءً")],
        ),
        (
            "الأربعاء 14 فبراير 2024 | تاريخ التحديث 20/2/2024",
            [("", "الأربعاء 14 فبراير 2024"), ("updated", "تاريخ التحديث 20/2/2024")],
        ),
        ("(محدثة GMT 08:15 05.11.2021)", [("updated", "(محدثة GMT 08:15 05.11.2021)")]),
        ("14 فبراير 2024 (بتوقيت مكة المكرمة)", [("", "14 فبراير 2024 (بتوقيت مكة المكرمة)")]),
    ],
)
def test_a_date_line_is_cut_at_its_labels_never_inside_one(
    line: str, expected: list[tuple[str, str]]
) -> None:
    assert [tuple(part) for part in datelabels.parts(line)] == expected


def test_both_printed_the_update_goes_to_modified_and_published_raw_is_whole() -> None:
    p = page("<div class='meta'>نشر في: 14 فبراير 2024 - آخر تحديث: 20 فبراير 2024 10:15</div>")
    record = build_record(p)
    assert record["published"] == "2024-02-14"
    assert record["published_raw"] == "نشر في: 14 فبراير 2024"
    assert record["published_source"] == "visible"
    assert record["modified"] == "2024-02-20T10:15:00+00:00"


def test_an_update_labelled_by_the_element_before_it_is_not_the_publication() -> None:
    between = (
        "<div class='info'><span>آخر تحديث:</span> <time>20 فبراير 2024</time></div>"
        "<div class='info'><span>تاريخ النشر:</span> <time>14 فبراير 2024</time></div>"
    )
    p = page(between)
    published, updated = heuristics.printed_date(p), heuristics.printed_update(p)
    assert published is not None and published.value.day == 14
    assert updated is not None and updated.value.day == 20


def test_a_date_in_an_element_whose_class_says_update_is_the_update() -> None:
    between = "<span class='date-upd'>GMT 08:15 05.11.2021</span>"
    p = page(between)
    assert heuristics.printed_date(p) is None
    updated = heuristics.printed_update(p)
    assert updated is not None and updated.value.hour == 8


# --- Layers and published_source --------------------------------------------------------


def test_only_an_update_printed_published_falls_back_to_it_and_says_so() -> None:
    record = build_record(page("<div class='meta'>آخر تحديث: 20 فبراير 2024</div>"))
    assert record["published"] == record["modified"] == "2024-02-20"
    assert record["published_source"] == "visible:modified"


def test_modification_metadata_is_never_the_publication_unless_alone() -> None:
    both = meta("article:published_time", "2024-02-14T08:00:00Z") + meta(
        "article:modified_time", "2024-02-20T08:00:00Z"
    )
    record = build_record(page("", both))
    assert (record["published"], record["published_source"]) == (
        "2024-02-14T08:00:00+00:00",
        "meta",
    )
    jsonld = '{"@type": "NewsArticle", "dateModified": "2024-02-20T08:00:00Z"}'
    alone = f'<script type="application/ld+json">{jsonld}</script>'
    record = build_record(page("", alone))
    assert (record["published"], record["published_source"]) == (
        "2024-02-20T08:00:00+00:00",
        "jsonld:modified",
    )


def test_the_day_in_the_url_when_nothing_else_dates_the_page() -> None:
    record = build_record(page("", url="https://news.example.com/2024/02/14/story-884120"))
    assert (record["published"], record["published_source"]) == ("2024-02-14", "url")
    assert urldate.url_day("https://x.example/a/2021-09-14-1.41", "UTC") is not None
    assert urldate.url_day("https://x.example/world/202109141049000000/", "UTC") is None


def test_a_metadata_offset_on_the_printed_wall_clock_is_a_mistake() -> None:
    wrong = meta("article:published_time", "2020-12-01T23:40:00Z")
    p = page("<div class='date'>الثلاثاء، 1 ديسمبر 2020 11:40 م</div>", wrong, tz="Africa/Cairo")
    assert generic.publication(p).value.isoformat() == "2020-12-01T23:40:00+02:00"  # type: ignore[union-attr]
    assert generic.published_source(p) == "visible"


# --- The publisher's zone -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "zone"),
    [
        ("https://www.lbcgroup.tv/news/lebanon-news/745120/title/ar", "Asia/Beirut"),
        ("https://www.bbc.com/arabic/articles/c0x1y2", "Europe/London"),
        ("https://mubasher.aljazeera.net/news/2024/2/14/x", "Asia/Qatar"),
        ("https://www.bbc.com/news/articles/c0x1y2", None),
    ],
)
def test_known_publishers_by_domain_and_path(url: str, zone: str | None) -> None:
    assert zones.publisher_zone(url) == zone


def test_a_known_publisher_wins_over_a_server_offset_and_a_dateline_over_utc() -> None:
    server = meta("article:published_time", "2024-02-14T23:30:00+01:00")
    beirut = "https://www.lbcgroup.tv/news/lebanon-news/745120/title/ar"
    assert generic.timezone(page("", server, url=beirut)) == "Asia/Beirut"
    utc = meta("article:published_time", "2024-02-14T21:30:00Z")
    dateline = "بيروت - " + PROSE
    assert generic.timezone(page("", utc, prose=dateline)) == "Asia/Beirut"
    assert generic.timezone(page("", utc)) == "UTC"


@pytest.mark.parametrize(
    ("paragraph", "zone"),
    [
        ("دمشق، 14 شباط (سانا) - أعلنت الوزارة", "Asia/Damascus"),
        ("(الرياض) - قال مسؤول", "Asia/Riyadh"),
        ("القاهرة (رويترز) - قالت الوزارة", "Africa/Cairo"),
        ("وقال مسؤول في بيروت إن الخطة جاهزة", None),
    ],
)
def test_datelines(paragraph: str, zone: str | None) -> None:
    assert zones.dateline_zone(paragraph) == zone


def test_the_date_in_an_articles_own_footer_beside_its_headline() -> None:
    between = "<footer class='submitted'><span>الجمعة 8 فيفري 2019</span></footer>"
    found = heuristics.printed_date(page(between))
    assert found is not None and found.value.date().isoformat() == "2019-02-08"
    page_footer = f"<h1>{TITLE}</h1><p>{PROSE}</p><footer><span>الجمعة 8 فيفري 2019</span></footer>"
    html = f"<html><body>{page_footer}</body></html>"
    assert heuristics.printed_date(Page(url=URL, html=html)) is None


def test_a_day_then_an_update_time_is_one_update_stamp_and_the_url_dates_the_article() -> None:
    between = "<div class='stamp'>الخميس، 14 آذار/مارس 2019، آخر تحديث 09:30 (GMT+0300)</div>"
    url = "https://news.example.com/2019/economy/3/9/wheat/index.html"
    record = build_record(page(between, url=url))
    assert (record["published"], record["published_source"]) == ("2019-03-09", "url")
    assert record["modified"] == "2019-03-14T06:30:00+00:00"  # 09:30 at GMT+3


def test_every_zone_the_tables_name_exists() -> None:
    named = [
        *(zone for pairs in zones.PUBLISHERS.values() for _, zone in pairs),
        *zones.COUNTRIES.values(),
        *zones.DATELINES.values(),
    ]
    assert len(named) > 150
    for zone in set(named):
        ZoneInfo(zone)  # raises for a zone that does not exist
