"""Datelines and wire credits: every shape of opening credit, closing credit line and byline
the attribution reads, the spellings of the agency table, and the traps (a city opening a
sentence, an agency named in prose, a person named like a city). The texts are written for
these tests."""

from __future__ import annotations

import pytest

from scraper.core.attribution import attribute
from scraper.core.credits import agency_of, closing_credit, credit_line, name_key
from scraper.core.datelines import Known, byline_dateline, opening_dateline

PUBLISHERS = ("المدينة نيوز", "البيان", "عنب بلدي", "الجزيرة", "القدس العربي", "اليوم السابع")
KNOWN = Known(tuple(map(name_key, PUBLISHERS)), (name_key("بيسان الشيخ"),))
REST = "أعلنت الوزارة اليوم عن خطة جديدة لدعم المزارعين في المناطق الريفية."

#: (opening of the first paragraph, place, tag): the dateline read before REST.
DATELINES = [
    ("دمشق، سوريا (CNN) --", "دمشق، سوريا", "CNN"),
    ("المدينة نيوز :-", None, "المدينة نيوز"),
    ("القاهرة - خاص", "القاهرة", "خاص"),
    ("القاهرة - خاص:", "القاهرة", "خاص"),
    ("عمان 24 نيسان (بترا) -", "عمان", "بترا"),
    ("عمان 24 نيسان (بترا)-", "عمان", "بترا"),
    ("الرياض - واس", "الرياض", "واس"),
    ("الرياض - واس -", "الرياض", "واس"),
    ("دمشق-سانا", "دمشق", "سانا"),
    ("حمص-سانا", "حمص", "سانا"),
    ("إسطنبول/ الأناضول", "إسطنبول", "الأناضول"),
    ("القدس/الأناضول:", "القدس", "الأناضول"),
    ("أبوظبي في 24 أبريل / وام /", "أبوظبي", "وام"),
    ("الدوحة في 3 مايو /قنا/", "الدوحة", "قنا"),
    ("بيروت ـ «القدس العربي»:", "بيروت", "القدس العربي"),
    ("(أ ف ب) -", None, "أ ف ب"),
    ("(أ.ف.ب) -", None, "أ.ف.ب"),
    ("واشنطن (رويترز) -", "واشنطن", "رويترز"),
    ("واشنطن (رويترز)", "واشنطن", "رويترز"),
    ("باريس (أ ف ب) -", "باريس", "أ ف ب"),
    ("برلين - (د ب أ) -", "برلين", "د ب أ"),
    ("بكين 24 أبريل 2020 (شينخوا) --", "بكين", "شينخوا"),
    ("الكويت - 24 - 4 (كونا) --", "الكويت", "كونا"),
    ("الرياض 24 شعبان 1441 هـ الموافق 17 أبريل 2020 م واس", "الرياض", "واس"),
    ("موسكو - سبوتنيك.", "موسكو", "سبوتنيك"),
    ("رام الله - وفا", "رام الله", "وفا"),
    ("ريف دمشق (سانا) -", "ريف دمشق", "سانا"),
    ("بلدة كفرنبل، إدلب (خاص) -", "بلدة كفرنبل، إدلب", "خاص"),
    ("LONDON (Reuters) -", "LONDON", "Reuters"),
    ("مدينة الصدر (CNN) --", "مدينة الصدر", "CNN"),
    ("(CNN) --", None, "CNN"),
    ("غزة - الجزيرة نت:", "غزة", "الجزيرة نت"),
    ("وكالات -", None, "وكالات"),
    ("رويترز:", None, "رويترز"),
    ("غزة -", "غزة", None),
    ("القاهرة:", "القاهرة", None),
    ("دير الزور -", "دير الزور", None),
    ("بيسان الشيخ -", None, "بيسان الشيخ"),
]

#: First paragraphs that open with no dateline.
NO_DATELINE = [
    "القاهرة تستضيف قمة عربية طارئة الأسبوع المقبل لبحث الأوضاع في المنطقة.",
    "دمشق، التي تشهد أزمة وقود حادة، رفعت أسعار البنزين للمرة الثالثة.",
    "وزير الخارجية: لا حل عسكري للأزمة، والحوار هو السبيل الوحيد.",
    "قالت رويترز إن الشركة تدرس بيع حصتها في المشروع.",
    "وقالت رويترز إن المحادثات ستستأنف الأسبوع المقبل.",
    "«رويترز» تنشر تحقيقا عن شبكات تهريب الوقود في المنطقة.",
    "«لن نتراجع» - بهذه الكلمات افتتح الرئيس خطابه أمام البرلمان.",
    "كتب: محمد علي - أعلنت الحكومة عن خطة جديدة.",
    "عاجل: انفجار في ميناء المدينة وأنباء عن إصابات.",
    "غزة: «لن نستسلم» قالها أحد السكان بعد القصف.",
    "بلدة صغيرة - هكذا يصف السكان قريتهم التي هجرها معظم أهلها.",
    "أعلنت الحكومة (رويترز) أمس عن خطة جديدة.",
    "ارتفعت الأسعار (حسب التقديرات) - وسط تراجع في الطلب على السلع.",
    "ارتفعت الأسعار (بنسبة 5%) - وسط تراجع في الطلب على السلع.",
    "في القاهرة - كما في غيرها من المدن - ارتفعت الأسعار.",
    "(تحديث) - ارتفع عدد الضحايا إلى عشرين.",
    "الرياض 2030 رؤية طموحة تتحقق خطوة بعد خطوة.",
]


@pytest.mark.parametrize(("opening", "place", "tag"), DATELINES, ids=lambda v: str(v))
def test_a_dateline_opening_the_first_paragraph(opening: str, place: str | None, tag: str) -> None:
    found = opening_dateline(f"{opening} {REST}", KNOWN)
    assert found is not None
    assert (found.text, found.place, found.tag) == (opening, place, tag)


@pytest.mark.parametrize("paragraph", NO_DATELINE)
def test_no_dateline(paragraph: str) -> None:
    assert opening_dateline(paragraph, KNOWN) is None


#: (byline, place, tag) of bylines that give where the story was filed.
BYLINES = [
    ("أبوظبي - البيان", "أبوظبي", "البيان"),
    ("(أبوظبي - البيان)", "أبوظبي", "البيان"),
    ("رأس الخيمة - البيان", "رأس الخيمة", "البيان"),
    ("عنب بلدي - إدلب", "إدلب", "عنب بلدي"),
    ("حسام أبو العلا - القاهرة", "القاهرة", None),
    ("يافا الخطيب - غزة", "غزة", None),
    ("الرياض - واس", "الرياض", "واس"),
]
#: Bylines of people, or of a person and a publisher: no place.
NO_PLACE_BYLINES = [
    "محمد سالم - اليوم السابع",
    "بيسان الشيخ",
    "يافا أحمد",
    "عمان الحسيني - البيان",
    "المدينة نيوز",
    "دمشق - حلب - حمص",
]


@pytest.mark.parametrize(("byline", "place", "tag"), BYLINES)
def test_a_byline_that_gives_a_place(byline: str, place: str, tag: str | None) -> None:
    found = byline_dateline(byline, KNOWN)
    assert found is not None
    assert (found.place, found.tag) == (place, tag)


@pytest.mark.parametrize("byline", NO_PLACE_BYLINES)
def test_a_byline_of_a_person_is_no_place(byline: str) -> None:
    assert byline_dateline(byline, KNOWN) is None


#: (line, agency ids): closing lines that are only a credit.
CREDIT_LINES = [
    ("--(بترا)", ["petra"]),
    ("(بترا)", ["petra"]),
    ("(أ ف ب)", ["afp"]),
    ("(أ ف ب، رويترز)", ["afp", "reuters"]),
    ("رويترز - أ ف ب", ["reuters", "afp"]),
    ("رويترز وأ ف ب", ["reuters", "afp"]),
    ("رويترز و أ ف ب", ["reuters", "afp"]),
    ("وكالات", ["wires"]),
    ("- وكالات.", ["wires"]),
    ("المصدر: وكالات", ["wires"]),
    ("المصدر : رويترز", ["reuters"]),
    ("المصدر: الجزيرة + وكالات", ["wires"]),
    ("الجزيرة + وكالات", ["wires"]),
    ("وكالة الأنباء الأردنية (بترا)", ["petra"]),
    ("*د.ب.أ*", ["dpa"]),
    ("(الأناضول)", ["anadolu"]),
    ("Source: Reuters", ["reuters"]),
    ("(AFP)", ["afp"]),
    ("سانا، ووكالات", ["sana", "wires"]),
]
#: Closing lines that are prose, or credit someone who is no agency.
NOT_CREDIT_LINES = [
    "قالت رويترز",
    "وأكدت الوزارة أن رويترز نقلت تصريحات غير دقيقة عن المسؤولين في الاجتماع.",
    "المصدر: الجزيرة",
    "(انتهى)",
    "فارس",
    "البيان",
]


@pytest.mark.parametrize(("line", "agencies"), CREDIT_LINES)
def test_a_credit_line(line: str, agencies: list[str]) -> None:
    found = credit_line(line, KNOWN.publishers)
    assert found is not None
    assert [credit.agency for credit in found] == agencies


@pytest.mark.parametrize("line", NOT_CREDIT_LINES)
def test_not_a_credit_line(line: str) -> None:
    assert credit_line(line, KNOWN.publishers) is None


@pytest.mark.parametrize(
    ("name", "agency"),
    [
        ("أ.ف.ب", "afp"),
        ("ا ف ب", "afp"),
        ("أ. ف. ب.", "afp"),
        ("فرانس برس", "afp"),
        ("وكالة فرانس برس", "afp"),
        ("AFP", "afp"),
        ("Agence France-Presse", "afp"),
        ("رويترز", "reuters"),
        ("وكالة رويترز", "reuters"),
        ("أسوشيتد برس", "ap"),
        ("د.ب.أ", "dpa"),
        ("الألمانية", "dpa"),
        ("وكالة الأناضول", "anadolu"),
        ("الاناضول", "anadolu"),
        ("وكالة الأنباء السعودية", "spa"),
        ("وكالة أنباء الإمارات", "wam"),
        ("أ ش أ", "mena"),
        ("وكالة فارس", "fars"),
        ("فارس", None),
        ("دبا", None),
        ("الحكومة", None),
    ],
)
def test_agency_spellings(name: str, agency: str | None) -> None:
    assert agency_of(name) == agency


def test_a_parenthesis_closing_the_last_paragraph_credits_but_prose_does_not() -> None:
    assert [c.agency for c in closing_credit("وأعلنت الوزارة ذلك أمس. (أ ف ب)")] == ["afp"]
    assert closing_credit("وهو ما نفته الوزارة في بيان (نقلته رويترز) أمس.") == []
    assert closing_credit("ونقلت الصحيفة عن رويترز قولها إن الاتفاق وشيك.") == []


# --- A record's attribution ----------------------------------------------------------------

BODY = ["أعلنت الوزارة عن خطة جديدة لدعم المزارعين.", "وقال الوزير إن الخطة تبدأ الشهر المقبل."]


def test_a_closing_credit_line_leaves_the_body_and_is_an_agency() -> None:
    opening = "المدينة نيوز :- " + BODY[0]
    found = attribute([opening, BODY[1], "--(بترا)"], [], publishers=PUBLISHERS)
    assert found.body == [opening, BODY[1]]
    assert found.dateline == {
        "text": "المدينة نيوز :-",
        "place": None,
        "tag": "المدينة نيوز",
        "found_in": "first_paragraph",
    }
    assert found.agencies == [{"id": "petra", "name": "بترا", "found_in": ["last_line"]}]


def test_a_dateline_on_a_line_of_its_own_leaves_the_body() -> None:
    found = attribute(["دمشق-سانا", *BODY], [])
    assert found.body == BODY
    assert found.dateline is not None
    assert (found.dateline["place"], found.dateline["found_in"]) == ("دمشق", "own_line")
    assert found.agencies == [{"id": "sana", "name": "سانا", "found_in": ["dateline"]}]


def test_the_body_is_never_emptied() -> None:
    assert attribute(["(أ ف ب)"], []).body == ["(أ ف ب)"]


def test_one_agency_credited_in_several_places_is_one_entry() -> None:
    body = ["باريس (أ ف ب) - " + BODY[0], BODY[1], "(أ.ف.ب)"]
    found = attribute(body, ["فرانس برس"], structured=["AFP"])
    assert found.agencies == [
        {"id": "afp", "name": "أ ف ب", "found_in": ["dateline", "byline", "last_line", "jsonld"]}
    ]


def test_an_agency_named_in_prose_is_no_credit() -> None:
    body = ["قالت رويترز إن الشركة تدرس بيع حصتها.", "ونقلت الوكالة عن مصادر أن رويترز لم تعلق."]
    found = attribute(body, ["سلمى حسن"])
    assert (found.dateline, found.agencies, found.body) == (None, [], body)


def test_an_agency_on_its_own_site_is_no_wire_credit() -> None:
    found = attribute(["موسكو - سبوتنيك. " + BODY[0]], ["Sputnik"], host="arabic.sputniknews.com")
    assert found.agencies == []
    assert found.dateline is not None and found.dateline["tag"] == "سبوتنيك"
    assert attribute(["موسكو - سبوتنيك. " + BODY[0]], [], host="example.com").agencies != []


def test_the_byline_gives_the_place_when_the_first_paragraph_does_not() -> None:
    found = attribute(BODY, ["الرياض - واس"])
    assert found.dateline == {
        "text": "الرياض - واس",
        "place": "الرياض",
        "tag": "واس",
        "found_in": "byline",
    }
    assert found.agencies == [{"id": "spa", "name": "واس", "found_in": ["byline"]}]


def test_a_person_named_like_a_city_opening_the_body_is_no_place() -> None:
    found = attribute(["بيسان الشيخ - " + BODY[0], BODY[1]], ["بيسان الشيخ"])
    assert found.dateline is not None
    assert (found.dateline["place"], found.dateline["tag"]) == (None, "بيسان الشيخ")
    assert found.agencies == []


def test_jsonld_source_organization_credits() -> None:
    found = attribute(BODY, [], structured=["Reuters", "سلمى حسن"])
    assert found.agencies == [{"id": "reuters", "name": "Reuters", "found_in": ["jsonld"]}]
