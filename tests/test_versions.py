"""Story versions: ``akhbar versions`` lists a URL's records oldest first with a word-level diff
of title and body, and ``akhbar export --versions latest`` keeps the latest of each URL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scraper.cli.main import main
from scraper.core.normalize import normalize_record
from scraper.core.page import Page
from scraper.core.record import ordered
from scraper.dataset.versions import marked_diff, tokens
from scraper.extract.record import record_from_page
from scraper.store.files import output_path

URL = "https://news.example/2024/05/plan"
OTHER = "https://news.example/2024/05/other"
FIRST = "قال الوزير إن الخطة تبدأ الشهر المقبل وتشمل قروضا ميسرة لصغار المزارعين في الوادي."
SECOND = "وأضاف أن الوزارة ستوزع بذورا محسنة على المزارعين في المحافظات الجنوبية."


def article(url: str, title: str, body: list[str], version: int, fetched: str) -> dict[str, Any]:
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    html = (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{paragraphs}</body></html>"
    )
    record = record_from_page(Page(url, html))
    record.update(published="2024-05-01", version=version, fetched_at=fetched)
    return normalize_record(record)


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    records = [
        article(URL, "خطة لدعم المزارعين", [FIRST, SECOND], 1, "2024-05-01T08:00:00+00:00"),
        article(
            URL,
            "خطة جديدة لدعم المزارعين",
            [FIRST.replace("الشهر", "الأسبوع"), SECOND],
            2,
            "2024-05-01T12:00:00+00:00",
        ),
        article(
            URL,
            "خطة جديدة لدعم المزارعين",
            [FIRST.replace("الشهر", "الأسبوع")],
            3,
            "2024-05-02T08:00:00+00:00",
        ),
        article(OTHER, "افتتاح سوق للمنتجات الريفية", [SECOND], 1, "2024-05-01T09:00:00+00:00"),
    ]
    for record in records:
        path = output_path(tmp_path, record)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(ordered(record), ensure_ascii=False) + "\n")
    return tmp_path


def test_versions_shows_each_version_and_what_changed(dataset: Path, capsys) -> None:
    assert main(["versions", str(dataset), URL, "--context", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{URL}: 3 version(s)"
    assert [line.split()[1] for line in out if line.startswith("version")] == ["1", "2", "3"]
    assert "  title: خطة {+جديدة+} لدعم المزارعين" in out
    assert "  body:  … إن الخطة تبدأ [-الشهر-] {+الأسبوع+} المقبل وتشمل قروضا …" in out
    assert out[-1].startswith("  body:  … في الوادي.[-¶ وأضاف")  # the second paragraph removed


def test_versions_of_an_unknown_url(dataset: Path, capsys) -> None:
    assert main(["versions", str(dataset), "https://news.example/none"]) == 1
    assert "no record" in capsys.readouterr().err


def test_tokens_are_arabic_aware() -> None:
    assert [t.strip() for t in tokens("قالَ مُحَمَّد، «وبالمدرسة» ١٢٫٥")] == [
        "قالَ", "مُحَمَّد", "،", "«", "وبالمدرسة", "»", "١٢٫٥",
    ]  # fmt: skip
    assert marked_diff(tokens("قال مُحَمَّد"), tokens("قال محمد")) == "قال [-مُحَمَّد-] {+محمد+}"


def exported_urls(dataset: Path, out: Path, *options: str) -> list[tuple[str, int]]:
    args = ["export", str(dataset), "--format", "jsonl", "--out", str(out), *options]
    assert main(args) == 0
    rows = [json.loads(line) for path in out.glob("site=*/month=*/*.jsonl") for line in path.open()]
    return sorted((row["url"], row["version"]) for row in rows)


def test_export_keeps_every_version_or_the_latest(dataset: Path, tmp_path: Path) -> None:
    every = exported_urls(dataset, tmp_path / "all")
    assert every == [(OTHER, 1), (URL, 1), (URL, 2), (URL, 3)]
    assert exported_urls(dataset, tmp_path / "latest", "--versions", "latest") == [
        (OTHER, 1),
        (URL, 3),
    ]
    card = (tmp_path / "latest" / "README.md").read_text("utf-8")
    assert "--versions latest" in card
    deduped = exported_urls(dataset, tmp_path / "both", "--versions", "latest", "--dedup", "exact")
    assert deduped == [(OTHER, 1), (URL, 3)]
