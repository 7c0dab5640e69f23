"""The seen-store and the crash-safe writer, piece by piece."""

from __future__ import annotations

import json
from pathlib import Path

from scrapy import Request
from scrapy.utils.test import get_crawler

from pipelines.write import JsonLinesWriter
from scraper.crawl.dupefilters import DiskDupeFilter
from scraper.crawl.middlewares.skip_seen import changed_since
from scraper.store.files import append_atomically
from scraper.store.seen import Entry, SeenStore


def entry(url: str, path: Path, digest: str = "a" * 64, version: int = 1) -> Entry:
    return Entry(url, digest, version, "2024-11-29T12:19:00+03:00", str(path))


def line(url: str, digest: str = "a" * 64) -> str:
    return json.dumps({"url": url, "content_hash": digest}) + "\n"


def test_staged_entries_are_seen_only_once_committed(tmp_path):
    store = SeenStore(tmp_path / "seen.sqlite")
    store.stage([entry("http://x/1", tmp_path / "a.jsonl")])
    assert "http://x/1" not in store
    assert store.commit_staged() == 1
    assert "http://x/1" in store
    assert store.get("http://x/1").version == 1


def test_recovery_keeps_lines_that_landed_and_forgets_the_others(tmp_path):
    data = tmp_path / "day.jsonl"
    store = SeenStore(tmp_path / "seen.sqlite")
    store.stage([entry("http://x/1", data), entry("http://x/2", data)])
    append_atomically(data, [line("http://x/1")])  # the crash came before x/2's line
    store.close()

    reopened = SeenStore(tmp_path / "seen.sqlite")
    assert reopened.recover() == (1, 1)
    assert "http://x/1" in reopened and "http://x/2" not in reopened


def test_recovery_tells_a_new_version_from_the_old_line(tmp_path):
    data = tmp_path / "day.jsonl"
    store = SeenStore(tmp_path / "seen.sqlite")
    append_atomically(data, [line("http://x/1", "a" * 64)])
    store.stage([entry("http://x/1", data)])
    store.commit_staged()
    store.stage([entry("http://x/1", data, "b" * 64, version=2)])  # v2 never reached the file
    assert store.recover() == (0, 1)
    assert store.get("http://x/1").content_hash == "a" * 64


def test_append_atomically_adds_to_what_the_file_had(tmp_path):
    data = tmp_path / "day.jsonl"
    append_atomically(data, ["one\n"])
    append_atomically(data, ["two\n", "three\n"])
    assert data.read_text() == "one\ntwo\nthree\n"
    assert not (tmp_path / "day.jsonl.part").exists()


def test_written_lines_are_json_dumps_of_the_ordered_records_byte_for_byte(tmp_path):
    records = [  # keys in schema order
        {
            "url": f"https://www.enabbaladi.net/archives/{n}",
            "site": "enabbaladi",
            "title": "«عنب بلدي» تنشر: ارتفاع الأسعار في إدلب — ١٢٪",
            "published": "2024-05-01T10:00:00+03:00",
            "body": ['قال مسؤول: "الخبز" بـ ٤٠٠٠ ليرة،\tوالمازوت…', "\u200fسطر\\ثانٍ"],
            "images": [],
            "content_hash": f"h{n}",
            "version": 1,
            "duplicate_of": None,
        }
        for n in range(3)
    ]
    store = SeenStore(tmp_path / "seen.sqlite")
    writer = JsonLinesWriter(tmp_path / "out", store)
    for record in records:
        writer.process_item(dict(reversed(record.items())))  # the writer puts keys in order
    writer.close_spider()
    expected = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    written = tmp_path / "out" / "enabbaladi" / "2024-05-01.jsonl"
    assert written.read_bytes() == expected.encode("utf-8")
    assert "عنب بلدي" in written.read_text("utf-8")


def test_failures_count_attempts_and_stop_being_retried(tmp_path):
    store = SeenStore(tmp_path / "seen.sqlite")
    assert [store.record_failure("http://x/1", "http_500") for _ in range(3)] == [1, 2, 3]
    store.record_failure("http://x/2", "timeout")
    assert list(store.retryable(max_attempts=3)) == ["http://x/2"]


def test_known_before_tells_earlier_runs_from_this_one(tmp_path):
    store = SeenStore(tmp_path / "seen.sqlite")
    store.stage([entry("http://x/1", tmp_path / "a.jsonl")])
    store.commit_staged()
    assert store.known_before("http://x/1", "9999-01-01T00:00:00+00:00")
    assert not store.known_before("http://x/1", "2000-01-01T00:00:00+00:00")


def test_disk_dupefilter_filters_repeats():
    dupefilter = DiskDupeFilter.from_crawler(get_crawler())
    assert not dupefilter.request_seen(Request("http://x/1"))
    assert dupefilter.request_seen(Request("http://x/1"))
    assert not dupefilter.request_seen(Request("http://x/2"))
    dupefilter.close("finished")


def test_a_later_sitemap_date_means_changed():
    assert changed_since("2024-11-30T10:00:00+00:00", "2024-11-29T12:19:00+03:00")
    assert not changed_since("2024-11-29T09:19:00+00:00", "2024-11-29T12:19:00+03:00")
    assert not changed_since(None, "2024-11-29T12:19:00+03:00")
    assert not changed_since("not a date", "2024-11-29T12:19:00+03:00")
