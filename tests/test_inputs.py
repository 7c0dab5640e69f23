"""What `akhbar import` reads: URL lists, saved pages, url maps and WARC archives."""

from __future__ import annotations

import gzip
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy import Request
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.crawl import pages as saved
from scraper.crawl.inputs import (
    LocalPage,
    UsageError,
    clean_url,
    gather,
    load_url_map,
    read_pages,
    url_lines,
    warc_pages,
)
from scraper.replica.enabbaladi_pages import EnabBaladiReplica

BASE = "http://127.0.0.1:9"  # nothing listens there, and nothing here fetches anything


def write_warc(path: Path, responses: list[tuple[str, int, str | None, bytes]]) -> None:
    """A WARC of (url, status, Content-Type or None, payload) responses, each after a request
    record, as crawlers write them; gzipped per record when the name ends in .gz."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for url, status, content_type, body in responses:
            request = StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            headers = [("Content-Type", content_type)] if content_type else []
            http = StatusAndHeaders(f"{status} X", headers, protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=http
                )
            )


def test_url_lines_skip_blanks_and_comments_and_flag_malformed_lines():
    lines = [
        "\ufeff# a list\n",
        "\n",
        "  https://Example.com/a?utm_source=x&id=3#top  \n",
        "https://example.com/b  # the second one\n",
        "example.com/c\n",
        "ftp://example.com/d\n",
        "https://example.com/e f\n",
        "http://example.com:port/\n",
        "http://\n",
    ]
    assert [(n, url) for n, _, url in url_lines(lines)] == [
        (3, "https://example.com/a?id=3"),
        (4, "https://example.com/b"),
        (5, None),
        (6, None),
        (7, None),
        (8, None),
        (9, None),
    ]


def test_clean_url_drops_tracking_parameters():
    assert (
        clean_url("https://example.com/x?fbclid=1&utm_medium=2&p=1") == "https://example.com/x?p=1"
    )
    assert clean_url("mailto:someone@example.com") is None


def test_gather_counts_duplicates_after_canonicalisation_and_malformed_lines(tmp_path, monkeypatch):
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "https://example.com/1\nhttps://example.com/1?utm_source=tw\nnot a url\n"
        "https://example.com/2#comments\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("https://example.com/2\nhttps://example.com/3\n"))
    work = tmp_path / "work"
    work.mkdir()
    found = gather(["https://example.com/4", "-"], [listing], None, work)
    assert found.urls_file.read_text().split() == [f"https://example.com/{n}" for n in (1, 2, 4, 3)]
    assert (found.urls, found.pages, found.duplicates) == (4, 0, 2)
    assert found.problems == [(f"{listing}:3", "not an http(s) URL: not a url")]


@pytest.mark.parametrize(
    ("sources", "lists", "message"),
    [
        (["missing.html"], [], "not an http(s) URL, nor a file or folder"),
        (["notes.txt"], [], "give a list of URLs with -i"),
        ([], [Path("missing.txt")], "no such file"),
        ([], [], "nothing to import"),
    ],
)
def test_gather_rejects_bad_arguments_before_reading_anything(
    tmp_path, monkeypatch, sources, lists, message
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("https://example.com/1\n")
    with pytest.raises(UsageError, match=re.escape(message)):
        gather(sources, lists, None, tmp_path)
    assert not (tmp_path / "urls.txt").exists()


def test_url_map_paths_are_relative_to_the_csv(tmp_path):
    (tmp_path / "map.csv").write_text("path,url\npages/a.html,https://example.com/a?utm_id=1\n")
    assert load_url_map(tmp_path / "map.csv") == {
        str(tmp_path / "pages" / "a.html"): "https://example.com/a"
    }
    (tmp_path / "bad.csv").write_text("pages/a.html\n")
    with pytest.raises(UsageError, match=r"bad\.csv:1"):
        load_url_map(tmp_path / "bad.csv")


def test_saved_pages_take_their_url_from_the_map_or_their_canonical_link(tmp_path):
    replica = EnabBaladiReplica(BASE, 5)
    folder = tmp_path / "saved"
    (folder / "sub").mkdir(parents=True)
    html = [replica.article_html(replica.article(n)) for n in range(1, 5)]
    (folder / "1.html").write_text(html[0], encoding="utf-8")
    (folder / "sub" / "2.html.gz").write_bytes(gzip.compress(html[1].encode()))
    uncanonical = html[2].replace(f'<link rel="canonical" href="{replica.url(3)}">', "")
    (folder / "3.htm").write_text(uncanonical, encoding="utf-8")
    (folder / "4.html").write_text(html[3].replace(replica.url(4), ""), encoding="utf-8")
    (folder / "broken.html.gz").write_bytes(b"\x1f\x8b not gzip")
    (folder / "notes.txt").write_text("not a page")
    (tmp_path / "map.csv").write_text(f"saved/3.htm,{replica.url(3)}\n")
    found = gather([str(folder)], [], tmp_path / "map.csv", tmp_path)
    pages = list(read_pages(found.pages_file))
    assert [p.url for p in pages] == [replica.url(n) for n in (1, 3, 2)]
    assert [where for where, _ in found.problems] == [
        str(folder / "4.html"),
        str(folder / "broken.html.gz"),
    ]
    assert found.problems[0][1].startswith("no URL")
    response = pages[2].response(Request(pages[2].url))
    assert response.text == saved.decode(pages[2].url, html[1].encode())


@pytest.mark.parametrize("name", ["archive.warc", "archive.warc.gz"])
def test_warc_responses_are_pages_unless_not_html_or_redirects(tmp_path, name):
    arabic = "<html><head><title>عنوان</title></head><body><p>نص عربي</p></body></html>"
    path = tmp_path / name
    write_warc(
        path,
        [
            (f"{BASE}/a", 200, "text/html; charset=windows-1256", arabic.encode("cp1256")),
            (f"{BASE}/logo.png", 200, "image/png", b"\x89PNG\r\n\x1a\n"),
            (f"{BASE}/old", 301, "text/html", b"<html>moved</html>"),
            (f"{BASE}/missing", 404, None, b"<!DOCTYPE html><html><body>404</body></html>"),
            ("dns:example.com", 200, "text/dns", b"example.com. 60 IN A 127.0.0.1"),
        ],
    )
    found = list(warc_pages(path))
    pages = [p for p in found if isinstance(p, LocalPage)]
    assert sorted(p for p in found if isinstance(p, str)) == ["not HTML", "not HTML", "redirect"]
    assert [p.url for p in pages] == [f"{BASE}/a", f"{BASE}/missing"]
    first, missing = (p.response(Request(p.url)) for p in pages)
    assert (first.status, first.text) == (200, arabic)
    assert first.headers[b"Content-Type"] == b"text/html; charset=windows-1256"
    assert missing.status == 404 and b"Content-Type" not in missing.headers
    # the references survive the trip through the pages file
    assert json.loads(json.dumps(pages[0].__dict__)) == pages[0].__dict__


def test_an_unreadable_warc_is_a_problem_not_a_crash(tmp_path):
    (tmp_path / "bad.warc").write_bytes(b"<html>not a WARC</html>\n")
    found = gather([str(tmp_path / "bad.warc")], [], None, tmp_path)
    assert found.total == 0
    assert found.problems[0][1].startswith("unreadable WARC")


#: What `character_counts` counts, as the character classes they are.
CHARACTER_CLASSES = ("[\u0600-\u06ff]", "[\u00c0-\u00ff]", "\ufffd")


@settings(max_examples=300)
@given(
    st.text(
        st.sampled_from("\u05ff\u0600\u0627\u06ff\u0700\u00bf\u00c0\u00d8\u00ff\u0100\ufffd a\n")
        | st.characters(),
        max_size=60,
    )
)
def test_character_counts_count_by_lead_bytes_what_the_character_classes_match(text):
    expected = [len(re.findall(pattern, text)) for pattern in CHARACTER_CLASSES]
    assert list(saved.character_counts(text)) == expected
