"""scraper.core.dates: the project's date battery, the API's contract, and properties."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hijridate import Gregorian
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.core.dates import DateOnly, format_date, has_time, parse_date

BATTERY = Path(__file__).parent / "data" / "dates_battery.tsv"
DAMASCUS, CAIRO = ZoneInfo("Asia/Damascus"), ZoneInfo("Africa/Cairo")
NOW = datetime(2024, 11, 29, 12, 0, tzinfo=DAMASCUS)


def read_battery(path: Path) -> list[tuple[str, str, str]]:
    """The rows of a date battery: (text, expected, category); `#` lines are comments."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return [
        (text, expected, category)
        for text, expected, category in (
            line.split("\t") for line in lines if line.strip() and not line.startswith("#")
        )
    ]


def matches(expected: str, got: str) -> bool:
    """Whether `format_date` output (or "" for None) is what a battery row expects."""
    if expected == "NONE":
        return got == ""
    if len(expected) == len("2024-11-29"):
        return got == expected
    if len(got) != len("2024-11-29T12:19:00+03:00"):
        return False
    if len(expected) == len("2024-11-29T12:19"):
        return got[:16] == expected
    return got[:16] + got[19:] == expected


def formatted(text: str, *, tz: str = "Asia/Damascus", now: datetime = NOW) -> str:
    value = parse_date(text, tz=tz, now=now)
    return "" if value is None else format_date(value)


ROWS = read_battery(BATTERY)


CATEGORIES = {
    *("numeric", "msa", "levantine", "maghrebi", "moroccan", "dual-name", "digits", "prefix"),
    *("weekday", "time", "hijri", "dual-calendar", "timezone", "zone-dst", "relative"),
    *("machine", "rfc822", "english", "tatweel-diacritics", "not-a-date", "trap"),
    *("yearless", "two-digit-year", "ordinal-day"),
}


def test_battery_is_large_and_covers_every_category() -> None:
    assert len(ROWS) >= 500
    assert {category for _, _, category in ROWS} == CATEGORIES


@pytest.mark.parametrize(
    ("text", "expected"),
    [(text, expected) for text, expected, _ in ROWS],
    ids=[f"{category}-{i}" for i, (_, _, category) in enumerate(ROWS)],
)
def test_battery(text: str, expected: str) -> None:
    got = formatted(text)
    assert matches(expected, got), f"{text!r}: expected {expected}, got {got or 'NONE'}"


# --- The returned values -------------------------------------------------------------------


def test_date_only_is_midnight_in_the_site_zone() -> None:
    value = parse_date("الجمعة 29 نوفمبر 2024")
    assert isinstance(value, DateOnly)
    assert value == datetime(2024, 11, 29, tzinfo=DAMASCUS)
    assert value.tzinfo == DAMASCUS
    assert not has_time(value)
    assert format_date(value) == "2024-11-29"


def test_a_time_gives_an_aware_wall_time() -> None:
    value = parse_date("29 نوفمبر 2024 - 12:19 م")
    assert value is not None and has_time(value) and not isinstance(value, DateOnly)
    assert value == datetime(2024, 11, 29, 12, 19, tzinfo=DAMASCUS)
    assert format_date(value) == "2024-11-29T12:19:00+03:00"


def test_tz_argument_is_the_zone_of_texts_without_one() -> None:
    assert formatted("15 يوليو 2024 12:00", tz="Africa/Cairo") == "2024-07-15T12:00:00+03:00"
    assert formatted("15 ديسمبر 2024 12:00", tz="Africa/Cairo") == "2024-12-15T12:00:00+02:00"
    assert formatted("29 نوفمبر 2024", tz="Africa/Cairo") == "2024-11-29"
    assert parse_date("29 نوفمبر 2024", tz="Africa/Cairo") == datetime(2024, 11, 29, tzinfo=CAIRO)


def test_an_explicit_zone_beats_the_tz_argument() -> None:
    assert formatted("29 نوفمبر 2024 12:19 (GMT+0400)", tz="Africa/Cairo").endswith("+04:00")
    assert formatted("29 نوفمبر 2024 12:19 بتوقيت مكة", tz="Africa/Cairo").endswith("+03:00")
    assert formatted("2024-11-29T12:19:00Z", tz="Africa/Cairo") == "2024-11-29T12:19:00+00:00"


def test_unknown_tz_is_an_error() -> None:
    with pytest.raises(Exception, match="Mars"):
        parse_date("29 نوفمبر 2024", tz="Mars/Olympus")


def test_format_date() -> None:
    assert format_date(DateOnly(2024, 3, 1, tzinfo=DAMASCUS)) == "2024-03-01"
    utc = datetime(2024, 3, 1, 9, 5, 7, 999, tzinfo=UTC)
    assert format_date(utc) == "2024-03-01T09:05:07+00:00"  # seconds precision, never Z
    minus = timezone(-timedelta(hours=5))
    assert format_date(datetime(2024, 3, 1, 9, 5, tzinfo=minus)) == "2024-03-01T09:05:00-05:00"
    with pytest.raises(ValueError, match="naive"):
        format_date(datetime(2024, 3, 1, 9, 5))


def test_has_time() -> None:
    assert has_time(datetime(2024, 3, 1, tzinfo=UTC))
    assert not has_time(DateOnly(2024, 3, 1, tzinfo=UTC))


# --- Relative forms and `now` --------------------------------------------------------------


def test_naive_now_is_in_the_site_zone() -> None:
    now = datetime(2024, 11, 29, 1, 30)
    assert formatted("منذ ساعتين", now=now) == "2024-11-28T23:30:00+03:00"
    assert parse_date("أمس", now=now, tz="Africa/Cairo") == datetime(2024, 11, 28, tzinfo=CAIRO)


def test_aware_now_is_taken_to_the_site_zone() -> None:
    now = datetime(2024, 11, 28, 23, 0, tzinfo=UTC)  # 02:00 on the 29th in Damascus
    assert formatted("أمس", now=now) == "2024-11-28"
    assert formatted("اليوم 09:30", now=now) == "2024-11-29T09:30:00+03:00"


def test_hours_ago_count_real_time_across_a_clock_change() -> None:
    now = datetime(2024, 11, 1, 0, 30, tzinfo=CAIRO)  # Egypt left summer time an hour before
    assert formatted("منذ ساعتين", now=now, tz="Africa/Cairo") == "2024-10-31T23:30:00+03:00"


def test_default_now_is_the_current_time() -> None:
    before = datetime.now(DAMASCUS).date()
    value = parse_date("أمس")
    after = datetime.now(DAMASCUS).date()
    assert value is not None and value.date() in {
        before - timedelta(days=1),
        after - timedelta(days=1),
    }


def test_whole_days_ago_have_no_time_and_minutes_ago_do() -> None:
    for text in ("أمس", "اليوم", "منذ يومين", "منذ أسبوع", "منذ شهرين", "منذ سنة وشهرين"):
        value = parse_date(text, now=NOW)
        assert isinstance(value, DateOnly), text
    for text in ("منذ دقيقة", "منذ 3 ساعات", "أمس 18:00", "منذ 5 د", "منذ يوم وساعة"):
        value = parse_date(text, now=NOW)
        assert value is not None and has_time(value), text


@settings(max_examples=100, deadline=None)
@given(
    now=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)),
    hours=st.integers(1, 99),
    minutes=st.integers(1, 59),
    zone=st.sampled_from(("Asia/Damascus", "Africa/Cairo", "Europe/London")),
)
def test_hours_and_minutes_ago_are_their_sum_in_minutes(
    now: datetime, hours: int, minutes: int, zone: str
) -> None:
    compound = parse_date(f"منذ {hours} ساعة و {minutes} دقيقة", tz=zone, now=now)
    assert compound is not None
    assert compound == parse_date(f"منذ {hours * 60 + minutes} دقيقة", tz=zone, now=now)
    assert parse_date(f"منذ {minutes} دقيقة و {hours} ساعة", tz=zone, now=now) is None


# --- Hijri ---------------------------------------------------------------------------------


def test_disagreeing_calendars_are_logged_and_the_gregorian_day_wins(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="scraper.core.dates"):
        assert formatted("20 رجب 1446 هـ الموافق 29 نوفمبر 2024") == "2024-11-29"
    assert len(caplog.records) == 1
    assert "disagree" in caplog.records[0].getMessage()


@pytest.mark.parametrize(
    "text",
    [
        "27 جمادى الأولى 1446 هـ الموافق 29 نوفمبر 2024 م",
        "28 جمادى الأولى 1446 هـ الموافق 29 نوفمبر 2024",  # a day apart: sightings differ
    ],
)
def test_agreeing_calendars_are_not_logged(text: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="scraper.core.dates"):
        assert formatted(text) == "2024-11-29"
    assert not caplog.records


# --- Properties ----------------------------------------------------------------------------

MONTHS = (
    ("يناير", "كانون الثاني", "جانفي", "January"),
    ("فبراير", "شباط", "فيفري", "Feb"),
    ("مارس", "آذار", "March"),
    ("أبريل", "إبريل", "نيسان", "أفريل", "Apr"),
    ("مايو", "أيار", "ماي", "May"),
    ("يونيو", "يونيه", "حزيران", "جوان", "June"),
    ("يوليو", "يوليه", "تموز", "جويلية", "يوليوز", "Jul"),
    ("أغسطس", "اغسطس", "آب", "أوت", "غشت", "August"),
    ("سبتمبر", "أيلول", "شتنبر", "Sept"),
    ("أكتوبر", "تشرين الأول", "October"),
    ("نوفمبر", "تشرين الثاني", "نونبر", "Nov"),
    ("ديسمبر", "كانون الأول", "دجنبر", "December"),
)
HIJRI_MONTHS = (
    ("محرم", "المحرم"),
    ("صفر",),
    ("ربيع الأول", "ربيع الاول"),
    ("ربيع الآخر", "ربيع الثاني"),
    ("جمادى الأولى", "جمادى الاولى", "جمادي الأول"),
    ("جمادى الآخرة", "جمادى الثانية"),
    ("رجب",),
    ("شعبان",),
    ("رمضان",),
    ("شوال",),
    ("ذو القعدة", "ذي القعدة"),
    ("ذو الحجة", "ذي الحجة"),
)
DIGITS = ("0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹")
DAY_FORMS = (
    "{d} {month} {y}",
    "{weekday} {d} {month} {y}",
    "نشر في {d} من {month} {y}م",
    "{month} {d}، {y}",
    "{d}/{m}/{y}",
    "{y}-{m:02}-{d:02}",
    "{d:02}.{m:02}.{y}",
)
WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)),
    form=st.sampled_from(DAY_FORMS),
    digits=st.sampled_from(DIGITS),
    data=st.data(),
)
def test_any_day_written_any_way_reads_back(
    day: date, form: str, digits: str, data: st.DataObject
) -> None:
    month = data.draw(st.sampled_from(MONTHS[day.month - 1]))
    text = form.format(
        d=day.day, m=day.month, y=day.year, month=month, weekday=WEEKDAYS[day.weekday()]
    )
    text = text.translate(str.maketrans("0123456789", digits))
    assert parse_date(text) == DateOnly(day.year, day.month, day.day, tzinfo=DAMASCUS), text


@settings(max_examples=200, deadline=None)
@given(hour=st.integers(0, 23), minute=st.integers(0, 59), style=st.integers(0, 2))
def test_any_time_written_any_way_reads_back(hour: int, minute: int, style: int) -> None:
    twelve = hour % 12 or 12
    clock = (
        f"{hour:02}:{minute:02}",
        f"{twelve}:{minute:02} {'ص' if hour < 12 else 'م'}",
        f"{twelve:02}:{minute:02} {'صباحًا' if hour < 12 else 'مساءً'}",
    )[style]
    value = parse_date(f"الخميس 28 نوفمبر 2024 | {clock}")
    assert value == datetime(2024, 11, 28, hour, minute, tzinfo=DAMASCUS), clock


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(1925, 1, 1), max_value=date(2076, 12, 31)), data=st.data())
def test_any_hijri_day_reads_back_as_its_gregorian_day(day: date, data: st.DataObject) -> None:
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    month = data.draw(st.sampled_from(HIJRI_MONTHS[hijri.month - 1]))
    text = f"{hijri.day} {month} {hijri.year} هـ"
    assert parse_date(text) == DateOnly(day.year, day.month, day.day, tzinfo=DAMASCUS), text


ORDINAL_DAYS = (
    *("الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن"),
    *("التاسع", "العاشر", "الحادي عشر", "الثاني عشر", "الثالث عشر", "الرابع عشر"),
    *("الخامس عشر", "السادس عشر", "السابع عشر", "الثامن عشر", "التاسع عشر", "العشرين"),
    *("الحادي والعشرين", "الثاني والعشرين", "الثالث والعشرين", "الرابع والعشرين"),
    *("الخامس والعشرين", "السادس والعشرين", "السابع والعشرين", "الثامن والعشرين"),
    *("التاسع والعشرين", "الثلاثين", "الحادي والثلاثين"),
)


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)),
    of=st.sampled_from(("من ", "من شهر ", "")),
    data=st.data(),
)
def test_any_ordinal_day_reads_back(day: date, of: str, data: st.DataObject) -> None:
    month = data.draw(st.sampled_from(MONTHS[day.month - 1]))
    text = f"{ORDINAL_DAYS[day.day - 1]} {of}{month} {day.year}"
    assert parse_date(text) == DateOnly(day.year, day.month, day.day, tzinfo=DAMASCUS), text


@settings(max_examples=200, deadline=None)
@given(
    today=st.dates(min_value=date(1960, 1, 1), max_value=date(2090, 12, 31)),
    month=st.integers(1, 12),
    day=st.integers(1, 29),
    data=st.data(),
)
def test_a_day_without_a_year_is_the_latest_not_after_tomorrow(
    today: date, month: int, day: int, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(MONTHS[month - 1]))
    value = parse_date(f"{day} {name}", now=datetime.combine(today, datetime.min.time()))
    assert isinstance(value, DateOnly)
    tomorrow = today + timedelta(days=1)
    assert (value.month, value.day) == (month, day)
    assert value.date() <= tomorrow
    if (month, day) == (2, 29):
        assert value.year >= tomorrow.year - 4
    else:
        assert value.replace(year=value.year + 1).date() > tomorrow


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    separator=st.sampled_from("/.-"),
)
def test_two_digit_years_are_this_century_and_never_after_tomorrow(
    day: date, today: date, separator: str
) -> None:
    text = separator.join(f"{part:02}" for part in (day.day, day.month, day.year % 100))
    value = parse_date(text, now=datetime.combine(today, datetime.min.time()))
    if day > today + timedelta(days=1):
        assert value is None, text
    else:
        assert value == DateOnly(day.year, day.month, day.day, tzinfo=DAMASCUS), text


FUZZ_ALPHABET = "0123456789 :/-.,+صمهـ١٢٣نوفمبرأمسمنذساعةGMTZ"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(FUZZ_ALPHABET), max_size=40))
def test_any_text_gives_none_or_an_aware_datetime(text: str) -> None:
    value = parse_date(text, now=NOW)
    assert value is None or value.utcoffset() is not None
