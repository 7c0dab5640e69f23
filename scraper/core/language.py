"""The language an article is written in, from its text: Arabic, or the English, French ... of
the other-language pages of Arabic sites, whatever the page's ``lang`` attribute says.

The share of Arabic-script letters among all letters tells Arabic script from Latin; within
Arabic script, the letters of Persian and Urdu tell them from Arabic; within Latin script, the
commonest function words tell the languages apart. A text too short to tell keeps the declared
language. Only the first ``SAMPLE_CHARS`` characters are read: enough to tell, cheap per page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

SAMPLE_CHARS = 2000
#: Fewer letters than this, and the text does not tell.
MIN_LETTERS = 40

#: Runs of letters, and of Arabic-script letters (Arabic, Persian, Urdu; presentation forms; no
#: marks or digits): counted by runs, a regular expression's matches are words, not letters.
_LETTERS = re.compile(r"[^\W\d_]+")
_ARABIC = re.compile(
    "[\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06ee-\u06ef\u06fa-\u06fc"
    "\u06ff\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc]+"
)
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]+")
#: Letters of Persian or Urdu and not of Arabic (پ چ ژ گ, Persian yeh and keheh), and letters
#: of Urdu alone (ٹ ڈ ڑ ں ے); against them, yeh, kaf and teh marbuta of Arabic.
_PERSIAN = re.compile("[\u067e\u0686\u0698\u06af\u06cc\u06a9]")
_URDU = re.compile("[\u0679\u0688\u0691\u06ba\u06d2]")
_ARABIC_ONLY = re.compile("[\u064a\u0643\u0629]")
_LATIN_WORD = re.compile(r"[a-zà-ÿ']+")
#: The commonest function words of the Latin-script languages Arabic sites also publish in.
FUNCTION_WORDS = {
    "en": frozenset({
        "the", "of", "and", "to", "in", "is", "that", "for", "on", "with", "was", "as", "by",
        "it", "are", "from", "this", "be",
    }),
    "fr": frozenset({
        "le", "la", "les", "des", "et", "du", "est", "une", "dans", "pour", "que", "sur", "par",
        "au", "pas", "qui", "aux",
    }),
    "es": frozenset({
        "el", "los", "las", "del", "y", "que", "en", "por", "una", "con", "para", "es", "se",
        "al", "lo", "como",
    }),
    "de": frozenset({
        "der", "die", "das", "und", "ist", "nicht", "mit", "den", "von", "zu", "sich", "auf",
        "dem", "ein", "eine",
    }),
    "tr": frozenset({
        "ve", "bir", "bu", "ile", "için", "da", "de", "olarak", "olan", "gibi", "daha", "çok",
        "ise",
    }),
    "it": frozenset({
        "il", "di", "che", "della", "per", "una", "sono", "nel", "gli", "alla", "anche", "come",
        "più",
    }),
}  # fmt: skip


@dataclass(frozen=True)
class TextLanguage:
    """``language`` (ISO 639-1) and ``script_share``: the share of Arabic-script letters among
    the letters, to three decimals (None: no letters)."""

    language: str
    script_share: float | None


def text_language(text: str, declared: str) -> TextLanguage:
    """The language of ``text``; ``declared`` when the text is too short to tell, or in a
    script or language not told apart here."""
    sample = text[:SAMPLE_CHARS]
    letters = _count(_LETTERS, sample)
    if not letters:
        return TextLanguage(declared, None)
    arabic = _count(_ARABIC, sample)
    share = round(arabic / letters, 3)
    if letters < MIN_LETTERS:
        return TextLanguage(declared, share)
    if arabic * 2 >= letters:
        return TextLanguage(_arabic_script_language(sample), share)
    if _count(_LATIN, sample) * 2 >= letters:
        return TextLanguage(_latin_language(sample) or declared, share)
    return TextLanguage(declared, share)


def _count(runs: re.Pattern[str], text: str) -> int:
    """How many characters of ``text`` the runs of ``runs`` cover."""
    return sum(map(len, runs.findall(text)))


def _arabic_script_language(sample: str) -> str:
    if not _PERSIAN.search(sample):
        return "ar"
    persian = _PERSIAN.subn("", sample)[1]
    if persian <= _ARABIC_ONLY.subn("", sample)[1]:
        return "ar"
    return "ur" if _URDU.subn("", sample)[1] * 4 >= persian else "fa"


def _latin_language(sample: str) -> str | None:
    words = Counter(_LATIN_WORD.findall(sample.lower()))
    hits = {
        language: sum(words[word] for word in function_words)
        for language, function_words in FUNCTION_WORDS.items()
    }
    best = max(hits, key=hits.__getitem__)
    return best if hits[best] else None
