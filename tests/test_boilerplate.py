"""Boilerplate removal in the generic body: each rule of `scraper.extract.boilerplate` on a few
lines of HTML, then whole pages written here in the shapes Arabic news sites use (a custom CMS
whose body block holds everything, WordPress, a page of one ``<div>`` per paragraph)."""

from __future__ import annotations

import pytest

from scraper.core.page import Page
from scraper.extract import boilerplate, dom, fields, heuristics

URL = "https://news.example.com/2024/02/14/story"
TITLE = "بدء موسم حصاد القمح مبكرا في المحافظات الشمالية"
P1 = (
    "وقالت وزارة الزراعة في بيان إن موسم حصاد القمح بدأ مبكرا هذا العام بسبب ارتفاع درجات "
    "الحرارة، وإن الإنتاج المتوقع يزيد على ثلاثة ملايين طن."
)
P2 = (
    "وأضاف البيان أن الوزارة خصصت مراكز استلام جديدة في المحافظات الشمالية لتخفيف الضغط على "
    "الصوامع القديمة التي تعمل بكامل طاقتها."
)
P3 = (
    "ويأتي ذلك في وقت تشهد فيه أسعار الأسمدة ارتفاعا ملحوظا، ما دفع كثيرا من المزارعين إلى "
    "تقليص المساحات المزروعة في الموسم الماضي."
)
P4 = "وتسعى الحكومة إلى رفع نسبة الاكتفاء الذاتي من القمح إلى سبعين في المئة خلال خمس سنوات."
ARTICLE = [P1, P2, P3, P4]
PARAGRAPHS = "".join(f"<p>{p}</p>" for p in ARTICLE)
HEAD = f'<meta property="og:title" content="{TITLE}">'


def page(body: str, head: str = HEAD) -> Page:
    html = f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    return Page(url=URL, html=html)


def kept(html: str, headline: str | None = TITLE) -> list[str]:
    """What the cascade keeps of the lines of the first ``div`` of ``html``."""
    root = page(html).tree.find(".//div")
    return boilerplate.article_lines(list(dom.line_items(root)), headline)


# --- 1. Teaser blocks ----------------------------------------------------------------------


def test_a_teaser_box_goes_whole_with_its_heading() -> None:
    html = (
        f"<div>{PARAGRAPHS}<div class='next-prev'>"
        "<div><span>المقال التالي</span><h4>ارتفاع أسعار الخبز في الأسواق الشعبية</h4>"
        "<p>وتوقع التجار أن تستمر الزيادة في الأسعار حتى نهاية الشهر الجاري بسبب نقص الدقيق "
        "في المخابز الكبيرة.</p></div>"
        "<div><span>السابق</span><h4>افتتاح سوق جديدة للخضار في وسط المدينة</h4></div>"
        "</div></div>"
    )
    assert kept(html) == ARTICLE


def test_a_teaser_heading_among_the_paragraphs_takes_only_the_short_lines_under_it() -> None:
    html = (
        f"<div><p>{P1}</p><p>{P2}</p><p>اقرأ أيضاً:</p><p>عنوان خبر آخر عن الزراعة</p>"
        f"<p>{P3}</p><p>{P4}</p></div>"
    )
    assert kept(html) == ARTICLE


# --- 2 to 5. Lines that are furniture by themselves ----------------------------------------


def test_link_lines_go() -> None:
    links = "<a href='/a'>خبر أول عن الطقس</a> | <a href='/b'>خبر ثان عن الأسعار</a>"
    html = f"<div>{PARAGRAPHS}<p>{links}</p></div>"
    assert kept(html) == ARTICLE


def test_a_one_sentence_article_that_says_what_its_headline_says_stays() -> None:
    headline = "زلزال بقوة 5 درجات يضرب جنوب البلاد"
    sentence = "ضرب زلزال بقوة 5 درجات جنوب البلاد."
    assert kept(f"<div><p>{sentence}</p></div>", headline) == [sentence]


def test_the_headline_printed_again_goes_but_not_a_paragraph_that_starts_like_it() -> None:
    again = f"«{TITLE}»"
    longer = f"{TITLE} بعد موجة حر مبكرة ضربت المنطقة منذ أسبوعين وأثرت على مواعيد الزراعة."
    html = f"<div><p><strong>{again}</strong></p><p>{longer}</p>{PARAGRAPHS}</div>"
    assert kept(html) == [longer, *ARTICLE]


@pytest.mark.parametrize(
    "label",
    ["2min", "٣ دقائق", "شارك", "طباعة", "نسخ الرابط", "١٢ تعليق", "الكلمات المفتاحية:", "Share"],
)
def test_furniture_labels_alone_on_their_line_go(label: str) -> None:
    assert boilerplate.label_key(label) in boilerplate.LABELS
    html = f"<div><p>{P1}</p><p>{P2}</p><span>{label}</span><p>{P3}</p><p>{P4}</p></div>"
    assert kept(html) == ARTICLE


def test_a_short_subheading_between_paragraphs_stays() -> None:
    html = f"<div><p>{P1}</p><p>{P2}</p><h3>تراجع الإنتاج</h3><p>{P3}</p><p>{P4}</p></div>"
    assert kept(html) == [P1, P2, "تراجع الإنتاج", P3, P4]


@pytest.mark.parametrize(
    "line",
    [
        "ترحب شبكة الخبر بالنقاش الهادف والبناء، وتحتفظ بحق حذف أي تعليق مسيء.",
        "الآراء الواردة أدناه لا تعبّر عن رأي الموقع وإنما عن رأي أصحابها.",
        "التعليقات المنشورة هنا لا تعبر عن رأي موقع الخبر وإنما تعكس وجهات نظر أصحابها.",
        "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *",
        "اشترك في النشرة البريدية ليصلك كل جديد من أخبارنا.",
        "تابعونا على تيليجرام لمعرفة آخر الأخبار أولا بأول",
        "جميع الحقوق محفوظة © 2024 جريدة الوطن",
        "الوسوم: القمح، الزراعة، الأسعار",
    ],
)
def test_furniture_lines_go(line: str) -> None:
    html = f"<div>{PARAGRAPHS}<p>{line}</p></div>"
    assert kept(html) == ARTICLE


@pytest.mark.parametrize(
    "line",
    [
        "وشارك على مدى يومين أكثر من ثلاثمئة خبير في المؤتمر الذي عقد في العاصمة.",
        "وانتشرت الوسوم المطالبة بخفض الأسعار على مواقع التواصل الاجتماعي خلال الأسبوع.",
        "وقال الوزير إن الحكومة ترحب بالنقاش حول خطة دعم المزارعين في البرلمان.",
    ],
)
def test_news_sentences_with_furniture_words_stay(line: str) -> None:
    html = f"<div>{PARAGRAPHS}<p>{line}</p></div>"
    assert kept(html) == [*ARTICLE, line]


# --- 6. The main text ----------------------------------------------------------------------


def test_short_lines_outside_the_prose_go_unless_they_sit_with_it() -> None:
    html = (
        "<div><div class='top'><span>محمد علي</span></div>"
        f"{PARAGRAPHS}<p>(رويترز)</p>"
        "<div class='end'><span>عنوان بلا رابط في صندوق آخر</span></div></div>"
    )
    assert kept(html) == [*ARTICLE, "(رويترز)"]


def test_a_block_cut_only_by_line_breaks_keeps_its_short_last_line() -> None:
    html = f"<div>{P1}<br>{P2}<br>{P3}<br>-- (وكالات)</div>"
    assert kept(html) == [P1, P2, P3, "-- (وكالات)"]


# --- Whole pages ---------------------------------------------------------------------------


def test_custom_cms_body_block_holding_headline_chip_teasers_and_comment_policy() -> None:
    body = (
        "<header class='site-header'><a href='/'>الرئيسية</a></header>"
        f"<div class='article-page'><h1>{TITLE}</h1><div class='article-body'>"
        f"<h2 class='article-title'>{TITLE}</h2><span class='read-time'>2min</span>"
        f"{PARAGRAPHS}"
        "<div class='next-prev'><div><span>التالي</span>"
        "<div>ارتفاع أسعار الخبز في الأسواق الشعبية</div></div>"
        "<div><span>السابق</span><div>افتتاح سوق جديدة للخضار في وسط المدينة</div></div></div>"
        "<div class='disclaimer'>"
        "<p>ترحب شبكة الخبر بالنقاش الهادف والبناء، وتحتفظ بحق حذف أي تعليق مسيء.</p>"
        "<p>الآراء الواردة أدناه لا تعبر عن رأي الموقع وإنما عن رأي أصحابها.</p></div>"
        "</div></div>"
    )
    assert heuristics.body(page(body)) == ARTICLE


def test_one_div_per_paragraph_with_unlinked_teaser_cards_and_a_ranked_list() -> None:
    paragraphs = "".join(f"<div><p>{p}</p></div>" for p in ARTICLE)
    body = (
        "<header role='banner'><nav><a href='/arabic'>الرئيسية</a></nav></header>"
        f"<main role='main'><div><h1>{TITLE}</h1></div>"
        "<div><time datetime='2024-02-14'>14 فبراير/ شباط 2024</time></div>"
        f"{paragraphs}"
        "<section aria-labelledby='related'><h2 id='related'>قصص ذات صلة</h2><ul>"
        "<li><div><img src='/t1.jpg'><h3>أسعار الخبز ترتفع في الأسواق الشعبية</h3>"
        "<a href='/t1' aria-label='x'></a></div></li>"
        "<li><div><h3>افتتاح سوق جديدة للخضار وسط المدينة</h3><a href='/t2'></a></div></li>"
        "</ul></section><section><h2>الأكثر قراءة</h2><ol>"
        "<li><span>1</span><a href='/m1'>عنوان أول من الأكثر قراءة اليوم</a></li>"
        "<li><span>2</span><a href='/m2'>عنوان ثان من الأكثر قراءة</a></li></ol></section>"
        "</main><footer><p>© 2024 الشبكة. ليست مسؤولة عن محتوى المواقع الخارجية.</p></footer>"
    )
    assert heuristics.body(page(body)) == ARTICLE


def test_wordpress_entry_content_with_read_also_follow_line_and_newsletter() -> None:
    body = (
        "<article class='post'><header class='entry-header'>"
        f"<h1 class='entry-title'>{TITLE}</h1><div class='entry-meta'>"
        "<span class='posted-on'>14 فبراير، 2024</span> <span class='min-read'>3 دقائق</span>"
        f"</div></header><div class='entry-content'><p>{P1}</p><p>{P2}</p>"
        "<p><strong>اقرأ أيضاً:</strong> <a href='/x'>عنوان خبر آخر</a></p>"
        f"<p>{P3}</p><p>{P4}</p><p>تابعونا على تيليجرام لمعرفة آخر الأخبار</p>"
        "<div class='box-x'><h4>اشترك في النشرة البريدية</h4>"
        "<p>ليصلك كل جديد من أخبارنا مباشرة إلى بريدك.</p></div></div></article>"
        "<nav class='navigation post-navigation'><a href='/p'><span>المقال السابق</span>"
        " <span>عنوان سابق</span></a></nav>"
    )
    assert heuristics.body(page(body)) == ARTICLE


def test_an_aspnet_page_in_one_form_with_its_body_marked_as_microdata() -> None:
    """The form around all of ``<body>`` is no comment form; the body block is found inside
    it, and the same cascade cleans the microdata ``articleBody`` when it is read instead."""
    article = (
        "<div itemprop='articleBody' class='details-body'>"
        "<div class='time-to-read'><span>2min</span></div>"
        f"<div class='title-again'>{TITLE}</div>"
        f"<div class='long-desc'><div>{'<br><br>'.join(ARTICLE)}</div></div>"
        "<div class='prev-next'><a href='/n'><div class='img'><span>التالي</span></div></a>"
        "<div class='text'>ارتفاع أسعار الخبز في الأسواق الشعبية</div>"
        "<div class='text'>افتتاح سوق جديدة للخضار في وسط المدينة</div>"
        "<a href='/p'><div class='img'><span>السابق</span></div></a></div></div>"
    )
    body = (
        "<form method='post' id='aspnetForm'><div class='menu'><a href='/'>الرئيسية</a></div>"
        f"<h1><span>{TITLE}</span></h1>{article}</form>"
    )
    p = page(body)
    assert heuristics.body_node(p) is not None
    assert heuristics.body(p) == ARTICLE
    assert heuristics.article_text(p, p.tree.find(".//*[@itemprop='articleBody']")) == ARTICLE


def test_a_site_files_body_goes_through_the_same_cascade() -> None:
    body = (
        f"<div class='body'>{PARAGRAPHS}<p>تابعونا على تيليجرام لمعرفة آخر الأخبار</p>"
        "<div><span>المقال التالي</span><div>ارتفاع أسعار الخبز في الأسواق الشعبية</div></div>"
        "</div>"
    )
    assert fields.lines_in(fields.part("div.body"))(page(body)) == ARTICLE


def test_an_article_cut_in_two_parts_by_a_box_between_them() -> None:
    body = (
        f"<h1>{TITLE}</h1><div class='article'><div class='article-text'><p>{P1}</p>"
        f"<p>{P2}</p></div><div class='inline-box'><span>اقرأ أيضا</span>"
        "<a href='/x'>عنوان خبر آخر عن الزراعة في البلاد</a></div>"
        f"<div class='article-text'><p>{P3}</p><p>{P4}</p></div></div>"
    )
    assert heuristics.body(page(body)) == ARTICLE
