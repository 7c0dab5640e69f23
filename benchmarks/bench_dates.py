"""parse_date against dateparser on the project's date battery: strings per second, accuracy.

dateparser is called as a generic tool would be, `languages=['ar', 'en']`, with the battery's
`now` as its RELATIVE_BASE so that relative forms can be right; a second row gives it the
strict settings a careful caller would use. Accuracy follows the battery's rules on the
returned datetimes: same day for a date-only row (dateparser cannot say "no time"), same
wall-clock minute for a time, same offset too when the row has one, None for NONE. Each speed
is the best of a few rounds timed in this process's CPU time: both parsers are single-threaded
and CPU-bound, so on an idle machine that is the wall time, and on a shared one the work of
other processes does not decide the ratio.

    python -m benchmarks.bench_dates
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dateparser

from benchmarks.report import best_seconds, print_table
from scraper.core.dates import parse_date

BATTERY = Path(__file__).resolve().parents[1] / "tests" / "data" / "dates_battery.tsv"
ZONE = "Asia/Damascus"
NOW = datetime(2024, 11, 29, 12, 0, tzinfo=ZoneInfo(ZONE))
OURS_PASSES, DATEPARSER_PASSES, ROUNDS = 25, 1, 4

Parser = Callable[[str], datetime | None]


def read_battery() -> list[tuple[str, str]]:
    lines = BATTERY.read_text(encoding="utf-8").split("\n")
    return [
        (text, expected)
        for text, expected, _ in (
            line.split("\t") for line in lines if line.strip() and not line.startswith("#")
        )
    ]


def correct(expected: str, value: datetime | None) -> bool:
    if value is None or expected == "NONE":
        return value is None and expected == "NONE"
    if len(expected) == len("2024-11-29"):
        return value.date().isoformat() == expected
    if len(expected) == len("2024-11-29T12:19"):
        return value.strftime("%Y-%m-%dT%H:%M") == expected
    return value.isoformat(timespec="minutes") == expected


def ours(text: str) -> datetime | None:
    return parse_date(text, tz=ZONE, now=NOW)


def plain_dateparser(text: str) -> datetime | None:
    return dateparser.parse(
        text, languages=["ar", "en"], settings={"RELATIVE_BASE": NOW.replace(tzinfo=None)}
    )


def strict_dateparser(text: str) -> datetime | None:
    settings = {
        "RELATIVE_BASE": NOW.replace(tzinfo=None),
        "TIMEZONE": ZONE,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month", "year"],
        "STRICT_PARSING": True,
    }
    return dateparser.parse(text, languages=["ar", "en"], settings=settings)


def measure(parser: Parser, rows: list[tuple[str, str]], passes: int) -> tuple[float, int]:
    """Strings per second, the best of `ROUNDS` rounds of `passes` passes (after a warm-up
    pass that counts the rows right), and the rows right."""
    right = sum(correct(expected, parser(text)) for text, expected in rows)
    texts = [text for text, _ in rows] * passes
    best = best_seconds(lambda: [parser(text) for text in texts], ROUNDS)
    return len(texts) / best, right


def run() -> list[dict[str, object]]:
    dates_log = logging.getLogger("scraper.core.dates")  # the battery's disagreeing calendars
    level = dates_log.level
    dates_log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dateparser's deprecation chatter
            return _compare(read_battery())
    finally:
        dates_log.setLevel(level)


def _compare(rows: list[tuple[str, str]]) -> list[dict[str, object]]:
    speed, right = measure(ours, rows, OURS_PASSES)
    table = []
    for name, parser in (
        ("dateparser.parse(languages=['ar','en'])", plain_dateparser),
        ("dateparser.parse(languages=['ar','en'], strict settings)", strict_dateparser),
    ):
        their_speed, their_right = measure(parser, rows, DATEPARSER_PASSES)
        table.append(
            {
                "benchmark": "parse_date, strings/s on the date battery",
                "baseline": name,
                "ratio": round(speed / their_speed, 1),
                "figures": f"{speed:,.0f}/s vs {their_speed:,.0f}/s; accuracy "
                f"{right}/{len(rows)} ({right / len(rows):.1%}) vs "
                f"{their_right}/{len(rows)} ({their_right / len(rows):.1%})",
            }
        )
    return table


if __name__ == "__main__":
    print_table(run())
