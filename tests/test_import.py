"""akhbar import end to end, over real HTTP to replicas on 127.0.0.1 and from files: URL
lists with malformed lines, failing URLs and duplicates; WARC archives with their own
charsets; saved pages against a crawl; Ctrl-C and a re-run; pages that are not articles."""

from __future__ import annotations

import gzip
import json
import os
import pty
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from scraper.core.page import Page
from scraper.crawl.extensions.progress import Snapshot
from scraper.crawl.spiders.imports import is_article_page
from scraper.replica.enabbaladi import FIRST_ID, expected
from scraper.replica.enabbaladi_pages import EnabBaladiReplica
from scraper.replica.server import serving
from tests.conftest import ROOT, read_records, run_cli
from tests.test_inputs import BASE, write_warc

ARTICLES = 320
NOT_ARTICLES = {
    "/logo.png": (200, "image/png", "\x89PNG\r\n\x1a\n"),
    "/report.pdf": (200, "application/pdf", "%PDF-1.7\n%\xe2\xe3\n1 0 obj\n\x00\x01"),
    "/empty": (200, "text/html; charset=UTF-8", ""),
}
MALFORMED = [
    "not a url",
    "www.enabbaladi.net/archives/700001",
    "ftp://127.0.0.1/archives/700001",
    "http://",
    "http:///archives/700001",
    "http://127.0.0.1:99999/archives/700001",
    "http://127.0.0.1/archives/700 001",
    "mailto:news@example.org",
    "javascript:void(0)",
    "//127.0.0.1/archives/700001",
]


@dataclass
class ReplicaWithErrors(EnabBaladiReplica):
    """The Enab Baladi replica, with chosen paths answering 500 and a few non-articles."""

    failing: set[str] = field(default_factory=set)

    def route(self, path: str) -> tuple[int, str, str]:
        if path in self.failing:
            return 500, "text/html; charset=UTF-8", "<h1>خطأ في الخادم</h1>"
        return NOT_ARTICLES.get(path) or super().route(path)


@dataclass
class SlowReplica(EnabBaladiReplica):
    """The replica taking its time, so that a run can be interrupted halfway."""

    def route(self, path: str) -> tuple[int, str, str]:
        time.sleep(0.02)
        return super().route(path)


@pytest.fixture(scope="module")
def site():
    replica = ReplicaWithErrors("", ARTICLES)
    with serving(replica) as server:
        yield replica, server


def summary(stdout: str) -> dict[str, int]:
    """The rows of the summary table: label → count."""
    rows = {}
    for line in stdout.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("│").split("│")]
        if len(cells) == 2 and cells[1].isdigit():
            rows[cells[0]] = int(cells[1])
    return rows


def failures(out: Path) -> list[dict[str, Any]]:
    lines = (out / "failures.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_a_url_list_with_malformed_lines_failures_and_duplicates(site, tmp_path):
    replica, _ = site
    good = [replica.url(n) for n in range(1, 283)]
    failing = [replica.url(n) for n in (283, 284)]
    missing = [f"{replica.base}/archives/{FIRST_ID + n}" for n in (901, 902, 903)]
    duplicates = [f"{good[4]}?utm_source=twitter", f"{good[5]}?fbclid=IwAR0x", f"{good[6]}#c"]
    lines = [
        "# articles to import",
        "",
        *good[:7],
        f"{good[7]}  # a comment after a URL",
        *good[8:150],
        *MALFORMED[:5],
        "   ",
        *good[150:],
        *failing,
        *missing,
        *duplicates,
        *MALFORMED[5:],
    ]
    assert len([line for line in lines if line.strip() and not line.startswith("#")]) == 300
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    replica.failing = {path_of(url) for url in failing}

    result = run_cli("import", "-i", str(listing), "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]
    assert summary(result.stdout) == {
        "written": 282,
        "skipped: already in the dataset": 0,
        "failed": 5,
        "http_404": 3,
        "http_500": 2,
        "malformed inputs": 10,
        "duplicates removed": 3,
    }
    assert result.stderr.count("not an http(s) URL") == 10
    assert "progress: 287/287 done, 5 failed" in result.stderr
    logged = failures(out)
    assert Counter(f["reason"] for f in logged) == {"http_404": 3, "http_500": 2}
    assert {f["url"] for f in logged} == {*failing, *missing}
    records = read_records(out)
    assert sorted(r["url"] for r in records) == sorted(good)

    # the server mended, the same command imports what failed, and only that
    replica.failing = set()
    again = run_cli("import", "-i", str(listing), "--out", str(out))
    assert again.returncode == 1, again.stdout + again.stderr[-3000:]
    rows = summary(again.stdout)
    assert (rows["written"], rows["skipped: already in the dataset"]) == (2, 282)
    assert (rows["failed"], rows["http_404"]) == (3, 3)
    assert sorted(r["url"] for r in read_records(out)) == sorted(good + failing)


def test_pages_that_are_not_articles_are_reported_never_written(site, tmp_path):
    replica, server = site
    others = ["/", "/archives/category/online/page/2", "/empty", "/logo.png", "/report.pdf"]
    stdin = "\n".join([*(server.base_url + p for p in others), replica.url(2)])
    out = tmp_path / "out"
    result, terminal = run_on_a_terminal("import", replica.url(1), "-", "--out", str(out), stdin)
    assert result.returncode == 1
    assert summary(result.stdout)["written"] == 2
    reasons = {path_of(f["url"]): f["reason"] for f in failures(out)}
    assert reasons == {
        "/": "not_article",
        "/archives/category/online/page/2": "not_article",
        "/empty": "empty_body",
        "/logo.png": "not_html",
        "/report.pdf": "not_html",
    }
    assert {r["url"] for r in read_records(out)} == {replica.url(1), replica.url(2)}
    # on a terminal: a progress bar, and the log in a file
    assert "7/7 done, 5 failed" in terminal
    assert "not_article" in (out / ".akhbar" / "import.log").read_text(encoding="utf-8")


def run_on_a_terminal(*args: str) -> tuple[subprocess.CompletedProcess[str], str]:
    """Run ``akhbar ARGS[:-1]`` with the last argument on stdin and stderr on a terminal;
    returns the outcome and what the terminal showed."""
    leader, follower = pty.openpty()
    shown: list[bytes] = []

    def read() -> None:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed
                return
            if not chunk:
                return
            shown.append(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", *args[:-1]],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=follower,
        text=True,
        env={**os.environ, "TERM": "xterm", "COLUMNS": "120"},
    )
    os.close(follower)
    stdout, _ = process.communicate(args[-1], timeout=120)
    reader.join(timeout=10)
    os.close(leader)
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, "")
    return result, b"".join(shown).decode("utf-8", "replace")


def test_a_warc_with_pages_in_their_own_charsets(tmp_path):
    replica = EnabBaladiReplica(BASE, 60)
    pages = {n: replica.article_html(replica.article(n)) for n in range(1, 61)}
    unlabelled = [n for n, html in pages.items() if _encodable(html)][:5]
    numbers = sorted([*unlabelled, *[n for n in pages if n not in unlabelled][:15]])
    responses = []
    for n in numbers:
        if n in unlabelled:  # windows-1256, declared neither in the headers nor in the page
            body = pages[n].replace('<meta charset="UTF-8">', "").encode("cp1256")
            assert b"charset" not in body
            responses.append((replica.url(n), 200, "text/html", body))
        else:
            responses.append((replica.url(n), 200, "text/html; charset=UTF-8", pages[n].encode()))
    responses[3:3] = [
        (f"{BASE}/wp-content/logo.png", 200, "image/png", b"\x89PNG\r\n\x1a\n"),
        (f"{BASE}/style.css", 200, "text/css", b"body { direction: rtl }"),
        (f"{BASE}/archives/1", 301, "text/html", b"<html>moved</html>"),
        (
            f"{BASE}/moved",
            200,
            "text/html",
            f'<title>نقل</title><meta http-equiv="refresh" content="0;{BASE}/">'.encode(),
        ),
    ]
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, responses)
    out = tmp_path / "out"

    result = run_cli("import", str(warc), "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]
    rows = summary(result.stdout)
    assert (rows["written"], rows["malformed inputs"]) == (20, 0)
    # a page on disk never leads to the network, not even by a meta refresh
    assert [(f["url"], f["reason"]) for f in failures(out)] == [(f"{BASE}/moved", "not_article")]
    assert rows["WARC responses skipped: not HTML"] == 2
    assert rows["WARC responses skipped: redirect"] == 1
    records = {r["url"]: r for r in read_records(out)}
    assert len(records) == 20
    for n in numbers:
        truth = expected(replica.article(n), BASE)
        assert {key: records[truth["url"]][key] for key in truth} == truth, f"article {n}"

    forced = run_cli("import", str(warc), "--out", str(out), "--force")
    rows = summary(forced.stdout)
    assert (rows["written"], rows["skipped: already in the dataset"]) == (0, 20)


def _encodable(html: str) -> bool:
    try:
        html.encode("cp1256")
    except UnicodeEncodeError:  # Arabic-Indic digits are not in windows-1256
        return False
    return True


def test_saved_pages_give_the_records_of_a_crawl(tmp_path):
    replica = EnabBaladiReplica("", 30)
    with serving(replica) as server:
        crawled = run_cli(
            "crawl", "enabbaladi", "--base-url", server.base_url, "--out", str(tmp_path / "crawl")
        )
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    folder = tmp_path / "saved"
    (folder / "older").mkdir(parents=True)
    url_map = ["path,url"]
    for n in range(1, 31):
        html = replica.route(path_of(replica.url(n)))[2]
        if n in (4, 5):  # no canonical link: the URL comes from the map
            html = html.replace(f'<link rel="canonical" href="{replica.url(n)}">', "")
            url_map.append(f"saved/{n}.html,{replica.url(n)}")
        if n % 3:
            (folder / f"{n}.html").write_text(html, encoding="utf-8")
        else:
            (folder / "older" / f"{n}.html.gz").write_bytes(gzip.compress(html.encode()))
    (tmp_path / "map.csv").write_text("\n".join(url_map) + "\n", encoding="utf-8")
    out = tmp_path / "import"

    result = run_cli(
        "import", str(folder), "--url-map", str(tmp_path / "map.csv"), "--out", str(out)
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]

    def by_url(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        return {r["url"]: {k: v for k, v in r.items() if k != "fetched_at"} for r in records}

    imported, crawl = by_url(read_records(out)), by_url(read_records(tmp_path / "crawl"))
    assert len(imported) == 30
    assert imported == crawl


def article_hits(server) -> int:
    return sum(n for path, n in list(server.hits.items()) if path.startswith("/archives/7"))


def test_ctrl_c_then_the_same_command_imports_every_url_exactly_once(tmp_path):
    replica = SlowReplica("", 120)
    out = tmp_path / "out"
    listing = tmp_path / "urls.txt"
    with serving(replica) as server:
        urls = [replica.url(n) for n in range(1, 121)]
        listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
        args = ["import", "-i", str(listing), "--out", str(out)]
        process = subprocess.Popen(
            [sys.executable, "-m", "scraper.cli", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        deadline = time.monotonic() + 60
        while article_hits(server) < 40 and process.poll() is None:
            assert time.monotonic() < deadline, "the import never got that far"
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        stdout, _ = process.communicate(timeout=60)
        assert process.returncode == 130, stdout
        assert "interrupted: run the same command again to continue" in stdout
        first = len(read_records(out))
        assert 0 < first < 120
        assert summary(stdout)["written"] == first

        again = run_cli(*args)
    assert again.returncode == 0, again.stdout + again.stderr[-3000:]
    rows = summary(again.stdout)
    assert (rows["written"], rows["skipped: already in the dataset"]) == (120 - first, first)
    seen = Counter(r["url"] for r in read_records(out))
    assert set(seen) == set(urls) and max(seen.values()) == 1


def test_what_counts_as_an_article():
    replica = EnabBaladiReplica(BASE, 10)
    article = Page(replica.url(3), replica.article_html(replica.article(3)))  # no JSON-LD
    website = Page(f"{BASE}/", '<html><head><meta property="og:type" content="website">')
    long_body = ["نص طويل " * 200]
    record = {"title": "عنوان", "body": long_body, "published": None}
    assert is_article_page(article, record)
    assert not is_article_page(website, record)  # it says what it is
    assert not is_article_page(article, {**record, "body": []})
    undeclared = Page(f"{BASE}/x", "<html><body><p>نص</p></body></html>")
    assert is_article_page(undeclared, record)
    short = {**record, "body": ["خبر قصير جدا"]}
    assert not is_article_page(undeclared, short)
    assert not is_article_page(undeclared, {**short, "published": "2024-01-01"})
    assert is_article_page(undeclared, {**short, "body": ["خبر " * 100], "published": "2024"})


def test_progress_line():
    stats = {
        "item_scraped_count": 40,
        "akhbar/failures": 5,
        "akhbar/skipped_seen": 3,
        "item_dropped_reasons_count/UnchangedRecord": 2,
    }
    line = Snapshot.of(stats, total=100, seconds=10).line()
    assert line == "50/100 done, 5 failed, 5.0/s, 0:00:10 left"
    assert Snapshot.of({}, total=None, seconds=0).line() == "0 done, 0 failed, 0.0/s"
