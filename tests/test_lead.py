"""The generic lead (`scraper.extract.lead`) and the record's body opening with it, on pages
written here."""

from __future__ import annotations

from typing import Any

from scraper.core.page import Page
from scraper.extract import lead
from scraper.extract.record import record_from_page, with_lead
from scraper.sites import site_for_page


def build_record(page: Page) -> dict[str, Any]:
    """The raw record of ``page``, as a crawl builds it before its pipelines."""
    return record_from_page(page, site_for_page(page), normalized=False)


URL = "https://news.example.com/2024/02/14/story"
TITLE = "افتتاح أكبر محطة لتحلية المياه على الساحل الغربي"
STANDFIRST = "المحطة توفر مياه الشرب لنحو مليوني نسمة وتعمل بالطاقة الشمسية بالكامل"
P1 = (
    "افتتح رئيس الوزراء اليوم الأحد محطة لتحلية مياه البحر على الساحل الغربي، بطاقة إنتاجية "
    "تبلغ نصف مليون متر مكعب يوميا، بعد ثلاث سنوات من العمل."
)
P2 = (
    "وقال وزير المياه في كلمة خلال الافتتاح إن المحطة ستنهي أزمة الانقطاعات المتكررة في "
    "المدن الساحلية خلال أشهر الصيف."
)
BODY = f"<div class='story-text'><p>{P1}</p><p>{P2}</p></div>"


def page(body: str, head: str = "") -> Page:
    head = f'<meta property="og:title" content="{TITLE}">{head}'
    html = f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    return Page(url=URL, html=html)


def test_a_block_with_a_lead_class_between_headline_and_body() -> None:
    body = (
        f"<article><h1>{TITLE}</h1><p class='article-lead'><em>{STANDFIRST}</em></p>"
        f"<div class='meta'>14 فبراير 2024</div>{BODY}</article>"
    )
    assert lead.lead(page(body)) == STANDFIRST


def test_a_block_printing_the_metadata_summary_even_cut_short() -> None:
    summary = f'<meta property="og:description" content="{STANDFIRST[:50]}...">'
    body = f"<article><h1>{TITLE}</h1><h2>{STANDFIRST}</h2>{BODY}</article>"
    assert lead.lead(page(body, summary)) == STANDFIRST


def test_no_lead_when_the_summary_is_the_first_paragraph_of_the_body() -> None:
    summary = f'<meta name="description" content="{P1[:80]}">'
    body = f"<article><h1>{TITLE}</h1><div class='byline'>كتب محمد علي</div>{BODY}</article>"
    assert lead.lead(page(body, summary)) is None


def test_no_lead_from_a_header_block_that_holds_the_headline() -> None:
    body = (
        f"<div class='article-header with-subtitle'><span>الرئيسية</span><h1>{TITLE}</h1>"
        "<h3 class='subTitle'></h3><span>الأحد، 14 فبراير 2024 11:40 م</span></div>"
        f"<p class='share-intro'>شارك</p>{BODY}"
    )
    assert lead.lead(page(body)) is None


def test_the_record_body_opens_with_the_lead_once() -> None:
    body = f"<article><h1>{TITLE}</h1><p class='standfirst'>{STANDFIRST}</p>{BODY}</article>"
    record = build_record(page(body))
    assert record["lead"] == STANDFIRST
    assert record["body"] == [STANDFIRST, P1, P2]
    assert with_lead([STANDFIRST, P1], STANDFIRST) == [STANDFIRST, P1]
    assert with_lead([P1], None) == [P1]
