"""akhbar ccnews end to end, over real HTTP to a CC-NEWS replica on 127.0.0.1 (Range
requests, dropped connections, 503s, a missing WARC) and from disk: registered sites, other
Arabic hosts, pages in other languages, non-HTML, redirects, windows-1256 without a charset,
a corrupt and a truncated gzip member; kill -9 mid-run, then exactly once; shards."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scraper.crawl.ccnews.language import is_arabic
from scraper.crawl.ccnews.listing import (
    Shard,
    captured,
    in_range,
    index_entries,
    index_path,
    months,
    remote_warcs,
)
from scraper.crawl.ccnews.remote import RemoteStream, Retry, Unavailable, fetch
from scraper.replica.ccnews import (
    ARABIC_HOST,
    ENAB_BALADI,
    Month,
    arabic_article,
    build_month,
    legacy_text,
    page,
    serving_warcs,
)
from scraper.replica.enabbaladi import expected
from scraper.replica.enabbaladi_pages import EnabBaladiReplica
from tests.conftest import ROOT, read_records, run_cli
from tests.test_import import failures, run_on_a_terminal, summary

DAYS = [date(2024, 11, 1), date(2024, 11, 2), date(2024, 11, 3)]
QUICK = ["--retries", "3", "--retry-wait", "0.05", "-s", "REMOTE_CONTROL_ENABLED=False"]


def warc_paths(month: Month) -> list[str]:
    return sorted(month.warcs)


def ccnews(base_url: str, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``akhbar ccnews`` over every day of DAYS from ``base_url``."""
    days = ["--from", str(DAYS[0]), "--to", str(DAYS[-1])]
    return run_cli("ccnews", *days, "--base-url", base_url, "--out", str(out), *QUICK, *args)


def urls(records: list[dict[str, Any]]) -> Counter[str]:
    return Counter(record["url"] for record in records)


def without_fetch_time(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["url"]: {k: v for k, v in r.items() if k != "fetched_at"} for r in records}


# --- the listing ------------------------------------------------------------------------------


def test_months_index_paths_and_capture_days():
    assert list(months(date(2024, 11, 20), date(2025, 2, 1))) == [
        (2024, 11),
        (2024, 12),
        (2025, 1),
        (2025, 2),
    ]
    assert index_path(2024, 3) == "crawl-data/CC-NEWS/2024/03/warc.paths.gz"
    name = "crawl-data/CC-NEWS/2024/11/CC-NEWS-20241130235959-01234.warc.gz"
    assert captured(name) == date(2024, 11, 30)
    assert in_range(name, date(2024, 11, 30), date(2024, 11, 30))
    assert not in_range(name, date(2024, 11, 1), date(2024, 11, 29))
    assert captured("my-crawl.warc.gz") is None and in_range("x.warc", date(2024, 1, 1), None)
    listing = b"a.warc.gz\n\n  b.warc.gz  \n"
    assert (
        index_entries(gzip.compress(listing))
        == index_entries(listing)
        == ["a.warc.gz", "b.warc.gz"]
    )


def test_shards_split_the_listing_into_disjoint_parts_whatever_its_order():
    names = [
        f"crawl-data/CC-NEWS/2024/11/CC-NEWS-20241101{n:06d}-{n:05d}.warc.gz" for n in range(400)
    ]
    parts = [Shard(i, 4) for i in range(1, 5)]
    held = [{name for name in names if part.holds(name)} for part in parts]
    assert sum(len(h) for h in held) == len(names) and set().union(*held) == set(names)
    assert all(60 < len(h) < 140 for h in held)  # roughly even
    assert {n for n in reversed(names) if parts[0].holds(n)} == held[0]
    assert Shard.parse(" 2/4 ") == Shard(2, 4)
    for bad in ("0/4", "5/4", "1", "a/b", "1/0"):
        with pytest.raises(ValueError, match="--shard"):
            Shard.parse(bad)


def test_the_listing_keeps_the_days_asked_for_and_reports_a_missing_month():
    month = build_month(DAYS, 2, 2)
    with serving_warcs(month.files()) as server:
        warcs, problems = remote_warcs(
            server.base_url, date(2024, 11, 2), date(2024, 12, 31), lambda u: fetch(u, Retry(0))
        )
    assert [w.key for w in warcs] == warc_paths(month)[2:]
    assert all(w.location == f"{server.base_url}/{w.key}" and w.remote for w in warcs)
    assert [(url.rsplit("/", 3)[-3:], detail.split(":")[0]) for url, detail in problems] == [
        (["2024", "12", "warc.paths.gz"], "http_404")
    ]


# --- language ---------------------------------------------------------------------------------


def test_arabic_pages_are_told_from_other_languages_in_the_same_script():
    replica = EnabBaladiReplica(ENAB_BALADI, 3)
    assert is_arabic(replica.article_html(replica.article(1)))
    _, _, html = arabic_article(7)
    assert is_arabic(html)
    assert is_arabic(html.replace('lang="ar"', 'lang="en-US"'))  # a CMS left on its default
    assert is_arabic(legacy_text(html))
    persian = "این گزارش درباره بودجه شهر است و مسئولان گفتند که برنامه منتشر خواهد شد. " * 5
    assert not is_arabic(page(ARABIC_HOST, "/fa", "fa", "بودجه", persian))
    assert not is_arabic(f"<html><body><p>{persian}</p></body></html>")  # by its letters alone
    english = page(ARABIC_HOST, "/en", "en", "News", "The council met on Tuesday. " * 20)
    assert not is_arabic(english)
    assert not is_arabic(english.replace("<h1>", "<h1>عاجل ")), "a word of Arabic is not enough"
    scripts = "<html lang='en'><script>var s = 'عربي عربي عربي عربي';</script><p>Hello</p>"
    assert not is_arabic(scripts)


# --- the stream -------------------------------------------------------------------------------


def test_a_stream_resumes_with_range_after_a_cut_and_retries_a_503():
    data = os.urandom(200_000)
    with serving_warcs({"a.warc.gz": data, "b.warc.gz": data}) as server:
        server.cut_once["a.warc.gz"] = 50_000
        server.fail_first["b.warc.gz"] = 2
        retry = Retry(attempts=3, wait=0.01)
        assert fetch(f"{server.base_url}/a.warc.gz", retry) == data
        with RemoteStream(f"{server.base_url}/b.warc.gz", 150_000, retry) as stream:
            assert stream.read() == data[150_000:] and stream.size == len(data)
        server.ranges = False  # a server that sends the whole file: the start is passed over
        with RemoteStream(f"{server.base_url}/a.warc.gz", 123_456, retry) as stream:
            assert stream.read() == data[123_456:]
    ranges = [asked for path, asked in server.requests if path == "a.warc.gz"]
    assert ranges == [None, "bytes=65536-", "bytes=123456-"]  # the cut at a 16 KiB chunk
    assert [asked for path, asked in server.requests if path == "b.warc.gz"] == [
        "bytes=150000-"
    ] * 3


def test_a_missing_file_fails_at_once_and_a_dead_server_after_the_retries():
    with serving_warcs({}) as server:
        base = server.base_url
        with pytest.raises(Unavailable) as missing:
            fetch(f"{base}/gone.warc.gz", Retry(attempts=5, wait=10))
        assert missing.value.reason == "http_404" and len(server.requests) == 1
        server.fail_first["busy.warc.gz"] = 99
        with pytest.raises(Unavailable) as busy:
            fetch(f"{base}/busy.warc.gz", Retry(attempts=2, wait=0.01))
        assert busy.value.reason == "http_503" and "after 2 retries" in busy.value.detail
    with pytest.raises(Unavailable) as refused:
        fetch(f"{base}/closed.warc.gz", Retry(attempts=1, wait=0.01))
    assert refused.value.reason == "connection_refused"


# --- whole runs -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def month() -> Month:
    return build_month(DAYS, 2, 12)


def damaged_files(month: Month) -> tuple[dict[str, bytes], set[str]]:
    """The month's files with a gzip member cut in the middle of one WARC and at the end of
    another; and the URLs of the articles whose records are lost with them."""
    files = month.files()
    paths = warc_paths(month)
    middle, end = paths[1], paths[4]
    members = month.warcs[middle]
    files[middle] = b"".join([*members[:6], members[6][: len(members[6]) // 2], *members[7:]])
    last = month.warcs[end][-1]
    files[end] = b"".join([*month.warcs[end][:-1], last[: len(last) // 2]])
    lost = {month.captures[middle][2].url, month.captures[end][-1].url}
    # the last capture of a WARC is taken again from the one before: it is lost only once
    assert all(c.record for c in (month.captures[middle][2], month.captures[end][-1]))
    return files, lost - _captured_elsewhere(
        month, lost, {middle: 2, end: len(month.captures[end]) - 1}
    )


def _captured_elsewhere(month: Month, urls: set[str], skip: dict[str, int]) -> set[str]:
    return {
        capture.url
        for path, captures in month.captures.items()
        for index, capture in enumerate(captures)
        if capture.url in urls and skip.get(path) != index
    }


def test_a_month_over_http_every_article_once_whatever_the_archive_holds(month, tmp_path):
    files, lost = damaged_files(month)
    paths = warc_paths(month)
    out = tmp_path / "out"
    with serving_warcs(files) as server:
        server.cut_once[paths[0]] = 40_000  # a connection dropped mid-WARC
        server.fail_first[paths[2]] = 1  # a server error, then the WARC
        result = ccnews(server.base_url, out, "--arabic-only", "--workers", "2")
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]  # damaged WARCs
    rows = summary(result.stdout)
    records = read_records(out)
    assert urls(records) == Counter(month.articles - lost)
    assert rows["written"] == len(month.articles - lost)
    assert (rows["WARC files"], rows["WARCs read to the end"], rows["WARCs failed"]) == (6, 6, 0)
    assert rows["skipped: not Arabic"] == 2 * 6  # English and Persian news
    assert rows["skipped: not HTML"] == rows["skipped: redirect"] == 6
    assert rows["skipped: not an article URL of its site"] == 6
    reasons = Counter(f["reason"] for f in failures(out))
    assert reasons == {"not_article": 6, "corrupt_warc": 1, "truncated_warc": 1}
    corrupt = next(f for f in failures(out) if f["reason"] == "corrupt_warc")
    assert corrupt["url"] == f"{server.base_url}/{paths[1]}" and "bytes " in corrupt["detail"]
    # Enab Baladi's pages went to its parser, field for field as a crawl gives them
    replica = EnabBaladiReplica(ENAB_BALADI, 100)
    by_url = {r["url"]: r for r in records}
    for number in (1, 13, 30, 50):
        truth = expected(replica.article(number), ENAB_BALADI)
        if truth["url"] in by_url:
            assert {k: by_url[truth["url"]][k] for k in truth} == truth
    # the other Arabic site's pages to the generic extractor, windows-1256 ones decoded
    for number in (0, 1, 6, 7):
        url, title, _ = arabic_article(number)
        record = by_url[url]
        assert record["site"] == "akhbar_alsabah_example"
        assert record["title"] == (legacy_text(title) if number % 2 else title)
        assert record["body"] and all("\ufffd" not in p and "Ã" not in p for p in record["body"])
    assert "Traceback" not in result.stderr


def test_sites_filter_hosts_and_a_second_run_reads_nothing_again(month, tmp_path):
    out = tmp_path / "out"
    with serving_warcs(month.files()) as server:
        first = ccnews(server.base_url, out, "--sites", "enabbaladi", "--workers", "2")
        requested = len(server.requests)
        again = ccnews(server.base_url, out, "--sites", "enabbaladi")
    assert first.returncode == 0, first.stdout + first.stderr[-3000:]
    enab = {url for url in month.articles if url.startswith(ENAB_BALADI)}
    assert urls(read_records(out)) == Counter(enab)
    rows = summary(first.stdout)
    assert rows["skipped: not a registered site"] == 6 * 6  # every capture of the other hosts
    assert "skipped: not Arabic" not in rows  # never decoded
    assert again.returncode == 0
    assert summary(again.stdout)["WARCs read before"] == 6
    assert [p for p, _ in server.requests[requested:]] == [
        "crawl-data/CC-NEWS/2024/11/warc.paths.gz"
    ]


def test_local_warcs_give_the_records_of_the_same_warcs_over_http(month, tmp_path):
    folder = tmp_path / "warcs"
    for path, data in month.files().items():
        if path.endswith(".warc.gz"):
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
    (folder / "notes.txt").write_text("not a WARC")
    with serving_warcs(month.files()) as server:
        remote = ccnews(server.base_url, tmp_path / "remote", "--arabic-only", "--workers", "1")
    local, terminal = run_on_a_terminal(
        "ccnews",
        "--local",
        str(folder),
        "--arabic-only",
        "--out",
        str(tmp_path / "local"),
        *QUICK,
        "",
    )
    assert remote.returncode == 0 and local.returncode == 0, local.stdout
    records = without_fetch_time(read_records(tmp_path / "local"))
    assert records == without_fetch_time(read_records(tmp_path / "remote"))
    assert len(records) == len(month.articles)
    # a terminal shows progress bars, and the log goes to a file
    assert "6/6 WARCs" in terminal and "articles" in terminal
    assert "not_article" in (tmp_path / "local" / ".akhbar" / "ccnews.log").read_text()


def test_shards_split_the_work_of_several_machines(month, tmp_path):
    with serving_warcs(month.files()) as server:
        parts = [
            ccnews(server.base_url, tmp_path / f"part{i}", "--shard", f"{i}/3") for i in (1, 2, 3)
        ]
    assert all(part.returncode == 0 for part in parts), parts[0].stderr[-2000:]
    listed = [summary(part.stdout)["WARC files"] for part in parts]
    assert sum(listed) == 6
    enab = [urls(read_records(tmp_path / f"part{i}")) for i in (1, 2, 3)]
    assert set().union(*enab) == {u for u in month.articles if u.startswith(ENAB_BALADI)}


def test_a_missing_warc_fails_the_run_and_is_read_once_it_is_there(month, tmp_path):
    files = month.files()
    missing = warc_paths(month)[3]
    present = {path: data for path, data in files.items() if path != missing}
    out = tmp_path / "out"
    with serving_warcs(present) as server:
        result = ccnews(server.base_url, out, "--sites", "all")
        server.files[missing] = files[missing]
        again = ccnews(server.base_url, out, "--sites", "all")
    assert result.returncode == 1
    assert summary(result.stdout)["WARCs failed"] == 1
    failure = next(f for f in failures(out) if f["url"].endswith(missing))
    assert failure["reason"] == "http_404"
    assert again.returncode == 0, again.stdout + again.stderr[-2000:]
    rows = summary(again.stdout)
    assert (rows["WARCs read to the end"], rows["WARCs read before"]) == (1, 5)
    enab = {url for url in month.articles if url.startswith(ENAB_BALADI)}
    assert urls(read_records(out)) == Counter(enab)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2024-11-30", "--to", "2024-11-01"], "is after --to"),
        (["--from", "2024-11-01"], "give the days to read"),
        (["--from", "2024-11-01", "--to", "2024-11-02", "--sites", "nosuch"], "unknown nosuch"),
        (["--local", "/nonexistent/warcs"], "no such folder"),
    ],
)
def test_bad_usage_exits_2_before_reading_anything(tmp_path, args, message):
    result = run_cli("ccnews", *args, "--base-url", "http://127.0.0.1:9", "--out", str(tmp_path))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / ".akhbar").exists()


# --- kill -9 ----------------------------------------------------------------------------------


@contextlib.contextmanager
def started(args: list[str], **options: Any) -> Iterator[subprocess.Popen[str]]:
    """``akhbar ARGS`` in the background, killed if the test leaves it running."""
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", *args], cwd=ROOT, text=True, **options
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def read_state(out: Path) -> dict[str, tuple[int, str]]:
    path = out / ".akhbar" / "ccnews.sqlite"
    if not path.exists():
        return {}
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return {
                k: (at, s) for k, at, s in db.execute("SELECT key, resume_at, state FROM warcs")
            }
    except sqlite3.Error:  # not created yet
        return {}


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_kill_9_mid_run_then_the_same_command_gives_every_article_exactly_once(tmp_path):
    month = build_month(DAYS, 2, 40)
    paths = warc_paths(month)
    out = tmp_path / "out"
    with serving_warcs(month.files(), pause=0.1) as server:
        days = ["--from", str(DAYS[0]), "--to", str(DAYS[-1]), "--base-url", server.base_url]
        args = ["ccnews", *days, "--out", str(out), "--arabic-only", "--workers", "2", *QUICK]
        quick = [*args, "-s", "AKHBAR_WRITE_INTERVAL=0.3"]
        with started(quick, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:
            deadline = time.monotonic() + 120
            while True:  # a WARC read to its end, and others part of the way
                state = read_state(out)
                done = [k for k, (_, s) in state.items() if s == "done"]
                partly = [k for k, (at, s) in state.items() if s == "reading" and at > 0]
                if done and partly:
                    break
                assert process.poll() is None and time.monotonic() < deadline, "never got there"
                time.sleep(0.02)
            workers = children_of(process.pid)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
        state = read_state(out)  # as the kill left it
        done = [k for k, (_, s) in state.items() if s == "done"]
        partly = [k for k, (at, s) in state.items() if s == "reading" and at > 0]
        assert done and partly
        first = read_records(out)
        assert 0 < len(first) < len(month.articles)
        deadline = time.monotonic() + 15  # the workers notice and end by themselves
        while any(Path(f"/proc/{pid}").exists() and _alive(pid) for pid in workers):
            assert time.monotonic() < deadline, "worker processes outlived a killed run"
            time.sleep(0.1)
        assert workers, "the run had no worker processes"

        before = len(server.requests)
        server.pause = 0
        again = run_cli(*args)
        resumed = server.requests[before:]
    assert again.returncode == 0, again.stdout + again.stderr[-3000:]
    records = read_records(out)
    assert urls(records) == Counter(month.articles)  # each once: nothing lost, nothing twice
    fetched = {path for path, _ in resumed}
    assert not fetched & set(done), "a finished WARC was downloaded again"
    for key in partly:
        at = state[key][0]
        assert (key, f"bytes={at}-") in resumed, f"{key} not resumed at byte {at}"
    rows = summary(again.stdout)
    assert rows["WARCs read before"] == len(done)
    assert rows["written"] == len(month.articles) - len(first)
    assert not list(out.glob("*/*.part"))
    assert len(paths) == 6


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_runs_jsonl_and_the_seen_store_are_those_of_a_crawl(month, tmp_path):
    out = tmp_path / "out"
    with serving_warcs(month.files()) as server:
        result = ccnews(server.base_url, out, "--sites", "enabbaladi", "--workers", "2")
    assert result.returncode == 0
    run = json.loads((out / "runs.jsonl").read_text().splitlines()[-1])
    assert (run["site"], run["finish_reason"]) == ("ccnews", "finished")
    assert run["records_written"] == len(read_records(out))
    with sqlite3.connect(out / ".akhbar" / "seen.sqlite") as db:
        assert db.execute("SELECT count(*) FROM seen").fetchone()[0] == len(read_records(out))


def test_ctrl_c_stops_cleanly_and_the_same_command_continues(tmp_path):
    month = build_month(DAYS[:2], 2, 40)
    out = tmp_path / "out"
    with serving_warcs(month.files(), pause=0.1) as server:
        days = ["--from", str(DAYS[0]), "--to", str(DAYS[1]), "--base-url", server.base_url]
        args = ["ccnews", *days, "--out", str(out), "--sites", "all", "--workers", "2", *QUICK]
        with started(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as process:
            deadline = time.monotonic() + 120
            while not read_records(out):
                assert process.poll() is None and time.monotonic() < deadline, "never got there"
                time.sleep(0.02)
            process.send_signal(signal.SIGINT)
            stdout, _ = process.communicate(timeout=60)
        assert process.returncode == 130, stdout
        assert "interrupted: run the same command again to continue" in stdout
        first = summary(stdout)["written"]
        assert first == len(read_records(out))
        server.pause = 0
        again = run_cli(*args)
    assert again.returncode == 0, again.stdout + again.stderr[-3000:]
    enab = {url for url in month.articles if url.startswith(ENAB_BALADI)}
    assert urls(read_records(out)) == Counter(enab)
    assert summary(again.stdout)["written"] == len(enab) - first
