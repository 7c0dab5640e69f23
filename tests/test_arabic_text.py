"""The faithful and folded forms of scraper.core.arabic_text, rule by rule and as properties."""

from __future__ import annotations

import hashlib
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.core.arabic_text import (
    content_hash,
    faithful,
    faithful_and_folded,
    fold,
    folded_hash,
)

# The spec's character sets, written out independently of the implementation.
REMOVED = [
    "\ufeff",  # BOM
    "\u200b",  # zero-width space
    "\u2060",  # word joiner
    "\u200e",  # LRM
    "\u200f",  # RLM
    "\u061c",  # Arabic letter mark
    *map(chr, range(0x202A, 0x202F)),  # LRE RLE PDF LRO RLO
    *map(chr, range(0x2066, 0x206A)),  # LRI RLI FSI PDI
    "\u00ad",  # soft hyphen
]
PRESENTATION_RANGES = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFE))
LINE_BREAKS = ["\t", "\n", "\r", "\r\n", "\v", "\f", "\x85", "\u2028", "\u2029"]
SPACE_SEPARATORS = [
    chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Zs"
]
DIACRITICS = [*map(chr, range(0x064B, 0x0660)), "\u0670", *map(chr, range(0x06D6, 0x06EE))]
TATWEEL = "\u0640"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
QUOTES = "“”«»„″‘’‚"


def is_presentation(char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in PRESENTATION_RANGES)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- faithful: removed characters -------------------------------------------------------------


@pytest.mark.parametrize("mark", REMOVED, ids=lambda c: f"U+{ord(c):04X}")
def test_faithful_removes_invisible_mark(mark: str) -> None:
    assert faithful(f"{mark}كت{mark}اب{mark}") == "كتاب"
    assert faithful(f"news {mark}{mark}today") == "news today"


def test_faithful_removes_a_mark_between_letter_and_combining_hamza_then_composes() -> None:
    assert faithful("\u0627\u200b\u0654") == "\u0623"


# --- faithful: kept characters ----------------------------------------------------------------


@pytest.mark.parametrize(
    "kept",
    [
        "\u200c",  # ZWNJ
        "\u200d",  # ZWJ
        *DIACRITICS,
        TATWEEL,
        *"ءأإآؤئٱ",
        "ى",
        "ة",
        *QUOTES,
        *"،؛؟",
        *ARABIC_INDIC_DIGITS,
        *PERSIAN_DIGITS,
    ],
    ids=lambda c: f"U+{ord(c):04X}",
)
def test_faithful_keeps_character(kept: str) -> None:
    text = f"قال{kept}ت {kept}"
    assert faithful(text) == nfc(text)
    assert kept in faithful(text)


def test_faithful_keeps_vocalised_text_unchanged() -> None:
    text = "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ — قـــال «الوزير» في ٢٠٢٤: ‹نعم›"
    assert faithful(text) == nfc(text) == text


def test_faithful_keeps_ascii_apart_from_whitespace() -> None:
    assert faithful('  He said: "OK"\t-- 42%  ') == 'He said: "OK" -- 42%'


# --- faithful: presentation forms ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "base"),
    [
        ("\ufefb", "لا"),  # ﻻ lam-alef isolated
        ("\ufefc", "لا"),  # ﻼ lam-alef final
        ("\ufef7", "لأ"),  # ﻷ lam-alef with hamza above
        ("\ufef8", "لأ"),
        ("\ufef9", "لإ"),  # ﻹ lam-alef with hamza below
        ("\ufefa", "لإ"),
        ("\ufef5", "لآ"),  # ﻵ lam-alef with madda
        ("\ufef6", "لآ"),
        ("\ufe8f", "ب"),  # ﺏ isolated
        ("\ufe91", "ب"),  # ﺑ initial
        ("\ufe92", "ب"),  # ﺒ medial
        ("\ufe90", "ب"),  # ﺐ final
        ("\ufe93", "ة"),  # ﺓ teh marbuta isolated
        ("\ufeef", "ى"),  # ﻯ alef maksura isolated
        ("\ufe83", "أ"),  # ﺃ alef with hamza above
        ("\ufb56", "پ"),  # ﭖ peh isolated (FB50 block)
        ("\ufb8e", "ک"),  # ﮎ keheh isolated
        ("\ufdf2", "الله"),  # ﷲ
        ("\ufdfa", "صلى الله عليه وسلم"),  # ﷺ
        ("\ufc60", "\u064e\u0651"),  # ﱠ shadda with fatha: " َّ", trimmed
        ("\ufeeb\ufeac\ufe8e", "هذا"),  # ﻫﺬﺍ
        ("\ufedf\ufe8e \ufefb", "لا لا"),
        ("ب\ufe70", "ب \u064b"),  # ﹰ fathatan isolated is space + fathatan
    ],
)
def test_faithful_maps_presentation_forms_to_base_letters(form: str, base: str) -> None:
    assert faithful(form) == base


def test_faithful_normalises_every_presentation_character_on_its_own() -> None:
    for low, high in PRESENTATION_RANGES:
        for code in range(low, high + 1):
            char = chr(code)
            expected = " ".join(nfc(unicodedata.normalize("NFKC", char)).split())
            assert faithful(char) == expected, f"U+{code:04X}"


def test_faithful_leaves_other_compatibility_characters_alone() -> None:
    assert faithful("ﬁ ² Ａ …") == "ﬁ ² Ａ …"


# --- faithful: NFC ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decomposed", "composed"),
    [
        ("\u0627\u0654", "أ"),
        ("\u0627\u0655", "إ"),
        ("\u0627\u0653", "آ"),
        ("\u0648\u0654", "ؤ"),
        ("\u064a\u0654", "ئ"),
        ("e\u0301", "é"),
        ("\u0628\u0651\u064e", "\u0628\u064e\u0651"),  # canonical order: fatha before shadda
    ],
)
def test_faithful_is_nfc(decomposed: str, composed: str) -> None:
    assert faithful(f"كلمة {decomposed} كلمة") == f"كلمة {composed} كلمة"


# --- faithful: whitespace -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "space", SPACE_SEPARATORS + LINE_BREAKS, ids=lambda c: "+".join(f"U+{ord(x):04X}" for x in c)
)
def test_faithful_turns_whitespace_into_one_space(space: str) -> None:
    assert faithful(f"{space}قال{space}{space}الوزير {space}a{space}") == "قال الوزير a"


@pytest.mark.parametrize("text", ["", " ", "\u00a0\t\n", "\u200b\u200f\ufeff", " \u2066 \u2069 "])
def test_faithful_of_blank_or_invisible_text_is_empty(text: str) -> None:
    assert faithful(text) == ""


# --- fold ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mark", [*DIACRITICS, TATWEEL], ids=lambda c: f"U+{ord(c):04X}")
def test_fold_removes_diacritics_and_tatweel(mark: str) -> None:
    assert fold(f"ك{mark}ت{mark}{mark}ب") == "كتب"


@pytest.mark.parametrize(
    ("letter", "folded"),
    [
        ("أ", "ا"),
        ("إ", "ا"),
        ("آ", "ا"),
        ("ٱ", "ا"),
        ("ى", "ي"),
        ("ة", "ه"),
        ("ؤ", "و"),
        ("ئ", "ي"),
        ("ک", "ك"),
        ("ی", "ي"),
        ("ہ", "ه"),
    ],
)
def test_fold_maps_letter_variants(letter: str, folded: str) -> None:
    assert fold(f"س{letter}م") == f"س{folded}م"


@pytest.mark.parametrize("letter", ["ا", "ي", "ه", "و", "ك", "ء", "ب", "ج", "پ", "گ"])
def test_fold_keeps_base_letters(letter: str) -> None:
    assert fold(letter) == letter


def test_fold_maps_decomposed_hamza_spellings_like_composed_ones() -> None:
    assert fold("\u0627\u0654\u062d\u0645\u062f") == fold("أحمد") == "احمد"


@pytest.mark.parametrize("digits", [ARABIC_INDIC_DIGITS, PERSIAN_DIGITS])
def test_fold_maps_digits_to_ascii(digits: str) -> None:
    assert fold(digits) == "0123456789"
    assert fold(f"عام {digits[2]}{digits[0]}{digits[2]}{digits[4]}") == "عام 2024"


@pytest.mark.parametrize(("mark", "ascii_mark"), [("،", ","), ("؛", ";"), ("؟", "?")])
def test_fold_maps_arabic_punctuation(mark: str, ascii_mark: str) -> None:
    assert fold(f"نعم{mark} لا") == f"نعم{ascii_mark} لا"


@pytest.mark.parametrize(
    ("quote", "ascii_quote"), [*((q, '"') for q in "“”«»„″"), *((q, "'") for q in "‘’‚")]
)
def test_fold_maps_quotes(quote: str, ascii_quote: str) -> None:
    assert fold(f"{quote}خبر{quote}") == f"{ascii_quote}خبر{ascii_quote}"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("BBC News", "bbc news"),
        ("Straße", "strasse"),
        ("ÉCOLE", "école"),
        ("CNN عربية", "cnn عربيه"),
    ],
)
def test_fold_casefolds_latin(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "folded"),
    [("ﬁnal", "final"), ("x²", "x2"), ("ＡＢ", "ab"), ("𝐀", "a"), ("قال…", "قال...")],
)
def test_fold_applies_nfkc(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("  قال \u00a0\t الوزير\n", "قال الوزير"),
        ("قال \u064b الوزير", "قال الوزير"),  # a lone diacritic between spaces
        ("قال ـــ الوزير", "قال الوزير"),  # a lone run of tatweel
    ],
)
def test_fold_collapses_whitespace(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_applies_the_faithful_rules_first() -> None:
    assert fold("\u200f\ufefbعب\ufeffة\u00ad") == "لاعبه"


def test_fold_keeps_zero_width_joiners_it_is_not_asked_to_remove() -> None:
    assert fold("می\u200cخواهم") == "مي\u200cخواهم"


def test_fold_of_a_full_sentence() -> None:
    text = "قالَ الرئيسُ «إنّ الاتفاقَ سيُوقَّعُ في ٢٠٢٤»، فهل يُنفَّذ؟"
    assert fold(text) == 'قال الرييس "ان الاتفاق سيوقع في 2024", فهل ينفذ?'


# --- content_hash -------------------------------------------------------------------------------

TITLE = "الرئيسُ يُعلِن خطة «التعافي» لعام ٢٠٢٤"
BODY = ["قالَ الوزير، في مؤتمر صحفي: “سنبدأ غداً”.", "وأضافَ أن الخطة تشمل ١٢ مشروعاً."]


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "الرئيس يعلن خطة «التعافي» لعام ٢٠٢٤",
            ["قال الوزير، في مؤتمر صحفي: “سنبدأ غدا”.", BODY[1]],
        ),
        ('الرئيس يعلن خطة "التعافي" لعام 2024', BODY),  # quotes and digits
        (TITLE, ["قال الوزير، في مؤتمر صحفي: «سنبدأ غداً».", BODY[1]]),  # other quote marks
        (f"\ufeff{TITLE}\u200f", [f"\u202b{BODY[0]}\u202c", f"{BODY[1]}\u200b"]),  # invisible
        (TITLE.replace(" ", "\u00a0"), [BODY[0], "", "\u200b", "  " + BODY[1] + "\n"]),  # blanks
        (TITLE.replace("خطة", "خطـــة"), [BODY[0].replace("الوزير", "الوزيــر"), BODY[1]]),
        (TITLE.replace("لعام", "ﻟﻌﺎﻡ"), BODY),  # presentation forms
        (TITLE, [BODY[0], BODY[1].replace("وأضاف", "واضاف")]),  # hamza spelling
    ],
)
def test_content_hash_is_equal_across_variants(title: str, body: list[str]) -> None:
    assert content_hash(title, body) == content_hash(TITLE, BODY)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (TITLE, [BODY[0]]),  # a paragraph missing
        (TITLE.replace("٢٠٢٤", "٢٠٢٥"), BODY),
        ("الرئيس يعلن خطة", BODY),
        (TITLE, [BODY[0] + " " + BODY[1]]),  # paragraphs merged
        ("", [TITLE, *BODY]),  # title moved into the body
        (TITLE, list(reversed(BODY))),
    ],
)
def test_content_hash_differs_for_different_text(title: str, body: list[str]) -> None:
    assert content_hash(title, body) != content_hash(TITLE, BODY)


def test_content_hash_definition() -> None:
    folded = "\n".join([fold(TITLE), *(fold(p) for p in BODY)])
    expected = hashlib.sha256(folded.encode("utf-8")).hexdigest()
    assert content_hash(TITLE, [*BODY, "ـ"]) == expected
    assert content_hash(None, []) == hashlib.sha256(b"").hexdigest()


# --- exhaustive checks over the blocks that matter -----------------------------------------------

# Latin, Greek, Cyrillic and their extensions (casefolding), Arabic and its supplements,
# general punctuation, presentation forms.
BLOCKS = [
    (0x0000, 0x052F),
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0x1E00, 0x1FFF),
    (0x2000, 0x206F),
    (0xFB00, 0xFEFF),
]
BLOCK_CHARS = [chr(c) for low, high in BLOCKS for c in range(low, high + 1)]


def test_both_forms_are_idempotent_for_every_character_of_the_main_blocks() -> None:
    for char in BLOCK_CHARS:
        contexts = (f"ا{char}\u0654", f"e\u0640{char}\u0301", f"X {char}ب\u0651\u064e")
        for text in (char, *contexts):
            assert faithful(faithful(text)) == faithful(text), ascii(text)
            assert fold(fold(text)) == fold(text) == fold(faithful(text)), ascii(text)


# --- properties ---------------------------------------------------------------------------------

SPECIALS = [
    *REMOVED,
    "\u200c",
    "\u200d",
    *DIACRITICS,
    TATWEEL,
    *"ءأإآؤئٱىةکیہ",
    "\u0653",
    "\u0654",
    "\u0655",
    *QUOTES,
    *"،؛؟",
    *ARABIC_INDIC_DIGITS[:3],
    *PERSIAN_DIGITS[:3],
    *"\ufefb\ufef7\ufef5\ufe91\ufdf2\ufdfa\ufe70\ufe7d\ufc60",
    *"e\u0301ßǰİΣ",
]
WHITESPACE = [" ", "\u00a0", "\t", "\n", "\r", "\u2000", "\u2001", "\u3000", "\u2028", "\x85"]

ARABIC_LETTERS = st.characters(min_codepoint=0x0621, max_codepoint=0x064A)
ARABIC_BLOCK = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
PRESENTATION = st.one_of(
    *(st.characters(min_codepoint=low, max_codepoint=high) for low, high in PRESENTATION_RANGES)
)
TEXT = st.text(
    st.one_of(
        ARABIC_LETTERS,
        st.sampled_from(SPECIALS),
        st.sampled_from(WHITESPACE),
        ARABIC_BLOCK,
        PRESENTATION,
        st.characters(codec="utf-8"),
    ),
    max_size=40,
)
PROPERTY = settings(max_examples=300, deadline=None)


@PROPERTY
@given(TEXT)
def test_faithful_is_idempotent(text: str) -> None:
    assert faithful(faithful(text)) == faithful(text)


@PROPERTY
@given(TEXT)
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@PROPERTY
@given(TEXT)
def test_fold_of_faithful_is_fold(text: str) -> None:
    assert fold(faithful(text)) == fold(text)


@PROPERTY
@given(TEXT)
def test_both_forms_from_one_cleaning_are_faithful_and_fold(text: str) -> None:
    assert faithful_and_folded(text) == (faithful(text), fold(text))


@PROPERTY
@given(TEXT, st.lists(TEXT, max_size=4))
def test_folded_hash_of_the_folded_forms_is_the_content_hash(text: str, body: list[str]) -> None:
    assert folded_hash(fold(text), [fold(p) for p in body]) == content_hash(text, body)


@PROPERTY
@given(TEXT)
def test_faithful_output_is_clean(text: str) -> None:
    out = faithful(text)
    assert out == out.strip() and "  " not in out
    assert not any(char.isspace() and char != " " for char in out)
    assert not any(char in REMOVED for char in out)
    assert all(unicodedata.normalize("NFKC", c) == c for c in out if is_presentation(c))
    assert unicodedata.is_normalized("NFC", out)


@PROPERTY
@given(TEXT)
def test_fold_output_has_no_folded_characters(text: str) -> None:
    out = fold(text)
    folded_away = set(DIACRITICS) | set("ـأإآٱىةؤئکیہ،؛؟“”«»„″‘’‚") | set(ARABIC_INDIC_DIGITS)
    assert not folded_away.intersection(out)
    assert out == " ".join(out.split()) and out == out.casefold()


def untouched_character(char: str) -> bool:
    return char not in REMOVED and not is_presentation(char)


@PROPERTY
@given(st.text(st.one_of(ARABIC_BLOCK, st.sampled_from(SPECIALS + WHITESPACE), st.characters())))
def test_faithful_changes_nothing_outside_the_listed_sets(text: str) -> None:
    """Without removed or presentation characters, faithful is NFC plus whitespace collapse."""
    text = "".join(filter(untouched_character, text))
    assert faithful(text) == " ".join(nfc(text).split())
    if not any(char.isspace() for char in text):
        assert faithful(text) == nfc(text)


@PROPERTY
@given(st.lists(TEXT, max_size=8))
def test_no_paragraph_is_merged_or_lost(paragraphs: list[str]) -> None:
    out = [faithful(p) for p in paragraphs]
    assert not any("\n" in p for p in out)
    assert "\n".join(out).split("\n") == out or not out
