"""The generic extractor layer by layer (JSON-LD, meta, microdata, visible heuristics) and the
helpers under them, each on a few lines of HTML written here."""

from __future__ import annotations

from datetime import datetime

import pytest

from scraper.core.dates import has_time
from scraper.core.page import Page, squash, text_of
from scraper.extract import blocks, dom, fields, generic, heuristics, jsonld, meta, microdata
from scraper.extract import titles as titles_module

URL = "https://news.example.com/2024/02/14/story"


def page(body: str, head: str = "", url: str = URL, tz: str = "UTC") -> Page:
    html = f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    return Page(url=url, html=html, timezone=tz)


def ld(json_text: str) -> str:
    return f'<script type="application/ld+json">{json_text}</script>'


PROSE = (
    "وقال المتحدث باسم الوزارة إن الخطة الجديدة تشمل إنشاء مدارس في القرى البعيدة، "
    "إلى جانب تدريب المعلمين على المناهج الحديثة خلال العام الدراسي المقبل."
)

# --- Layer 1: JSON-LD ---------------------------------------------------------------------


def test_jsonld_finds_the_article_in_a_graph() -> None:
    graph = ld(
        '{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebPage", "name": "الصفحة", "datePublished": "2020-01-01"},'
        '{"@type": ["NewsArticle"], "headline": "عنوان الخبر", "datePublished": '
        '"2024-02-14T10:30:00+03:00", "author": [{"@type": "Person", "name": "سارة"}],'
        '"keywords": "مصر, اقتصاد", "articleSection": ["اقتصاد"]}]}'
    )
    p = page("", graph)
    assert jsonld.title(p) == "عنوان الخبر"
    assert jsonld.published(p) == "2024-02-14T10:30:00+03:00"
    assert jsonld.authors(p) == ["سارة"]
    assert jsonld.tags(p) == ["مصر", "اقتصاد"]
    assert jsonld.section(p) == "اقتصاد"


def test_jsonld_reads_an_article_nested_as_main_entity() -> None:
    p = page("", ld('{"@type": "WebPage", "mainEntity": {"@type": "Article", "headline": "خبر"}}'))
    assert jsonld.title(p) == "خبر"


def test_jsonld_forgives_raw_newlines_and_trailing_commas() -> None:
    broken = ld('{"@type": "NewsArticle", "headline": "خبر",\n"articleBody": "سطر أول\nسطر ثان",}')
    assert jsonld.body(page("", broken)) == ["سطر أول", "سطر ثان"]


def test_jsonld_without_an_article_gives_nothing() -> None:
    p = page("", ld('{"@type": "Organization", "name": "الموقع"}'))
    assert jsonld.title(p) is None
    assert jsonld.authors(p) == []


# --- Layer 2: meta ------------------------------------------------------------------------


def test_meta_title_drops_the_site_name() -> None:
    head = (
        '<meta property="og:site_name" content="اليوم السابع">'
        '<meta property="og:title" content="وزير الري يتفقد السد - اليوم السابع">'
    )
    assert meta.title(page("", head)) == "وزير الري يتفقد السد"


def test_meta_published_prefers_article_published_time() -> None:
    head = (
        '<meta name="date" content="2020-01-01">'
        '<meta property="article:published_time" content="2024-02-14T10:30:00Z">'
    )
    assert meta.published(page("", head)) == "2024-02-14T10:30:00Z"


def test_meta_tags_and_authors() -> None:
    head = (
        '<meta property="article:tag" content="مصر"><meta property="article:tag" content="مصر">'
        '<meta property="article:tag" content="السودان">'
        '<meta property="article:author" content="https://facebook.com/someone">'
    )
    p = page("", head)
    assert meta.tags(p) == ["مصر", "السودان"]
    assert meta.authors(p) == []


# --- Layer 3: microdata -------------------------------------------------------------------


def test_microdata_reads_attributes_before_text() -> None:
    body = (
        '<article itemscope itemtype="https://schema.org/NewsArticle">'
        '<h1 itemprop="headline name">عنوان</h1>'
        '<time itemprop="datePublished" datetime="2024-02-14T10:30">14 فبراير</time>'
        '<div itemprop="author" itemscope><meta itemprop="name" content="أحمد"></div>'
        f'<div itemprop="articleBody"><p>{PROSE}</p><div class="ad">إعلان</div></div></article>'
    )
    p = page(body)
    assert microdata.title(p) == "عنوان"
    assert microdata.published(p) == "2024-02-14T10:30"
    assert microdata.authors(p) == ["أحمد"]
    assert heuristics.article_text(p, microdata.body_node(p)) == [PROSE]


# --- Headlines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "names", "host", "expected"),
    [
        ("خبر عاجل - اليوم السابع", ("اليوم السابع",), "", "خبر عاجل"),
        ("المدينة نيوز - أميركا :50 الفا", ("المدينة نيوز",), "", "أميركا :50 الفا"),
        ("مصر تسجل 30 إصابة - Sputnik Arabic", (), "arabic.sputniknews.com", "مصر تسجل 30 إصابة"),
        (
            "السفير يثمن جهود الإمارات - عبر الإمارات - أخبار وتقارير",
            (),
            "",
            "السفير يثمن جهود الإمارات",
        ),
        ("مصر - السودان: اتفاق جديد", (), "", "مصر - السودان: اتفاق جديد"),
    ],
)
def test_strip_site_name(raw: str, names: tuple[str, ...], host: str, expected: str) -> None:
    assert titles_module.strip_site_name(raw, names, host) == expected


def test_headline_is_the_h1_agreeing_with_the_metadata_not_the_logo() -> None:
    head = '<meta property="og:title" content="الحكومة تقر الموازنة | الجريدة">'
    body = (
        "<header><h1>الجريدة</h1></header><h1>الحكومة تقر الموازنة</h1>"
        f"<p>{PROSE}</p><footer><h1>الجريدة</h1></footer>"
    )
    assert heuristics.title(page(body, head)) == "الحكومة تقر الموازنة"


def test_headline_in_an_h2_when_the_h1_is_a_section_name() -> None:
    head = '<meta property="og:title" content="افتتاح معرض الكتاب في الدوحة">'
    body = f"<h1>ثقافة</h1><h2>افتتاح معرض الكتاب في الدوحة</h2><p>{PROSE}</p>"
    assert heuristics.title(page(body, head)) == "افتتاح معرض الكتاب في الدوحة"


def test_headline_without_metadata_is_the_only_content_h1() -> None:
    body = f"<nav><h1>القائمة</h1></nav><h1>عنوان<br>على سطرين</h1><p>{PROSE}</p>"
    assert heuristics.title(page(body)) == "عنوان على سطرين"


def test_headline_falls_back_to_the_cleaned_metadata() -> None:
    assert heuristics.title(page("<p>نص</p>", "<title>خبر مهم | الموقع</title>")) == "خبر مهم"


# --- The date printed by the headline -----------------------------------------------------

CLOCK = (
    "<header><div class='top-bar'><span class='today'>الثلاثاء 26 نوفمبر 2024</span></div></header>"
)


def test_printed_date_after_the_headline_not_the_header_clock() -> None:
    body = f'{CLOCK}<h1>عنوان</h1><div class="meta">الأربعاء 14 فيفري 2024</div><p>{PROSE}</p>'
    found = heuristics.printed_date(page(body))
    assert found is not None
    assert found.value.date().isoformat() == "2024-02-14"
    assert found.text == "الأربعاء 14 فيفري 2024"


def test_printed_date_reads_time_elements_and_arabic_indic_digits() -> None:
    body = '<h1>عنوان</h1><div class="aksa-date"><time>٠٢:٠٠</time>الثلاثاء ١ / ١٢ / ٢٠٢٠</div>'
    found = heuristics.printed_date(page(body, tz="Asia/Riyadh"))
    assert found is not None
    assert found.value.isoformat() == "2020-12-01T02:00:00+03:00"
    machine = '<h1>عنوان</h1><time datetime="2024-02-14T08:00:00Z">قبل يومين</time>'
    assert heuristics.printed_date(page(machine)).value.isoformat() == "2024-02-14T08:00:00+00:00"  # type: ignore[union-attr]


def test_printed_date_ignores_relative_dates_and_last_updates() -> None:
    body = (
        "<h1>عنوان</h1><span>منذ ساعتين</span>"
        "<span class='updated'>آخر تحديث: 20 فبراير 2024</span>"
        "<span>نشر في: 14 فبراير 2024 - آخر تحديث: 20 فبراير 2024</span>"
    )
    found = heuristics.printed_date(page(body))
    assert found is not None
    assert found.value.date().isoformat() == "2024-02-14"
    assert found.labelled
    assert found.text == "نشر في: 14 فبراير 2024"


def test_printed_date_just_before_the_headline_and_none_far_away() -> None:
    before = f"<div class='date'>12 آذار / مارس 2020</div><h1>عنوان</h1><p>{PROSE}</p>"
    assert heuristics.printed_date(page(before)).value.date().isoformat() == "2020-03-12"  # type: ignore[union-attr]
    far = f"<h1>عنوان</h1>{f'<p>{PROSE}</p>' * 12}<span>12 مارس 2020</span>"
    assert heuristics.printed_date(page(far)) is None


def test_printed_date_is_not_a_photo_caption_and_may_close_the_article() -> None:
    body = (
        "<h1>عنوان</h1><figure><img src='/a.jpg'><figcaption>سوق في حلب- 4 من كانون الأول 2023"
        f"</figcaption></figure><div class='story'>{f'<p>{PROSE}</p>' * 12}</div>"
        "<div class='foot'>تاريخ النشر: 5 كانون الأول 2023</div>"
    )
    found = heuristics.printed_date(page(body))
    assert found is not None and found.value.date().isoformat() == "2023-12-05"
    unlabelled = body.replace("تاريخ النشر: ", "")
    assert heuristics.printed_date(page(unlabelled)) is None


# --- Body, images, related ----------------------------------------------------------------


def test_body_is_the_densest_block_cut_at_line_breaks_without_teasers() -> None:
    body = (
        f"<div class='sidebar'><p>{PROSE}</p></div>"
        f"<div class='story'>{PROSE}<br><br>اقرأ أيضا: <a href='/x'>خبر آخر</a><br><br>"
        f"<div class='ad-slot'>إعلان ممول من شركة كبرى في المنطقة العربية كلها</div>"
        f"{PROSE.replace('وقال', 'وأضاف')}<br><a href='/y'>رابط طويل جدا يشغل السطر كله بلا نص</a>"
        "</div>"
    )
    assert heuristics.body(page(body)) == [PROSE, PROSE.replace("وقال", "وأضاف")]


def test_body_leaves_out_the_headline_and_date_lines_of_its_block() -> None:
    body = (
        f"<div><h2>عنوان</h2><div>نشر في 14-02-2024 | 13:05</div><p>{PROSE}</p><p>{PROSE}</p></div>"
    )
    assert heuristics.body(page(body, "<title>عنوان</title>")) == [PROSE, PROSE]


def test_body_of_div_paragraphs_when_a_page_writes_no_p() -> None:
    second = PROSE.replace("وقال", "وأضاف")
    body = (
        f"<h1>عنوان</h1><div class='story'><div>{PROSE}</div><div>{second}</div>"
        f"<div>{PROSE.replace('وقال', 'وأوضح')}</div></div>"
        "<div class='side'><div><a href='/x'>رابط إلى خبر آخر في الموقع</a></div></div>"
    )
    assert heuristics.body(page(body))[:2] == [PROSE, second]


def test_body_falls_back_to_jsonld_article_body() -> None:
    article = ld('{"@type": "NewsArticle", "articleBody": "فقرة\\nثانية"}')
    p = page("<div><p>قصير</p></div>", article)
    assert heuristics.body(p) == ["فقرة", "ثانية"]


def test_images_are_captioned_figures_of_the_article_else_og_image() -> None:
    body = (
        "<article><h1>عنوان</h1><figure><img src='/a.jpg' alt='صورة'>"
        "<figcaption>متظاهرون في الساحة (رويترز)</figcaption></figure>"
        f"<div><p>{PROSE}</p><p>{PROSE}</p></div></article>"
        "<aside class='sidebar'><figure><img src='/ad.jpg'></figure></aside>"
    )
    assert heuristics.images(page(body)) == [
        {
            "url": "https://news.example.com/a.jpg",
            "caption": "متظاهرون في الساحة",
            "credit": "رويترز",
            "alt": "صورة",
        }
    ]
    og = '<meta property="og:image" content="/og.jpg">'
    found = heuristics.images(page(f"<h1>عنوان</h1><p>{PROSE}</p>", og))
    assert [image["url"] for image in found] == ["https://news.example.com/og.jpg"]


def test_related_is_the_list_under_its_heading_not_an_inline_teaser() -> None:
    body = (
        "<h1>عنوان</h1><div class='content'>"
        f"<p>{PROSE}</p><p><strong>اقرأ أيضا:</strong> <a href='/inline'>خبر في النص</a></p>"
        f"<p>{PROSE}</p></div>"
        "<section><h3>أخبار ذات صلة</h3><ul><li><a href='/r1'>الخبر الأول ذو الصلة</a></li>"
        "<li><a href='/r2'>الخبر الثاني ذو الصلة</a></li><li><a href='/c'>المزيد</a></li>"
        "</ul></section>"
        "<footer><h4>المزيد من الأخبار</h4><a href='/f'>رابط في تذييل الموقع</a></footer>"
    )
    found = heuristics.related(page(body))
    assert [r["url"] for r in found] == [
        "https://news.example.com/r1",
        "https://news.example.com/r2",
    ]


# --- The generic published date and the publisher's zone ----------------------------------


def test_metadata_date_wins_over_a_printed_one_of_the_same_day() -> None:
    head = '<meta property="article:published_time" content="2024-02-14T10:30:00+03:00">'
    body = "<h1>عنوان</h1><span>14 فبراير 2024</span>"
    value = generic.published(page(body, head))
    assert value == datetime.fromisoformat("2024-02-14T10:30:00+03:00")
    assert value is not None and has_time(value)


def test_a_labelled_printed_date_overrides_metadata_days_apart() -> None:
    head = '<meta property="article:published_time" content="2024-11-26T09:00:00+03:00">'
    body = "<h1>عنوان</h1><span class='post-date'>نشر في: 14 فبراير 2024</span>"
    value = generic.published(page(body, head))
    assert value is not None and value.date().isoformat() == "2024-02-14"


@pytest.mark.parametrize(
    ("published", "body", "url", "zone"),
    [
        ("2020-06-03T03:01+0400", "", URL, "Etc/GMT-4"),  # the offset the metadata states
        ("2020-06-03T03:01Z", "", "https://x.com.sa/a", "Asia/Riyadh"),  # the country domain's
        # UTC in the metadata, local time printed by the headline: three hours ahead
        (
            "2020-12-01T21:30:00Z",
            "<h1>عنوان</h1><span>2 ديسمبر 2020 12:30 ص</span>",
            URL,
            "Etc/GMT-3",
        ),
        ("2020-06-03T03:01Z", "", URL, "UTC"),
    ],
)
def test_timezone_of_a_site_without_a_site_file(
    published: str, body: str, url: str, zone: str
) -> None:
    head = (
        '<meta property="og:title" content="عنوان">'
        f'<meta property="article:published_time" content="{published}">'
    )
    assert generic.timezone(page(body, head, url=url)) == zone


# --- Blocks, dom, fields ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("سوق شعبية في حلب (عنب بلدي)", ("سوق شعبية في حلب", "عنب بلدي")),
        ("متطوعون يزرعون الأشجار تصوير: محمد يوسف", ("متطوعون يزرعون الأشجار", "محمد يوسف")),
        ("© REUTERS / ANY AGENCY", (None, "REUTERS / ANY AGENCY")),
        ("صورة بلا مصدر", ("صورة بلا مصدر", None)),
    ],
)
def test_split_credit(caption: str, expected: tuple[str | None, str | None]) -> None:
    assert blocks.split_credit(caption) == expected


def test_dom_lines_cut_at_breaks_and_blocks_and_leave_out_link_lines() -> None:
    node = page("<div>أ<br>ب <b>ج</b><p>د</p><script>x</script><a href='/'>رابط</a></div>").tree
    div = node.find(".//div")
    assert list(dom.lines(div)) == ["أ", "ب ج", "د", "رابط"]
    assert list(dom.lines(div, max_linked=0.5)) == ["أ", "ب ج", "د"]


def test_text_of_skips_scripts_and_squash_collapses_whitespace() -> None:
    div = page("<div> أ\u00a0 <span>ب</span>\n<script>x()</script></div>").tree.find(".//div")
    assert text_of(div) == "أ ب"
    assert squash(" أ \n\t ب ") == "أ ب"


def test_parts_by_id_by_xpath_and_within_another() -> None:
    p = page("<div id='main'><div class='box'><h1>عنوان</h1></div></div><div class='box'>x</div>")
    main = fields.part("#main")
    box = fields.part("div.box", within=main)
    assert fields.text_in(box, "h1")(p) == "عنوان"
    assert fields.part("//h1/..")(p) is box(p)


def test_byline_and_date_from() -> None:
    p = page("<span class='by'>كتبت أسماء نصار</span><span class='d'>14 فبراير 2024</span>")
    root = fields.part("body")
    assert fields.byline(fields.text_in(root, "span.by"))(p) == ["أسماء نصار"]
    found = fields.date_from(lambda _: None, fields.text_in(root, "span.d"))(p)
    assert found is not None and found.date().isoformat() == "2024-02-14"
