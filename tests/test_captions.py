"""Generic captions of pictures outside figures (`scraper.extract.captions`), on pages written
here: the caption in an ``img`` attribute, and the caption as the rest of the picture's box."""

from __future__ import annotations

from scraper.core.page import Page
from scraper.extract import heuristics

URL = "https://news.example.com/2024/02/14/story"
TITLE = "ضبط شحنة من الأدوية المهربة في ميناء العقبة"
PROSE = (
    "وقالت مديرية الجمارك في بيان إن فرق التفتيش ضبطت الشحنة داخل حاوية مخصصة لنقل قطع غيار "
    "السيارات، بعد الاشتباه في وثائقها."
)
BODY = f"<div class='text'><p>{PROSE}</p><p>{PROSE.replace('وقالت', 'وأضافت')}</p></div>"


def images(between: str) -> list[dict[str, str | None]]:
    body = f"<article><h1>{TITLE}</h1>{between}{BODY}</article>"
    html = (
        f"<html><head><meta property='og:title' content='{TITLE}'></head><body>{body}</body></html>"
    )
    return heuristics.images(Page(url=URL, html=html))


def test_caption_in_an_img_attribute_not_the_headline_in_another() -> None:
    found = images(
        "<div class='slider'><a class='ratio'><img src='/p/1.jpg' "
        f"title='' alt='{TITLE}' data-caption='عبوات الأدوية المضبوطة (الجمارك)'></a></div>"
    )
    assert found == [
        {
            "url": "https://news.example.com/p/1.jpg",
            "caption": "عبوات الأدوية المضبوطة",
            "credit": "الجمارك",
            "alt": TITLE,
        }
    ]


def test_caption_after_the_img_as_the_rest_of_its_box() -> None:
    found = images(
        f"<div class='article_image'><img src='/p/2.jpg' title='{TITLE}'><div></div>"
        "<div class='red'>الحاوية في ساحة الميناء</div></div>"
    )
    assert [(i["url"], i["caption"]) for i in found] == [
        ("https://news.example.com/p/2.jpg", "الحاوية في ساحة الميناء")
    ]


def test_no_caption_from_links_after_an_icon_nor_from_a_linked_thumbnail() -> None:
    tags = (
        "<div class='box'><img src='/icons/tag.png'><h3><a href='/t/1'>الجمارك</a></h3>"
        "<h3><a href='/t/2'>العقبة</a></h3></div>"
        "<a href='/other'><img src='/thumb.jpg' title='عنوان خبر آخر في الموقع'></a>"
    )
    assert images(tags) == []
