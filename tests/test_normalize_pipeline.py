"""NormalizePipeline on record dicts and Items, and `akhbar normalize` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.utils.deprecate import argument_is_required

from pipelines.normalize import NormalizePipeline
from scraper.core.arabic_text import content_hash, fold

ROOT = Path(__file__).resolve().parents[1]


def raw_record() -> dict[str, Any]:
    return {
        "url": "https://example.com/news/\u200fخبر",
        "title": "\u200f ﻻ تراجع\u00a0عن «الخطة»  ",
        "lead": "قالَ الوزير\t\tإن العمل\nمستمر\u200b",
        "section": "\ufeffسياسة",
        "tags": ["اقتصاد\u00ad", "\u200b", "  ", "نفط"],
        "authors": ["\u202bأحمد علي\u202c", ""],
        "body": ["الفقرة\u00a0الأولى ", "", "\u2066\u2069", "ﺍﻟﻔﻘﺮﺓ الثانية ٢٠٢٤"],
        "images": [
            {
                "url": "https://example.com/img/\u200b1.jpg",
                "caption": "صورة\u200e  الاجتماع",
                "credit": "\u200f",
                "alt": None,
            }
        ],
        "related": [{"url": "https://example.com/\u00a0x", "title": "خبر\u2028ذو صلة"}],
    }


def test_normalizes_every_text_field() -> None:
    record = NormalizePipeline().process_item(raw_record(), None)
    assert record["title"] == "لا تراجع عن «الخطة»"
    assert record["lead"] == "قالَ الوزير إن العمل مستمر"
    assert record["section"] == "سياسة"
    assert record["tags"] == ["اقتصاد", "نفط"]
    assert record["authors"] == ["أحمد علي"]
    assert record["body"] == ["الفقرة الأولى", "الفقرة الثانية ٢٠٢٤"]
    assert record["images"] == [
        {
            "url": "https://example.com/img/\u200b1.jpg",
            "caption": "صورة الاجتماع",
            "credit": None,
            "alt": None,
        }
    ]
    assert record["related"] == [{"url": "https://example.com/\u00a0x", "title": "خبر ذو صلة"}]


def test_leaves_urls_untouched() -> None:
    record = NormalizePipeline().process_item(raw_record(), None)
    assert record["url"] == raw_record()["url"]


def test_sets_search_fields_and_hash() -> None:
    record = NormalizePipeline().process_item(raw_record(), None)
    assert record["title_search"] == 'لا تراجع عن "الخطه"'
    assert record["body_search"] == ["الفقره الاولي", "الفقره الثانيه 2024"]
    assert record["content_hash"] == content_hash(record["title"], record["body"])
    assert len(record["content_hash"]) == 64


def test_body_search_is_index_aligned_with_body() -> None:
    record = NormalizePipeline().process_item({"title": "عنوان", "body": ["ـــ", "نص"]})
    assert record["body"] == ["ـــ", "نص"]
    assert record["body_search"] == ["", "نص"]


def test_variant_records_get_the_same_hash() -> None:
    plain = {"title": 'لا تراجع عن "الخطة"', "body": ["الفقرة الأولى", "الفقرة الثانية 2024"]}
    variant = raw_record()
    variant["title"] = "\u200fلا تَراجُع عن \u201cالخطة\u201d"
    pipeline = NormalizePipeline()
    hashes = {pipeline.process_item(r, None)["content_hash"] for r in (plain, variant)}
    assert len(hashes) == 1


def test_tolerates_missing_keys() -> None:
    record = NormalizePipeline().process_item({"url": "https://example.com/a"}, None)
    assert record == {
        "url": "https://example.com/a",
        "title_search": None,
        "body_search": [],
        "content_hash": content_hash("", []),
    }


def test_tolerates_none_values() -> None:
    record: dict[str, Any] = dict.fromkeys(("title", "lead", "section", "tags", "body", "related"))
    record["images"] = [{"url": "https://example.com/i.jpg"}]
    out = NormalizePipeline().process_item(record, None)
    assert out["title"] is None and out["lead"] is None and out["section"] is None
    assert out["tags"] == [] and out["body"] == []
    assert out["images"] == [{"url": "https://example.com/i.jpg"}]
    assert out["title_search"] is None


def test_text_that_normalises_to_nothing_becomes_none() -> None:
    record = NormalizePipeline().process_item({"title": "\u200f\u00a0", "lead": "\ufeff"})
    assert record["title"] is None and record["lead"] is None
    assert record["title_search"] is None


def test_title_with_nothing_to_search_has_no_title_search() -> None:
    assert NormalizePipeline().process_item({"title": "ـ\u064e"})["title_search"] is None


def test_returns_the_same_object() -> None:
    record = raw_record()
    assert NormalizePipeline().process_item(record, None) is record


class Article(scrapy.Item):
    title = scrapy.Field()
    body = scrapy.Field()
    tags = scrapy.Field()
    title_search = scrapy.Field()
    body_search = scrapy.Field()
    content_hash = scrapy.Field()


def test_works_on_scrapy_items() -> None:
    item = Article(title="عنوان\u200f", body=["نص\u00a0أول", "\u200b"])
    out = NormalizePipeline().process_item(item, None)
    assert out is item
    assert dict(item) == {
        "title": "عنوان",
        "body": ["نص أول"],
        "title_search": "عنوان",
        "body_search": ["نص اول"],
        "content_hash": content_hash("عنوان", ["نص أول"]),
    }


def test_does_not_require_the_deprecated_spider_argument() -> None:
    assert not argument_is_required(NormalizePipeline().process_item, "spider")


# --- the CLI ------------------------------------------------------------------------------------

INPUT = (
    "\ufeffقالَ\u00a0الوزير  «نعم»\r\n"  # BOM, NBSP, CRLF
    "\n"  # empty line
    "\u200f\u200b\n"  # invisible only
    "ﻻ ﺗﺮاﺟﻊ عام ٢٠٢٤؟\n"
    "BBC News\u2028عاجل"  # no final newline
)


def run_cli(*args: str, stdin: bytes) -> list[str]:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    env.pop("PYTHONIOENCODING", None)
    done = subprocess.run(
        [sys.executable, "-m", "scraper.cli", "normalize", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=True,
    )
    assert done.stdout.endswith(b"\n")
    return done.stdout.decode("utf-8").split("\n")[:-1]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ["قالَ الوزير «نعم»", "", "", "لا تراجع عام ٢٠٢٤؟", "BBC News عاجل"]),
        (("--fold",), ['قال الوزير "نعم"', "", "", "لا تراجع عام 2024?", "bbc news عاجل"]),
    ],
    ids=["faithful", "fold"],
)
def test_cli_writes_one_line_per_input_line(args: tuple[str, ...], expected: list[str]) -> None:
    assert run_cli(*args, stdin=INPUT.encode("utf-8")) == expected


def test_cli_replaces_undecodable_bytes() -> None:
    assert run_cli("--fold", stdin=b"\xd8\xa3\xff\n") == [fold("أ\ufffd")]
