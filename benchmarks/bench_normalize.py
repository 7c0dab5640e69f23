"""Throughput of the faithful and folded forms on generated Arabic news articles.

Articles (4-8 KB of UTF-8 each) are made up from a small news vocabulary with
the features real pages have: « » and “ ” quotes, Arabic-Indic and ASCII digits,
Arabic punctuation, some vocalised words (half of them typed shadda first, so
not NFC) and tatweel, Latin acronyms, a rare ﻻ or ﷲ, NBSP, double spaces and a
few invisible marks. Each paragraph is normalised on its
own, as the pipeline does. Baselines, measured in the same run on the same
paragraphs: plain NFC, naive per-character implementations of the same rules,
and a single ``str.translate`` table for the fold. Ratios are our throughput
divided by the baseline's (above 1: we are faster).
"""

from __future__ import annotations

import random
import re
import time
import unicodedata
from collections.abc import Callable, Iterator

from benchmarks.report import best_seconds, print_table
from scraper.core import arabic_text
from scraper.core.arabic_text import faithful, fold

ARTICLES = 160
SEED = 20240501
REPEATS = 5

_VOCABULARY = """
قال أعلن الرئيس الوزير الحكومة وزارة الخارجية الداخلية المتحدث الرسمي باسم مجلس
النواب الأمن الدولي الأمم المتحدة الاتحاد الأوروبي المنطقة مدينة دمشق حلب بيروت
القاهرة عمّان بغداد الرياض الدوحة غزة إدلب الشمال الجنوب الشرقي الغربي اليوم
أمس الأسبوع الماضي المقبل خلال مؤتمر صحفي بيان رسمي مصادر محلية مطلعة تقرير
منظمة حقوق الإنسان اللاجئين السوريين المساعدات الإنسانية الاقتصاد الليرة
الدولار سعر صرف ارتفاع انخفاض أسعار الوقود الخبز الكهرباء المياه المدارس
الجامعة الطلاب المستشفى الأطباء المرضى الانتخابات المرشحين الشعب المواطنين
السكان العائلات الأطفال النساء القوات الجيش الشرطة الاشتباكات القصف المدنيين
الضحايا الجرحى إلى على في من عن مع بعد قبل حتى التي الذي الذين هذا هذه ذلك كما
أن إن لكن بسبب وفق حيث عندما أيضاً جديدة جديد كبير كبيرة أكثر أقل نحو حوالي
مليون ألف مئات عشرات اتفاق مفاوضات وقف إطلاق النار العودة الطوعية مشروع قانون
قرار مجلس
"""
WORDS = tuple(_VOCABULARY.split())
VOCALISED = ("عَلَى", "قَالَ", "الحُكُومَةُ", "مُحَمَّدٌ", "إِنَّ", "ثُمَّ", "جِدًّا", "مَدْرَسَةٌ")
OTHER = ("(BBC)", "COVID-19", "UNICEF", "Reuters", "AFP", "WHO", "\ufefb", "\ufdf2")  # Latin, ﻻ ﷲ
INVISIBLE = ("\u200f", "\u200e", "\u200b", "\ufeff", "\u00ad", "\u2067")
_VOWEL_SHADDA = re.compile("([\u064b-\u0650])\u0651")
SPACES = (" ",) * 40 + ("  ", "\u00a0", " \u00a0")


def _number(rng: random.Random) -> str:
    digits = str(rng.choice((rng.randint(2, 99), rng.randint(100, 9999), 2024, 2025)))
    if rng.random() < 0.6:  # Arabic-Indic digits, the rest stay ASCII
        digits = digits.translate({ord(d): 0x0660 + int(d) for d in "0123456789"})
    return digits


def _word(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.03:
        word = rng.choice(VOCALISED)
        # Half typed shadda first, as keyboards do: valid text, but not NFC.
        return _VOWEL_SHADDA.sub("\u0651\\1", word) if roll < 0.015 else word
    if roll < 0.05:
        return _number(rng)
    if roll < 0.06:
        return rng.choice(OTHER)
    word = rng.choice(WORDS)
    if roll < 0.07 and len(word) > 3:  # tatweel
        return word[:2] + "ـــ" + word[2:]
    if roll < 0.075:
        return word + rng.choice(INVISIBLE)
    return word


def _sentence(rng: random.Random) -> str:
    words = [_word(rng) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.25:
        start = rng.randrange(len(words) - 3)
        left, right = rng.choice((("«", "»"), ("“", "”")))
        words[start] = left + words[start]
        words[start + 2] += right
    if rng.random() < 0.5:
        words[rng.randrange(1, len(words) - 1)] += "،"
    text = "".join(word + rng.choice(SPACES) for word in words).rstrip()
    return text + rng.choice((".", ".", ".", ":", "؟"))


def _paragraph(rng: random.Random) -> str:
    text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.15:
        text = rng.choice(INVISIBLE) + text
    return text + rng.choice(("", "", "\n", " \u200f"))


def articles(count: int = ARTICLES, seed: int = SEED) -> Iterator[list[str]]:
    """Yield `count` articles, each a list of paragraphs of 4-8 KB in all."""
    rng = random.Random(seed)
    for _ in range(count):
        target = rng.randint(4000, 8000)
        paragraphs: list[str] = []
        while sum(len(p.encode("utf-8")) for p in paragraphs) < target:
            paragraphs.append(_paragraph(rng))
        yield paragraphs


# --- baselines ----------------------------------------------------------------------------------
# Built from the module's own rule tables so that the baselines apply the same rules.

_INVISIBLE_SET = frozenset(
    c for c in map(chr, range(0x10000)) if arabic_text._INVISIBLE_RE.match(c)
)
_PRESENTATION_SET = frozenset(
    c for c in map(chr, range(0x10000)) if arabic_text._PRESENTATION_RE.match(c)
)
_DIACRITIC_SET = frozenset(
    c for c in map(chr, range(0x10000)) if arabic_text._DIACRITICS_RE.match(c)
)
_FOLD_TABLE = str.maketrans({**arabic_text._FOLD_MAP, **dict.fromkeys(_DIACRITIC_SET)})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def naive_faithful(text: str) -> str:
    """The faithful rules applied one character at a time."""
    kept = []
    for char in text:
        if char in _INVISIBLE_SET:
            continue
        kept.append(unicodedata.normalize("NFKC", char) if char in _PRESENTATION_SET else char)
    return " ".join(nfc("".join(kept)).split())


def _fold_tail(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return " ".join(unicodedata.normalize("NFKC", text.casefold()).split())


def naive_fold(text: str) -> str:
    """The fold rules applied one character at a time."""
    text = naive_faithful(text)
    mapped = [arabic_text._FOLD_MAP.get(c, c) for c in text if c not in _DIACRITIC_SET]
    return _fold_tail("".join(mapped))


def translate_fold(text: str) -> str:
    """The fold with one ``str.translate`` table instead of the replace chain."""
    return _fold_tail(faithful(text).translate(_FOLD_TABLE))


# --- measurement --------------------------------------------------------------------------------


def _seconds(func: Callable[[str], str], paragraphs: list[str]) -> float:
    return best_seconds(lambda: [func(p) for p in paragraphs], REPEATS, time.perf_counter)


def _check_same_output(paragraphs: list[str]) -> None:
    for ours, theirs in ((faithful, naive_faithful), (fold, naive_fold), (fold, translate_fold)):
        for paragraph in paragraphs:
            if ours(paragraph) != theirs(paragraph):
                raise AssertionError(f"{theirs.__name__} disagrees on {paragraph!r}")


def run() -> list[dict[str, object]]:
    corpus = list(articles())
    paragraphs = [p for article in corpus for p in article]
    _check_same_output(paragraphs)
    megabytes = sum(len(p.encode("utf-8")) for p in paragraphs) / 1e6
    size = f"{megabytes:.2f} MB, {len(corpus)} articles, {len(paragraphs)} paragraphs"

    def speed(func: Callable[[str], str]) -> float:
        return megabytes / _seconds(func, paragraphs)

    ours = {"faithful": speed(faithful), "fold": speed(fold)}
    baselines = [
        ("faithful", "unicodedata NFC", nfc),
        ("faithful", "naive per-character", naive_faithful),
        ("fold", "naive per-character", naive_fold),
        ("fold", "str.translate table", translate_fold),
    ]
    rows: list[dict[str, object]] = []
    for name, label, baseline in baselines:
        theirs = speed(baseline)
        rows.append(
            {
                "benchmark": f"normalize {name}",
                "baseline": label,
                "ratio": round(ours[name] / theirs, 2),
                "figures": f"{ours[name]:.1f} MB/s vs {theirs:.1f} MB/s ({size})",
            }
        )
    return rows


if __name__ == "__main__":
    print_table(run())
