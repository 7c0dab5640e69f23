"""Whether a page is in Arabic, fast enough to run on every page of a CC-NEWS WARC: the share
of Arabic letters in its visible text, and the language it declares (``<html lang>``,
``og:locale``). Persian, Urdu and other languages written in the Arabic script are told
apart by their declaration and by the letters Arabic does not use."""

from __future__ import annotations

import re

#: Characters of visible text sampled: enough for a stable share, cheap on a 1 MB page.
SAMPLE = 20_000
#: Share of Arabic letters among all letters above which a page is Arabic whatever it
#: declares (many Arabic sites keep their CMS's lang="en-US"), and the lower share a page
#: that declares Arabic needs (menus, ads and names in Latin letters).
MIN_SHARE = 0.5
MIN_SHARE_DECLARED = 0.25
#: Letters of Persian, Urdu, Pashto, Kurdish... that Arabic does not use
#: (پ چ ژ گ ک ی ٹ ڈ ڑ ں ے ہ ۀ), and the share of them among Arabic-script letters above
#: which the text is not Arabic.
OTHER_LANGUAGE_LETTERS = (
    "\u067e\u0686\u0698\u06af\u06a9\u06cc\u0679\u0688\u0691\u06ba\u06d2\u06c1\u06c0"
)
MAX_OTHER_LETTERS = 0.02
#: Languages written in the Arabic script that are not Arabic.
OTHER_SCRIPT_LANGUAGES = frozenset({"fa", "ur", "ps", "ckb", "ku", "sd", "ug", "bal", "prs"})

_INVISIBLE = re.compile(
    r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.I | re.S
)
_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,3})", re.I)
_OG_LOCALE = re.compile(
    r"<meta\b(?=[^>]*\bproperty\s*=\s*[\"']og:locale[\"'])[^>]*?\bcontent\s*=\s*[\"']\s*([A-Za-z]{2,3})",
    re.I,
)
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff]")
_OTHER_LETTER = re.compile(f"[{OTHER_LANGUAGE_LETTERS}]")
_LETTER = re.compile(r"[^\W\d_]")
#: Where a declaration is looked for: the top of the page.
_HEAD = 16_384


def declared_language(html: str) -> str | None:
    """The primary language subtag of ``<html lang>``, else of ``og:locale``, lower-cased."""
    head = html[:_HEAD]
    match = _LANG.search(head) or _OG_LOCALE.search(head)
    return match[1].lower() if match else None


def visible_text(html: str, limit: int = SAMPLE) -> str:
    """Up to ``limit`` characters of a page's text, without markup, scripts or styles."""
    return " ".join(_INVISIBLE.sub(" ", html).split())[:limit]


def arabic_share(text: str) -> tuple[float, float]:
    """(share of Arabic-script letters among all letters, share of non-Arabic letters such
    as Persian ی among the Arabic-script ones)."""
    letters = len(_LETTER.findall(text))
    arabic = len(_ARABIC_LETTER.findall(text))
    if not arabic:
        return 0.0, 0.0
    return arabic / letters, len(_OTHER_LETTER.findall(text)) / arabic


def is_arabic(html: str) -> bool:
    """Whether a decoded HTML page is in Arabic."""
    declared = declared_language(html)
    if declared in OTHER_SCRIPT_LANGUAGES:
        return False
    share, others = arabic_share(visible_text(html))
    if others > MAX_OTHER_LETTERS:
        return False
    return share >= (MIN_SHARE_DECLARED if declared == "ar" else MIN_SHARE)
