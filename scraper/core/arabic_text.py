"""Arabic text normalisation: a faithful stored form and a folded search form.

``faithful`` cleans text without changing what the publisher wrote: invisible
formatting marks go, presentation-form letters become their base letters, the
string is NFC and whitespace is collapsed. Diacritics, tatweel, hamza spellings,
quote marks and digits are kept.

``fold`` builds on it for search and de-duplication: compatibility forms,
diacritics, tatweel, hamza and letter variants, digits, punctuation, quotes and
Latin case all fold to one spelling.

"Whitespace" means ``str.isspace``: every Unicode space separator (Zs), tabs,
line and paragraph breaks. Both functions work on one paragraph and return a
single line; paragraph structure is the caller's list.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence

__all__ = [
    "content_hash",
    "faithful",
    "faithful_and_folded",
    "fold",
    "folded_forms",
    "folded_hash",
]

# BOM, zero-width space, word joiner, LRM, RLM, Arabic letter mark, bidi
# embeddings/overrides and isolates, soft hyphen. ZWNJ and ZWJ are kept.
_INVISIBLE = "\ufeff\u200b\u2060\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u00ad"
_PRESENTATION = "\ufb50-\ufdff\ufe70-\ufefe"
# In CPython's re a bare character class searches several times faster than a
# repeated one, so only the presentation-form sub, which normalises whole runs
# in one call, uses `+`.
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_PRESENTATION_RE = re.compile(f"[{_PRESENTATION}]+")
_INVISIBLE_OR_PRESENTATION_RE = re.compile(f"[{_INVISIBLE}{_PRESENTATION}]")

# Arabic diacritics (harakat, tanwin, shadda, sukun, hamza/madda marks,
# superscript alef, Quranic annotation marks) and tatweel.
_DIACRITICS_RE = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")

_FOLD_MAP: dict[str, str] = {
    **dict.fromkeys("\u0623\u0625\u0622\u0671", "\u0627"),  # أ إ آ ٱ → ا
    **dict.fromkeys("\u0649\u0626\u06cc", "\u064a"),  # ى ئ ی → ي
    **dict.fromkeys("\u0629\u06c1", "\u0647"),  # ة ہ → ه
    "\u0624": "\u0648",  # ؤ → و
    "\u06a9": "\u0643",  # ک → ك
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
    "\u060c": ",",  # Arabic comma
    "\u061b": ";",  # Arabic semicolon
    "\u061f": "?",  # Arabic question mark
    **dict.fromkeys("\u201c\u201d\u00ab\u00bb\u201e\u2033", '"'),  # “ ” « » „ ″
    **dict.fromkeys("\u2018\u2019\u201a", "'"),  # ‘ ’ ‚
}
#: Joins paragraphs for `folded_forms`; a private-use character, a starter that no
#: normalisation step composes, decomposes or case-folds.
_SEPARATOR = "\ue000"

# A chain of str.replace guarded by `in` runs about three times faster than
# str.translate, which does a dict lookup per character on non-ASCII text.
_FOLD_PAIRS = tuple(_FOLD_MAP.items())


def _nfkc(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


def _collapse_whitespace(text: str) -> str:
    # str.isprintable is False for every whitespace character but the ASCII
    # space, so clean text skips the split and join.
    if "  " in text or text.startswith(" ") or text.endswith(" ") or not text.isprintable():
        return " ".join(text.split())
    return text


def faithful(text: str) -> str:
    """Return the clean stored form of one paragraph (idempotent)."""
    if not text.isascii():
        if _INVISIBLE_OR_PRESENTATION_RE.search(text):
            text = _INVISIBLE_RE.sub("", text)
            if _INVISIBLE_OR_PRESENTATION_RE.search(text):  # presentation forms left
                text = _PRESENTATION_RE.sub(_nfkc, text)
        if not unicodedata.is_normalized("NFC", text):
            # NFC never composes across whitespace, so normalising word by word
            # gives the same result while sparing words that are already NFC
            # (CPython's full NFC pass is slow on long strings).
            return " ".join([unicodedata.normalize("NFC", word) for word in text.split()])
    return _collapse_whitespace(text)


def _fold_letters(text: str) -> str:
    text = _DIACRITICS_RE.sub("", text)
    for source, target in _FOLD_PAIRS:
        if source in text:
            text = text.replace(source, target)
    return text


def fold(text: str) -> str:
    """Return the search form of one paragraph; ``fold(faithful(x)) == fold(x)``."""
    return _fold_faithful(faithful(text))


def faithful_and_folded(text: str) -> tuple[str, str]:
    """Both forms of one paragraph, ``(faithful(text), fold(text))``, cleaned once."""
    clean = faithful(text)
    return clean, _fold_faithful(clean)


def _fold_faithful(text: str) -> str:
    """The search form of text already in its faithful form.

    Letters are folded before NFKC, so that ″ is seen before NFKC splits it
    into two primes and a removed tatweel cannot leave an uncomposed sequence
    behind. No NFKC output needs folding again: the presentation forms went
    in ``faithful`` and the combining hamza and madda are already removed.
    """
    if text.isascii():
        return text.lower()
    return _collapse_whitespace(_fold_unicode(text))


def _fold_unicode(text: str) -> str:
    text = unicodedata.normalize("NFKC", _fold_letters(text))
    # Casefolding can leave decomposed sequences (ß + ◌́ → s s ◌́) that NFKC
    # would compose on a second pass, hence NFKC again.
    return unicodedata.normalize("NFKC", text.casefold())


def folded_forms(clean: Sequence[str]) -> list[str]:
    """The search forms of paragraphs already in their faithful form, index-aligned.

    The paragraphs are folded joined by a private-use character, in one pass (one call
    per fold step instead of one per paragraph): no step changes or moves that starter
    character, and ASCII folds to its lower case either way. Texts that hold it are
    folded one by one.
    """
    if len(clean) > 1 and not any(_SEPARATOR in text for text in clean):
        parts = _fold_unicode(_SEPARATOR.join(clean)).split(_SEPARATOR)
        return [_collapse_whitespace(part) for part in parts]
    return [_fold_faithful(text) for text in clean]


def content_hash(title: str | None, body: list[str]) -> str:
    """SHA-256 hex digest of the folded title and non-empty folded paragraphs.

    The digest is taken over ``"\\n".join([fold(title), *folded_paragraphs])``
    encoded as UTF-8; folded text never holds a newline, so the join is
    unambiguous. Paragraphs that fold to nothing are skipped.
    """
    return folded_hash(fold(title or ""), map(fold, body))


def folded_hash(title: str, body: Iterable[str]) -> str:
    """:func:`content_hash` from the folded title and folded paragraphs."""
    folded = [title]
    folded.extend(para for para in body if para)
    return hashlib.sha256("\n".join(folded).encode("utf-8")).hexdigest()
