"""The Python API beyond its documented examples: bytes decoded as a crawl decodes them into
the record ``akhbar extract`` prints, unknown sites refused before any run, and
``read_dataset`` giving the records ``akhbar export`` writes, for every de-duplication."""

from __future__ import annotations

import json
import logging
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import akhbar
from scraper.core.record import SCHEMA_VERSION
from scraper.replica.enabbaladi_pages import EnabBaladiReplica
from scraper.sites import UnknownSite
from tests.conftest import run_cli
from tests.test_export import dataset, exported  # noqa: F401  (dataset is a fixture)

REPLICA = EnabBaladiReplica("https://www.enabbaladi.net", 10)
URL = REPLICA.url(7)


def windows_1256_page() -> bytes:
    """Article 7 as an older Arabic site serves it: windows-1256, no charset declared."""
    html = REPLICA.article_html(REPLICA.article(7)).replace('<meta charset="UTF-8">\n', "")
    return html.encode("cp1256", errors="xmlcharrefreplace")


def without_fetch_time(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key != "fetched_at"}


def test_bytes_give_the_record_akhbar_extract_prints(tmp_path: Path) -> None:
    saved = tmp_path / "page.html"
    saved.write_bytes(windows_1256_page())
    printed = run_cli("extract", str(saved), "--url", URL)
    assert printed.returncode == 0, printed.stderr
    record = akhbar.extract(saved.read_bytes(), url=URL)
    assert without_fetch_time(record) == without_fetch_time(json.loads(printed.stdout))
    assert record["title"] == REPLICA.article(7).title


def test_a_forced_site_parses_a_page_that_does_not_tell_its_site() -> None:
    html = REPLICA.article_html(REPLICA.article(7))
    anonymous = re.sub(r'<link rel="canonical"[^>]*>|<meta property="og:site_name"[^>]*>', "", html)
    mirror = "https://mirror.example/7"
    assert akhbar.extract(anonymous, url=mirror)["site"] == "mirror_example"
    record = akhbar.extract(anonymous, url=mirror, site="enabbaladi")
    assert (record["site"], record["url"]) == ("enabbaladi", mirror)
    assert record["section"] == REPLICA.article(7).section[0]
    with pytest.raises(UnknownSite):
        akhbar.extract(html, url=URL, site="nosuchsite")


def test_an_unknown_site_is_refused_before_any_run(tmp_path: Path) -> None:
    with pytest.raises(UnknownSite, match=r"known: .*enabbaladi"):
        akhbar.crawl("nosuchsite", out=tmp_path)
    assert list(tmp_path.iterdir()) == []


def jsonl_export(tmp_path: Path, source: Path, **options: Any) -> list[dict[str, Any]]:
    out = exported(tmp_path, source, format="jsonl", **options)
    return [json.loads(line) for path in out.rglob("*.jsonl") for line in path.open()]


def by_url(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=lambda record: str(record["url"]))


@pytest.mark.parametrize("dedup", ["none", "exact", "near"])
def test_read_dataset_gives_what_export_keeps(dataset, tmp_path: Path, dedup: str) -> None:  # noqa: F811
    source, records = dataset
    read = list(akhbar.read_dataset(source, dedup=dedup))
    assert by_url(read) == by_url(jsonl_export(tmp_path, source, dedup=dedup))
    assert (len(read) < len(records)) == (dedup != "none")


def test_read_dataset_selects_site_and_days(dataset, tmp_path: Path) -> None:  # noqa: F811
    source, records = dataset
    read = list(akhbar.read_dataset(source, since=date(2023, 6, 1), until="2023-06-01"))
    assert by_url(read) == by_url(
        jsonl_export(tmp_path, source, since="2023-06-01", until="2023-06-01")
    )
    assert {r["published"][:10] for r in read} == {"2023-06-01"}
    enabbaladi = list(akhbar.read_dataset(source, site="enabbaladi"))
    assert len(enabbaladi) == sum(r["site"] == "enabbaladi" for r in records)
    assert {r["site"] for r in enabbaladi} == {"enabbaladi"}
    assert enabbaladi[-1]["published"] is None, "undated last, and only without a day bound"


def test_read_dataset_upgrades_and_skips(dataset, tmp_path: Path, caplog) -> None:  # noqa: F811
    source = shutil.copytree(dataset[0], tmp_path / "copy")
    old = next(path for path in source.glob("old_example/*.jsonl"))
    with old.open("a", encoding="utf-8") as handle:
        handle.write('{"schema_version": "1.0", "url": "not a record"}\n')
    with caplog.at_level(logging.WARNING, logger="akhbar"):
        read = [r for r in akhbar.read_dataset(source) if r["site"] == "old_example"]
    assert [r["schema_version"] for r in read] == [SCHEMA_VERSION]
    assert read[0]["title_search"] == "خبر قديم عن الكهرباء في حلب"
    assert f"{old}:2" in caplog.text
    with pytest.raises(ValueError, match="dedup must be one of"):
        next(akhbar.read_dataset(source, dedup="fuzzy"))
