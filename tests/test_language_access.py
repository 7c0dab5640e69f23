"""The language told from the text (not the page's ``lang`` attribute), the share of Arabic
letters, and free access from JSON-LD, meta tags and paywall markup. Pages written here."""

from __future__ import annotations

import json

import pytest

from scraper.core.language import text_language
from scraper.core.page import Page
from scraper.extract.access import free_access
from scraper.extract.annotate import declared_language
from scraper.sites.enabbaladi import SITE

ARABIC = "قال الوزير يوم الاثنين إن المحادثات مع الوفد تسير بشكل جيد وستستمر خلال الأيام المقبلة."
ENGLISH = "The minister said on Monday that the talks with the delegation were going well."
FRENCH = "Le ministre a déclaré lundi que les discussions avec la délégation se passaient bien."


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ARABIC, "ar"),
        (ENGLISH, "en"),
        (FRENCH, "fr"),
        ("El ministro dijo el lunes que las conversaciones con la delegación van bien.", "es"),
        (
            "Bakan pazartesi günü görüşmelerin iyi gittiğini ve bu hafta devam edeceğini söyledi.",
            "tr",
        ),
        ("وزیر امور خارجه ایران روز دوشنبه گفت که گفتگوها با هیئت به خوبی پیش می‌رود", "fa"),
        ("وزیر خارجہ نے پیر کو کہا کہ وفد کے ساتھ بات چیت اچھی جا رہی ہے اور جاری رہے گی", "ur"),
        # Arabic with an English quote is Arabic; English with an Arabic name is English.
        (f'{ARABIC} وقال في تغريدة: "we are making progress".', "ar"),
        (f"{ENGLISH} Minister Khaled al-Hassan (خالد الحسن) spoke first.", "en"),
    ],
)
def test_the_language_is_told_from_the_text(text: str, language: str) -> None:
    assert text_language(text, "ar").language == language


def test_a_text_too_short_to_tell_keeps_the_declared_language() -> None:
    assert text_language("Breaking news", "ar").language == "ar"
    assert text_language("12345 ...", "fr") == text_language("", "fr")
    assert text_language("", "fr").script_share is None


def test_script_share_counts_arabic_letters_among_all_letters() -> None:
    assert text_language(ARABIC, "ar").script_share == 1.0
    assert text_language(ENGLISH, "ar").script_share == 0.0
    mixed = text_language("خبر عاجل news", "ar").script_share
    assert mixed == round(7 / 11, 3)


def page(html: str) -> Page:
    return Page("https://news.example/a/1", f"<html{html}")


@pytest.mark.parametrize(
    ("html", "site", "declared"),
    [
        (' lang="en-US"><body></body></html>', None, "en"),
        (' lang="fr"><body></body></html>', SITE, "fr"),
        (' lang="ar-SA"><body></body></html>', None, "ar"),
        ("><body></body></html>", None, "ar"),
        (' lang="x-klingon"><body></body></html>', None, "ar"),
    ],
)
def test_the_declared_language_is_the_lang_attribute_else_the_sites(
    html: str, site: object, declared: str
) -> None:
    assert declared_language(page(html), site) == declared  # type: ignore[arg-type]


TIER = '><head><meta property="article:content_tier" content="{}"></head></html>'


def jsonld_page(article: dict, body: str = "") -> Page:
    block = json.dumps({"@type": "NewsArticle", "headline": "x", **article})
    return page(f'><head><script type="application/ld+json">{block}</script></head>{body}</html>')


@pytest.mark.parametrize(
    ("document", "free"),
    [
        (jsonld_page({"isAccessibleForFree": True}), True),
        (jsonld_page({"isAccessibleForFree": "False"}), False),
        (jsonld_page({"isAccessibleForFree": "true"}), True),
        (
            jsonld_page(
                {
                    "isAccessibleForFree": "True",
                    "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": False},
                }
            ),
            False,
        ),
        (
            page('><head><meta property="article:content_tier" content="locked"></head></html>'),
            False,
        ),
        (page('><head><meta property="article:content_tier" content="free"></head></html>'), True),
        (page('><body><div class="article-paywall">اشترك للمتابعة</div></body></html>'), False),
        (jsonld_page({"isAccessibleForFree": True}, '<div class="paywall"></div>'), True),
        (jsonld_page({}), None),
        (page('><body><div class="newsletter">اشترك في النشرة</div></body></html>'), None),
    ],
)
def test_free_access(document: Page, free: bool | None) -> None:
    assert free_access(document) is free
