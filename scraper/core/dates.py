"""Arabic news dates and times: every form Arabic news sites print, parsed fast and strictly.

`parse_date` returns a timezone-aware datetime, a `DateOnly` when the text names no time of
day, or None when the text is not a date. It never guesses: an impossible date, a lone time,
a lone weekday, a year or a month alone, a vague relative form (منذ ساعات، منذ فترة) is None,
never today. News is dated in the past: a day without a year (28 نوفمبر) is the latest such
day not after tomorrow (a day's grace for zone skew), and a two-digit year (29/11/24) is this
century and never after tomorrow.

The text is normalised by one `str.translate` (Arabic-Indic and Persian digits to ASCII;
tatweel, diacritics and bidi marks dropped; alef, yeh and teh marbuta variants folded; ASCII
lowercased). Compiled regexes then find a day (month names of every region, ك2 and تشرين 1,
numeric forms, ordinal days such as الخامس من ديسمبر, Hijri dates), a time of day and a zone;
relative forms (منذ ساعتين، منذ ساعة و20 دقيقة، منذ 5 د، منذ ثلاث عشرة دقيقة، أمس 18:00) are
read against `now`. There is no dateparser fallback: on the project's battery every string it
would have been asked about that it answered, it answered wrongly.
"""

from __future__ import annotations

import calendar
import logging
import re
import string
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Generic, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from hijridate import Hijri

__all__ = ["DateOnly", "format_date", "has_time", "parse_date"]

_log = logging.getLogger(__name__)
_T = TypeVar("_T")


class DateOnly(datetime):
    """A date without a time of day: midnight in the site's zone (see `has_time`)."""

    __slots__ = ()


def has_time(value: datetime) -> bool:
    """Whether `value` carries a time of day, i.e. is not a `DateOnly`."""
    return not isinstance(value, DateOnly)


def format_date(value: datetime) -> str:
    """`YYYY-MM-DD` for a `DateOnly`, else `YYYY-MM-DDTHH:MM:SS±HH:MM`."""
    if isinstance(value, DateOnly):
        return value.date().isoformat()
    if value.utcoffset() is None:
        raise ValueError(f"naive datetime has no offset to print: {value!r}")
    return value.isoformat(timespec="seconds")


# --- Normalisation -------------------------------------------------------------------------

_DROPPED = "".join(
    [
        "\u0640",  # tatweel
        *map(chr, range(0x064B, 0x0660)),  # harakat, tanween, shadda, sukun, hamza marks
        "\u0670",  # superscript alef
        *map(chr, range(0x06D6, 0x06EE)),  # Quranic annotation marks
        "\u00ad\u061c\u200b\u200c\u200d\u200e\u200f",  # soft hyphen, zero-width, bidi marks
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff",
    ]
)
_FOLDS = (
    ("أإآٱ", "اااا"),  # alef with hamza or madda
    ("ىی", "يي"),  # alef maqsura, Persian yeh
    ("ةھ", "هه"),  # teh marbuta, heh doachashmee
    ("کڤ", "كف"),  # keheh, veh (نوڤمبر)
    ("،٬؛٫", ",,;."),  # Arabic punctuation
    ("‐‑‒–—―−", "-------"),  # dashes and minus
    ("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2),  # Arabic-Indic and Persian digits
    (string.ascii_uppercase, string.ascii_lowercase),
)
_MAPPING = str.maketrans(
    "".join(source for source, _ in _FOLDS), "".join(target for _, target in _FOLDS), _DROPPED
)
_BOM = 0xFEFF
# The same as a list indexed by code point, which str.translate reads twice as fast. It ends
# before the BOM, far above the other points, to stay small: `_normalise` drops that apart.
_TRANSLATION = [_MAPPING.get(point, point) for point in range(max(_MAPPING.keys() - {_BOM}) + 1)]


def _normalise(text: str) -> str:
    return text.translate(_TRANSLATION).replace(chr(_BOM), "")


def _key(text: str) -> str:
    """The lookup key of a name: normalised, without spaces (ذوالقعدة = ذو القعدة)."""
    return "".join(_normalise(text).split())


_Trie = dict[str, "_Trie"]  # a regex token to the names' rest; "" where a name ends


def _alternation(names: Iterable[str]) -> str:
    """A regex alternation of names, longest first, their inner spaces optional.

    It is a trie, one branch per next letter, so that a scan tries a few letters at each
    position of the text rather than every name.
    """
    trie: _Trie = {}
    for name in names:
        node = trie
        for i, word in enumerate(_normalise(name).split()):
            for token in ([r"\s*"] if i else []) + [re.escape(letter) for letter in word]:
                node = node.setdefault(token, {})
        node[""] = {}
    return "(?:" + _branches(trie) + ")"


def _branches(node: _Trie) -> str:
    """The regex of a trie node: its longer continuations first, then its end."""
    ways = [token + _branches(rest) for token, rest in node.items() if token]
    if "" in node:
        ways.append("")
    return ways[0] if len(ways) == 1 else "(?:" + "|".join(ways) + ")"


class _Words(Generic[_T]):
    """Names with their values, and a regex `pattern` that finds the names."""

    def __init__(self, rows: Iterable[tuple[Iterable[str], _T]]) -> None:
        listed = [(tuple(names), value) for names, value in rows]
        self.values = {_key(name): value for names, value in listed for name in names}
        self.pattern = _alternation(name for names, _ in listed for name in names)

    def __getitem__(self, matched: str) -> _T:
        if matched in self.values:  # normalised text, one word: already the key
            return self.values[matched]
        return self.values[_key(matched)]


# --- Vocabulary ----------------------------------------------------------------------------

# Month names of every region, MSA first; English for feeds. Index + 1 is the month number.
# Levantine and Iraqi papers number the two كانون and تشرين months: كانون 2, ك2, ت1.
_GREGORIAN = (
    ("يناير", "كانون الثاني", "كانون ثاني", "كانون 2", "ك 2", "جانفي", "january", "jan"),
    ("فبراير", "شباط", "فيفري", "february", "feb"),
    ("مارس", "آذار", "march", "mar"),
    ("أبريل", "إبريل", "نيسان", "أفريل", "april", "apr"),
    ("مايو", "أيار", "ماي", "مايس", "may"),
    ("يونيو", "يونيه", "حزيران", "جوان", "june", "jun"),
    ("يوليو", "يوليه", "تموز", "جويلية", "يوليوز", "july", "jul"),
    ("أغسطس", "آب", "أوت", "غشت", "august", "aug"),
    ("سبتمبر", "أيلول", "شتنبر", "september", "sept", "sep"),
    ("أكتوبر", "أوكتوبر", "تشرين الأول", "تشرين أول", "تشرين 1", "ت 1", "october", "oct"),
    ("نوفمبر", "تشرين الثاني", "تشرين ثاني", "تشرين 2", "ت 2", "نونبر", "november", "nov"),
    ("ديسمبر", "كانون الأول", "كانون أول", "كانون 1", "ك 1", "دجنبر", "december", "dec"),
)
_HIJRI = (  # with the honorifics that Gulf papers add (رمضان المبارك)
    ("محرم", "المحرم", "محرم الحرام"),
    ("صفر", "صفر الخير"),
    ("ربيع الأول", "ربيع أول"),
    ("ربيع الآخر", "ربيع الثاني", "ربيع آخر", "ربيع ثاني"),
    ("جمادى الأولى", "جمادى الأول", "جماد الأول"),
    ("جمادى الآخرة", "جمادى الآخر", "جمادى الثانية", "جمادى الثاني", "جماد الآخر"),
    ("رجب", "رجب الفرد"),
    ("شعبان", "شعبان المعظم"),
    ("رمضان", "رمضان المبارك", "رمضان المعظم"),
    ("شوال", "شوال المكرم"),
    ("ذو القعدة", "ذي القعدة"),
    ("ذو الحجة", "ذي الحجة"),
)


class _Month(NamedTuple):
    hijri: bool
    number: int


_MONTHS = _Words(
    [(names, _Month(False, n)) for n, names in enumerate(_GREGORIAN, 1)]
    + [(names, _Month(True, n)) for n, names in enumerate(_HIJRI, 1)]
)


class _Half(NamedTuple):
    """How a 12-hour clock word moves an hour: which hours gain 12, and whether 12 is 0."""

    later: range
    twelve_is_zero: bool


_AM, _PM = _Half(range(0), True), _Half(range(1, 12), False)
_NOON, _NIGHT = _Half(range(1, 6), False), _Half(range(6, 12), True)
_HALVES = _Words(
    [
        (("ص", "صباحًا", "صباح", "فجرًا", "الفجر", "am", "a.m."), _AM),
        (("م", "مساءً", "مساءا", "عصرًا", "العصر", "pm", "p.m."), _PM),
        (("ظهرًا", "الظهر"), _NOON),
        (("ليلًا", "الليل"), _NIGHT),
    ]
)

_PLACES = _Words(
    [
        (("مكة المكرمة", "مكة", "الرياض", "جدة", "السعودية"), "Asia/Riyadh"),
        (("دمشق", "سوريا", "سورية"), "Asia/Damascus"),
        (("القاهرة", "مصر"), "Africa/Cairo"),
        (("بيروت", "لبنان"), "Asia/Beirut"),
        (("القدس",), "Asia/Jerusalem"),
        (("فلسطين", "غزة", "رام الله"), "Asia/Gaza"),
        (("الإمارات", "أبوظبي", "أبو ظبي", "دبي"), "Asia/Dubai"),
        (("بغداد", "العراق"), "Asia/Baghdad"),
        (("عمّان", "الأردن"), "Asia/Amman"),
        (("الدوحة", "قطر"), "Asia/Qatar"),
        (("الكويت",), "Asia/Kuwait"),
        (("المنامة", "البحرين"), "Asia/Bahrain"),
        (("مسقط", "سلطنة عمان", "السلطنة"), "Asia/Muscat"),
        (("صنعاء", "عدن", "اليمن"), "Asia/Aden"),
        (("المغرب", "الرباط", "الدار البيضاء"), "Africa/Casablanca"),
        (("تونس",), "Africa/Tunis"),
        (("الجزائر",), "Africa/Algiers"),
        (("طرابلس", "ليبيا"), "Africa/Tripoli"),
        (("الخرطوم", "السودان"), "Africa/Khartoum"),
        (("نواكشوط", "موريتانيا"), "Africa/Nouakchott"),
        (("أنقرة", "إسطنبول", "تركيا"), "Europe/Istanbul"),
        (("طهران", "إيران"), "Asia/Tehran"),
        (("موسكو",), "Europe/Moscow"),
        (("لندن",), "Europe/London"),
        (("باريس",), "Europe/Paris"),
    ]
)
# Zone abbreviations and their fixed offsets in minutes (GMT+3 adds the +3).
_ABBREVIATIONS = _Words(
    [
        (("gmt", "utc", "ت غ", "ت.غ", "غرينتش", "غرينيتش", "جرينتش", "جرينيتش", "غرنتش"), 0),
        (("cet", "bst"), 60),
        (("eet", "cest"), 120),
        (("eest", "msk", "ksa"), 180),
        (("gst",), 240),  # Gulf Standard Time
        (("est", "cdt"), -300),
        (("edt",), -240),
        (("cst", "mdt"), -360),
        (("mst", "pdt"), -420),
        (("pst",), -480),
    ]
)


_KIND_SECONDS = {"months": 30 * 86_400, "days": 86_400, "seconds": 1}  # roughly


class _Span(NamedTuple):
    """A relative unit: `size` seconds, days or months back."""

    kind: str
    size: int

    @property
    def length(self) -> int:
        """Its rough length in seconds, to order the units of منذ ساعة و20 دقيقة."""
        return self.size * _KIND_SECONDS[self.kind]


# Unit words: singular (one), dual (two), plural, what a plural without a number means
# (nothing for منذ ساعات, some hours ago; now for منذ ثوان, seconds ago), and abbreviations,
# which mean nothing without a number (منذ 5 د). After 11 to 99 the singular takes an alef
# (منذ 15 يوماً).
_UNITS = (
    (
        _Span("seconds", 1),
        ("ثانية", "لحظة"),
        ("ثانيتين", "ثانيتان"),
        ("ثوان", "ثواني", "لحظات"),
        0,
        ("ث",),
    ),
    (
        _Span("seconds", 60),
        ("دقيقة",),
        ("دقيقتين", "دقيقتان"),
        ("دقائق", "دقايق"),
        None,
        ("د", "دق"),
    ),
    (_Span("seconds", 3600), ("ساعة",), ("ساعتين", "ساعتان"), ("ساعات",), None, ("س", "سا")),
    (_Span("days", 1), ("يوم", "يوما"), ("يومين", "يومان"), ("أيام",), None, ("ي",)),
    (_Span("days", 7), ("أسبوع", "أسبوعا"), ("أسبوعين", "أسبوعان"), ("أسابيع",), None, ()),
    (_Span("months", 1), ("شهر", "شهرا"), ("شهرين", "شهران"), ("أشهر", "شهور"), None, ()),
    (
        _Span("months", 12),
        ("سنة", "عام", "عاما"),
        ("سنتين", "عامين"),
        ("سنوات", "سنين", "أعوام"),
        None,
        (),
    ),
)
_UNIT_WORDS = _Words(
    (words, (span, count))
    for span, one, two, many, many_alone, short in _UNITS
    for words, count in ((one, 1), (two, 2), (many, many_alone), (short, None))
)
# Counting words, masculine and feminine: ثلاث ساعات، ثلاثة أيام، إحدى عشرة ساعة.
_ONES = (
    ("واحد", "واحدة"),
    ("اثنين", "اثنتين", "اثنان"),
    ("ثلاث", "ثلاثة"),
    ("أربع", "أربعة"),
    ("خمس", "خمسة"),
    ("ست", "ستة"),
    ("سبع", "سبعة"),
    ("ثمان", "ثماني", "ثمانية"),
    ("تسع", "تسعة"),
)
_TEN = ("عشر", "عشرة")
_TEENS = (("أحد", "إحدى"), ("اثنا", "اثني", "اثنتا", "اثنتي"), *_ONES[2:])  # 11, 12, 13 …
_NUMBER_WORDS = _Words(
    [(words, n) for n, words in enumerate((*_ONES, _TEN), 1)]
    + [([f"{one} {ten}" for one in ones for ten in _TEN], n) for n, ones in enumerate(_TEENS, 11)]
    + [(("عشرين", "عشرون"), 20)]
)
_DAY_WORDS = _Words(
    [
        (("اليوم",), 0),
        (("أمس", "البارحة", "يوم أمس"), 1),
        (("أول أمس", "أول من أمس", "قبل أمس", "أمس الأول"), 2),
    ]
)
# Ordinal days, masculine as يوم is: الخامس من ديسمبر، الحادي والعشرين من مارس.
_ORDINAL_ONES = (
    *("الأول", "الثاني", "الثالث", "الرابع", "الخامس"),
    *("السادس", "السابع", "الثامن", "التاسع"),
)
_ORDINAL_TENS = (("العشرين", "العشرون"), ("الثلاثين", "الثلاثون"))
_ORDINAL_DAYS = _Words(
    [((name,), n) for n, name in enumerate(_ORDINAL_ONES, 1)]
    + [(("العاشر",), 10), (("الحادي عشر",), 11)]
    + [((f"{one} عشر",), n) for n, one in enumerate(_ORDINAL_ONES[1:], 12)]
    + [(tens, 10 * t) for t, tens in enumerate(_ORDINAL_TENS, 2)]
    + [
        ([f"{one} و {ten}" for ten in tens], 10 * t + n)
        for t, tens in enumerate(_ORDINAL_TENS, 2)
        for n, one in enumerate(("الحادي", *_ORDINAL_ONES[1:]), 1)
        if 10 * t + n <= 31
    ]
)
# Labels that may precede a relative form: نشر في، آخر تحديث: …
_LABELS = (
    "نشر",
    "نشرت",
    "نشر في",
    "تم النشر",
    "تاريخ النشر",
    "آخر تحديث",
    "تحديث",
    "تم التحديث",
    "تاريخ التحديث",
    "آخر تعديل",
    "أضيف",
    "تاريخ الإضافة",
    "بتاريخ",
    "published",
    "updated",
    "posted",
)

# --- Patterns ------------------------------------------------------------------------------
# They match normalised text, so their Arabic is spelt the normalised way (علي، الساعه).

_NOT_LETTER_BEFORE, _NOT_LETTER_AFTER = r"(?<![^\W\d_])", r"(?![^\W\d_])"
_NO_MORE_DIGITS = r"(?!(?<=\d)\d)"  # a name ending in a digit ends there: ت 1, not ت 12
_MONTH = _NOT_LETTER_BEFORE + _MONTHS.pattern + _NOT_LETTER_AFTER + _NO_MORE_DIGITS
_MONTH_NAME = rf"(?P<m>{_MONTH})(?:\s*[/(-]\s*(?P<m2>{_MONTH})\s*\)?)?"  # نيسان / أبريل
_HIJRI_MARK = rf"(?:\s*(?P<hmark>ه(?:جري(?:ه)?)?){_NOT_LETTER_AFTER})?"
_YEAR = rf"(?P<y>\d{{4}})(?!\d){_HIJRI_MARK}"
# A day of one or two digits, not the end of a time or a decimal (12:30 مارس، 3.5 مارس). The
# tests follow its first digit so that a pattern starting with it starts with a digit, and a
# scan of the text jumps from digit to digit.
_DAY = r"(?P<d>\d(?<![\d:]\d)(?<!\d[.,]\d)\d?)(?!\d)(?:st|nd|rd|th)?"
_DAY_FIRST = rf"\s*[/.-]?\s*(?:(?:من|شهر|of)\s+)*{_MONTH_NAME}(?:\s*[,/.-]?\s*{_YEAR})?"
# Day-first dates with an ordinal day (الخامس من ديسمبر); they may have no year. The pattern
# starts with the ordinals' ال, which a scan finds fast; `_is_day` does the rest.
_ORDINAL_DATE_RE = re.compile(rf"(?P<o>{_ORDINAL_DAYS.pattern}){_NOT_LETTER_AFTER}{_DAY_FIRST}")
# Dates with digits. Each match names a month; day-first ones may have no year (28 نوفمبر).
_DATE_RES = tuple(
    re.compile(pattern)
    for pattern in (
        _DAY + _DAY_FIRST,
        rf"{_MONTH_NAME}\.?\s*[/-]?\s*{_DAY}\s*[,/.-]?\s*{_YEAR}",
        # 2024/11/29, 29/11/2024, 29/11/24 (not 10.10.10.10): `_numeric` tells them apart
        r"(?<![\d/.-])(?P<first>\d{1,4})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*"
        rf"(?P<last>\d{{3,4}}|\d{{1,2}}(?![/.-]\d))(?!\d){_HIJRI_MARK}",
    )
)
_HALF = _HALVES.pattern + _NOT_LETTER_AFTER
_TIME = (
    r"(?:(?<![\d:+-])(?P<hour>\d{1,2})(?::|h|\s*سا\s*)(?P<minute>\d\d)"  # 12:19, 12h19, 12سا19
    r"(?::(?P<second>\d\d)(?:[.,]\d+)?)?(?![\d:])"
    rf"|الساعه\s+(?P<bare_hour>\d{{1,2}})(?!\d)(?=\s*{_HALF}))"  # الساعة 8 مساءً
    rf"(?:\s*(?P<half>{_HALF}))?"
    rf"(?:\s*\(?(?P<offset>z{_NOT_LETTER_AFTER}|[+-]\d\d:?\d\d(?!\d)))?"
)
# بتوقيت، بالتوقيت …: spelt out, since an optional group at every position of a scan is slow
_TIME_OF = _alternation(("توقيت", "التوقيت", "بتوقيت", "بالتوقيت"))
_ZONE = (
    rf"(?:{_TIME_OF}\s+(?:مدينه\s+)?(?P<place>{_PLACES.pattern}){_NOT_LETTER_AFTER}"
    rf"|\(\s*(?P<bracketed>{_PLACES.pattern})\s*\)"
    rf"|{_NOT_LETTER_BEFORE}(?P<abbreviation>{_ABBREVIATIONS.pattern}){_NOT_LETTER_AFTER}"
    r"(?:\s?(?P<sign>[+-])(?P<hours>\d{1,2})(?::?(?P<minutes>\d\d))?(?!\d))?)"
)
_LABEL = rf"(?:{_alternation(_LABELS)}(?:\s+في)?\s*[:|-]?\s*)?"
_TIME_RE, _ZONE_RE = re.compile(_TIME), re.compile(_ZONE)
_MOST_AMOUNTS = 3  # منذ يوم و3 ساعات و20 دقيقة


def _amount(i: int) -> str:
    """A count of units (3 ساعات، ثلاث ساعات، ساعتين، 5 د), its groups numbered `i`."""
    return (
        rf"(?:(?P<n{i}>\d{{1,4}})|(?P<word{i}>{_NUMBER_WORDS.pattern}){_NOT_LETTER_AFTER})?\s*"
        rf"(?P<unit{i}>{_UNIT_WORDS.pattern}){_NOT_LETTER_AFTER}"
    )


def _joined_amounts() -> str:
    """Up to `_MOST_AMOUNTS` amounts joined by و: ساعة و20 دقيقة."""
    pattern = ""
    for i in reversed(range(1, _MOST_AMOUNTS)):
        pattern = rf"(?:\s*و\s*{_amount(i)}{pattern})?"
    return _amount(0) + pattern


# Not followed by a number or a fraction it would leave out: منذ عام 2020، منذ ساعة ونصف.
_AGO_END = rf"(?!\s*(?:و\s*)?(?:\d|(?:نصف|ربع|ثلث|الا){_NOT_LETTER_AFTER}))"
_AGO_RE = re.compile(
    rf"\s*{_LABEL}(?:منذ|قبل)\s+(?:(?:حوالي|نحو)\s+)?{_joined_amounts()}{_AGO_END}"
)
_TIME_AFTER = (  # what may follow a day: , الساعة 10:00 ص بتوقيت مكة
    rf"(?:\s*[,|-]?\s*(?:(?:في|علي)\s+)?(?:الساعه\s+)?{_TIME})?(?:\s*\(?\s*{_ZONE}\s*\)?)?[\s.]*"
)
_TIME_AFTER_RE = re.compile(_TIME_AFTER)
_DAY_WORD_RE = re.compile(
    rf"\s*{_LABEL}(?P<day>{_DAY_WORDS.pattern}){_NOT_LETTER_AFTER}{_TIME_AFTER}"
)
_YEARISH_RE = re.compile(r"\d{3}")  # a number that may be a year
_DIGIT_RE = re.compile(r"\d")
_ISO_RE = re.compile(
    r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d(?::?\d\d)?)?)?",
    re.ASCII,
)
_YEARS = range(1900, 2101)  # Gregorian years accepted
_HIJRI_BELOW = 1600  # a numeric date with a smaller year is Hijri (1446/05/27)

# --- Parsing -------------------------------------------------------------------------------


def parse_date(
    text: str, *, tz: str = "Asia/Damascus", now: datetime | None = None
) -> datetime | None:
    """The date (and time) that `text` names, aware: in its explicit zone, else in `tz`.

    Returns a `DateOnly` when the text names no time of day and None when it is not a date.
    Relative forms are read against `now` (default: the current time; naive means in `tz`).
    """
    zone = _zone(tz)
    machine = _parse_iso(text.strip(), zone)
    if machine is not None:
        return machine
    normal = _normalise(text)
    ago = _AGO_RE.match(normal)
    if ago is None or _DIGIT_RE.search(normal, ago.end()):  # else no day can follow it
        day = _find_day(normal, lambda: _now_in(zone, now).date() + timedelta(days=1))
        if day is not None:
            return _at_time_of(day, normal, zone)
    return _parse_relative(ago, normal, zone, now)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=64)
def _fixed_zone(minutes: int) -> timezone | None:
    """A fixed offset, None when no place on Earth has it."""
    if abs(minutes) > 14 * 60:
        return None
    return timezone(timedelta(minutes=minutes)) if minutes else UTC


def _parse_iso(text: str, zone: ZoneInfo) -> datetime | None:
    """Fast path for ISO 8601 (`2024-11-29`, `2024-11-29T12:19:00+03:00`, `…Z`)."""
    if not _ISO_RE.fullmatch(text):
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.year not in _YEARS:
        return None
    if len(text) == 10:
        return _date_only(value, zone)
    return value if value.tzinfo else value.replace(tzinfo=zone)


def _date_only(day: date, zone: tzinfo) -> DateOnly:
    return DateOnly(day.year, day.month, day.day, tzinfo=zone)


class _Found(NamedTuple):
    start: int
    hijri: bool
    yearless: bool
    day: date | None  # None: the text names an impossible date


def _find_day(text: str, latest: Callable[[], date]) -> date | None:
    """The first Gregorian day in `text`, else its first Hijri day, converted.

    A day without a year counts only when no day has one. `latest` is the latest day a text
    can name when it gives no year or two digits: tomorrow, for clock and zone skew.
    When both calendars are given (… 1446 هـ الموافق 29 نوفمبر 2024 م) the Gregorian day
    wins, and a disagreement of more than a day is logged.
    """
    patterns = (_ORDINAL_DATE_RE, *_DATE_RES) if _DIGIT_RE.search(text) else (_ORDINAL_DATE_RE,)
    found = [
        one
        for pattern in patterns
        for match in pattern.finditer(text)
        if (one := _found(match, text, latest)) is not None
    ]
    found = [f for f in found if not f.yearless] or found
    found.sort(key=lambda f: f.start)
    gregorian = [f.day for f in found if not f.hijri]
    hijri = [f.day for f in found if f.hijri]
    if not gregorian:
        return hijri[0] if hijri else None
    day = gregorian[0]
    if day is not None and hijri and (hijri[0] is None or abs((day - hijri[0]).days) > 1):
        _log.warning("Hijri and Gregorian dates disagree (%s, %s) in %r", hijri[0], day, text)
    return day


def _found(match: re.Match[str], text: str, latest: Callable[[], date]) -> _Found | None:
    """The day a `_DATE_RES` match names; None when the match is no day after all."""
    groups = match.groupdict()
    if groups["m"].isdigit():
        return _numeric(match.start(), groups, latest)
    ordinal = groups.get("o")
    day_group = "o" if ordinal else "d"
    if not _is_day(text, match.start(day_group), groups[day_group]):
        return None
    hijri, month = _MONTHS[groups["m"]]
    yearless = groups.get("y") is None
    other = groups.get("m2")
    if (other and _MONTHS[other] != (hijri, month)) or (groups.get("hmark") and not hijri):
        return _Found(match.start(), hijri, yearless, None)
    day = _ORDINAL_DAYS[ordinal] if ordinal else int(groups["d"])
    if yearless:
        if hijri or not _stands_alone(match, text):
            return None
        return _Found(match.start(), False, True, _latest_day(month, day, latest()))
    convert = _hijri_day if hijri else _gregorian_day
    return _Found(match.start(), hijri, False, convert(int(groups["y"]), month, day))


def _numeric(start: int, groups: dict[str, str], latest: Callable[[], date]) -> _Found | None:
    """2024/11/29, 29/11/2024, 1446/05/27 هـ, and 29/11/24: this century, not after `latest`."""
    first, last, hmark = groups["first"], groups["last"], bool(groups["hmark"])
    short = len(first) <= 2 and len(last) == 2 and not hmark
    if len(first) == 4 and len(last) <= 2:
        year, day = int(first), int(last)
    elif (len(first) <= 2 and len(last) == 4) or short:
        year, day = int(last), int(first)
    else:
        return None
    month = int(groups["m"])
    if month > 12 >= day:  # 11/29/2024: only month-first makes sense
        month, day = day, month
    if short:  # two digits are no year of a day that cannot be, or is still to come
        found = _gregorian_day(2000 + year, month, day)
        return _Found(start, False, False, found) if found and found <= latest() else None
    hijri = hmark or year < _HIJRI_BELOW
    convert = _hijri_day if hijri else _gregorian_day
    return _Found(start, hijri, False, convert(year, month, day))


def _is_day(text: str, start: int, word: str) -> bool:
    """Whether the day `word` at `start` is one: not the end of a month's name (كانون الثاني،
    كانون 2، ك2), and, spelt out, a word of its own (not والخامس)."""
    if not word.isdigit() and start and text[start - 1].isalpha():
        return False
    before = text[:start].rsplit(maxsplit=1)  # normalised text: keys but for spaces
    return not before or "".join((before[-1] + word).split()) not in _MONTHS.values


def _stands_alone(match: re.Match[str], text: str) -> bool:
    """Whether a day without a year (28 نوفمبر) is all the date: nothing but a time follows
    it, and no number that may be its year precedes it."""
    return bool(_TIME_AFTER_RE.fullmatch(text, match.end())) and not _YEARISH_RE.search(
        text, 0, match.start()
    )


def _latest_day(month: int, day: int, latest: date) -> date | None:
    """The latest `day` of `month` not after `latest`; 29 February may be years back."""
    for year in range(latest.year, latest.year - 8, -1):
        found = _gregorian_day(year, month, day)
        if found is not None and found <= latest:
            return found
    return None


def _gregorian_day(year: int, month: int, day: int) -> date | None:
    if year not in _YEARS:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _hijri_day(year: int, month: int, day: int) -> date | None:
    """Umm al-Qura. Day 30 of a 29-day month is the day after the 29th: sightings differ."""
    if not 1 <= day <= 30:
        return None
    try:
        first = Hijri(year, month, 1).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return date.fromordinal(first.toordinal() + day - 1)


def _at_time_of(day: date, text: str, zone: ZoneInfo) -> datetime | None:
    """`day` at the time of day `text` names, in its zone; a `DateOnly` if it names none."""
    match = _TIME_RE.search(text)
    if match is None:
        return _date_only(day, zone)
    clock = _clock(match)
    if clock is None:
        return None
    return datetime.combine(day, clock, tzinfo=clock.tzinfo or _zone_in(text) or zone)


def _clock(match: re.Match[str]) -> time | None:
    """The time of a `_TIME` match, with its attached offset if any; None if impossible."""
    hour = int(match["hour"] or match["bare_hour"])
    minute, second = int(match["minute"] or 0), int(match["second"] or 0)
    if match["half"]:
        half = _HALVES[match["half"]]
        if hour == 12 and half.twelve_is_zero:
            hour = 0
        elif hour in half.later:
            hour += 12
        elif hour > 12 and half is _AM:
            return None
    offset = None
    if match["offset"]:
        offset = UTC if match["offset"] == "z" else _parse_offset(match["offset"])
        if offset is None:
            return None
    try:
        return time(hour, minute, second, tzinfo=offset)
    except ValueError:
        return None


def _parse_offset(text: str) -> timezone | None:
    """`+03:00` or `+0300`."""
    digits = text[1:].replace(":", "")
    return _fixed_zone(_minutes(text[0], digits[:2], digits[2:]))


def _minutes(sign: str | None, hours: str | None, minutes: str | None) -> int:
    """The signed minutes of an offset's parts."""
    value = int(hours or 0) * 60 + int(minutes or 0)
    return -value if sign == "-" else value


def _zone_in(text: str) -> tzinfo | None:
    """The zone a phrase names: بتوقيت مكة المكرمة، (GMT+0400)، ت.غ …"""
    match = _ZONE_RE.search(text)
    if match is None:
        return None
    place = match["place"] or match["bracketed"]
    if place:
        return _zone(_PLACES[place])
    offset = _minutes(match["sign"], match["hours"], match["minutes"])
    return _fixed_zone(_ABBREVIATIONS[match["abbreviation"]] + offset)


def _parse_relative(
    ago: re.Match[str] | None, text: str, zone: ZoneInfo, now: datetime | None
) -> datetime | None:
    """منذ ساعتين (`ago`, the `_AGO_RE` match), منذ ساعة و20 دقيقة، أمس، اليوم 09:30 …,
    against `now`."""
    if ago is not None:
        return _ago(ago, _now_in(zone, now), zone)
    named = _DAY_WORD_RE.fullmatch(text)
    if named is None:
        return None
    back = _DAY_WORDS[named["day"]]
    return _at_time_of(_now_in(zone, now).date() - timedelta(days=back), text, zone)


def _now_in(zone: ZoneInfo, now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(zone)
    return now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)


def _ago(match: re.Match[str], now: datetime, zone: ZoneInfo) -> datetime | None:
    """The instant (or day, when every unit is days or longer) an `_AGO_RE` match names."""
    amounts = _amounts_of(match)
    if amounts is None:
        return None
    back = {kind: 0 for kind in _KIND_SECONDS}
    for span, count in amounts:
        back[span.kind] += count * span.size
    day = _months_before(now.date(), back["months"])
    if day is None or (day := day - timedelta(days=back["days"])).year not in _YEARS:
        return None
    if all(span.kind != "seconds" for span, _ in amounts):
        return _date_only(day, zone)
    wall = now.replace(year=day.year, month=day.month, day=day.day)
    instant = wall.astimezone(UTC) - timedelta(seconds=back["seconds"])
    return instant.astimezone(zone).replace(microsecond=0)


def _amounts_of(match: re.Match[str]) -> list[tuple[_Span, int]] | None:
    """The (unit, count) of each amount; None if one is vague (منذ ساعات) or out of order."""
    amounts: list[tuple[_Span, int]] = []
    for i in range(_MOST_AMOUNTS):
        if match[f"unit{i}"] is None:
            break
        span, count = _amount_of(match, i)
        if count is None or (amounts and amounts[-1][0].length <= span.length):
            return None
        amounts.append((span, count))
    return amounts


def _amount_of(match: re.Match[str], i: int) -> tuple[_Span, int | None]:
    span, count = _UNIT_WORDS[match[f"unit{i}"]]
    if match[f"n{i}"]:
        return span, int(match[f"n{i}"])
    if match[f"word{i}"]:
        return span, _NUMBER_WORDS[match[f"word{i}"]]
    return span, count


def _months_before(day: date, months: int) -> date | None:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    if year not in _YEARS:
        return None
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
