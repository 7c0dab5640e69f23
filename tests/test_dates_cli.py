"""`akhbar parse-date`: the shared battery, the project battery, one line out per line in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, shared_path
from tests.test_dates import BATTERY, matches, read_battery

COMMAND = [sys.executable, "-m", "scraper.cli", "parse-date", "--now", "2024-11-29T12:00:00+03:00"]


def parse_lines(lines: list[str], *options: str) -> list[str]:
    """The command's output lines for `lines` on stdin (UTF-8 whatever the locale)."""
    done = subprocess.run(
        [*COMMAND, *options],
        input="\n".join(lines) + "\n",
        capture_output=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return done.stdout.split("\n")[:-1]


def score(battery: Path) -> tuple[int, list[str]]:
    """How many rows of `battery` the command gets right, and a line per failure."""
    rows = read_battery(battery)
    outputs = parse_lines([text for text, _, _ in rows])
    assert len(outputs) == len(rows)
    failures = [
        f"{category}: {text!r} expected {expected}, got {got or 'NONE'}"
        for (text, expected, category), got in zip(rows, outputs, strict=True)
        if not matches(expected, got)
    ]
    return len(rows), failures


def test_shared_battery() -> None:
    total, failures = score(shared_path("corpus", "dates.tsv"))
    assert total == 55
    assert not failures, f"{total - len(failures)}/{total}:\n" + "\n".join(failures)


def test_project_battery() -> None:
    total, failures = score(BATTERY)
    assert not failures, f"{total - len(failures)}/{total}:\n" + "\n".join(failures)


def test_one_line_out_per_line_in() -> None:
    lines = [
        "",
        "   ",
        "\t",
        "garbage ✓ ###",
        "29 نوفمبر 2024",
        "29 نوفمبر 2024\u2028مع فاصل سطر يونيكود",
        "١٢:١٩ م",
        "منذ ساعتين\r",
        "\x00",
        "",
    ]
    assert parse_lines(lines) == [
        "",
        "",
        "",
        "",
        "2024-11-29",
        "2024-11-29",
        "",
        "2024-11-29T10:00:00+03:00",
        "",
        "",
    ]


def test_tz_option() -> None:
    texts = ["15 يوليو 2024 12:00", "15 ديسمبر 2024 12:00", "منذ ساعة"]
    assert parse_lines(texts, "--tz", "Africa/Cairo") == [
        "2024-07-15T12:00:00+03:00",
        "2024-12-15T12:00:00+02:00",
        "2024-11-29T10:00:00+02:00",
    ]


def test_bad_options_are_usage_errors() -> None:
    for option in (["--tz", "Mars/Olympus"], ["--now", "yesterday"]):
        done = subprocess.run(
            [*COMMAND, *option], input="", capture_output=True, text=True, cwd=ROOT, check=False
        )
        assert done.returncode == 2
        assert option[1] in done.stderr
