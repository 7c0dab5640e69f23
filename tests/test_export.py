"""akhbar export: a dataset made of replica pages goes out as Parquet and JSON Lines, comes back
through pyarrow and DuckDB unchanged, is de-duplicated, and older records are upgraded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipelines.clusters import NearDuplicatePipeline
from pipelines.normalize import NormalizePipeline
from scraper.cli.main import main
from scraper.core.arabic_text import content_hash, fold
from scraper.core.page import Page
from scraper.core.record import FIELD_NAMES as FIELDS
from scraper.core.record import SCHEMA_VERSION, ordered, validate
from scraper.dataset.export import arrow_schema, export
from scraper.dataset.options import ExportOptions
from scraper.extract.record import record_from_page
from scraper.replica.enabbaladi_pages import EnabBaladiReplica
from scraper.sites.enabbaladi import SITE
from scraper.store.dataset import Reader, UnknownVersion, day_files, upgrade
from scraper.store.files import output_path
from scraper.store.neardup import INDEX_FILE, cluster_key

REPLICA = EnabBaladiReplica("http://127.0.0.1:8765", 50)
ARTICLES = range(1, 13)


def replica_record(number: int) -> dict[str, Any]:
    url = REPLICA.url(number)
    _, _, html = REPLICA.route(f"/archives/{url.rsplit('/', 1)[1]}")
    return record_from_page(Page(url, html), SITE)


def republished(record: dict[str, Any], url: str, published: str | None) -> dict[str, Any]:
    """The article at another outlet: same body, a line of its own at the end."""
    site = url.split("/")[2].replace(".", "_")
    body = [*record["body"], "وتتابع الصحيفة تطورات الموضوع وتنشر التفاصيل تباعًا."]
    copy = {**record, "url": url, "site": site, "published": published, "body": body}
    return NormalizePipeline().process_item(copy)


#: A record as akhbar 0.9 wrote it: no folded search fields, no clustering.
OLD_RECORD: dict[str, Any] = {
    "schema_version": "0.9",
    "url": "https://old.example/archive/3",
    "site": "old_example",
    "language": "ar",
    "title": "خبرٌ قديم عن الكهرباء في حلب",
    "published": "2023-05-30",
    "published_raw": "30 أيار 2023",
    "modified": None,
    "section": "محليات",
    "tags": [],
    "authors": ["مراسل"],
    "lead": None,
    "body": [],  # the body of replica article 3, set below
    "images": [],
    "related": [],
    "fetched_at": "2023-05-30T10:00:00+00:00",
    "content_hash": "",  # set with the body
}


def write_dataset(out: Path, records: list[dict[str, Any]]) -> None:
    for record in records:
        path = output_path(out, record)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(ordered(record), ensure_ascii=False) + "\n")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """Twelve replica articles, a near copy of article 1 and an exact copy of article 2 elsewhere,
    clustered by the pipeline; an undated record; and a 0.9 record repeating article 3."""
    out = tmp_path_factory.mktemp("dataset")
    records = [replica_record(n) for n in ARTICLES]
    records.append(republished(records[0], "https://news.example/a/1", "2023-07-02"))
    exact = {**records[1], "url": "https://copy.example/2", "site": "copy_example"}
    exact["fetched_at"] = "2030-01-01T00:00:00+00:00"  # fetched after the original
    records.append(exact)
    records.append({**replica_record(20), "published": None})
    pipeline = NearDuplicatePipeline(out)
    pipeline.open_spider()
    records = [pipeline.process_item(r) for r in records]
    pipeline.close_spider()
    body = records[2]["body"]
    old = {**OLD_RECORD, "body": body, "content_hash": content_hash(OLD_RECORD["title"], body)}
    write_dataset(out, [*records, old])
    (out / "failures.jsonl").write_text('{"url": "x", "reason": "http"}\n', encoding="utf-8")
    return out, [*records, upgrade(dict(old))]


def exported(tmp_path: Path, source: Path, **options: Any) -> Path:
    out = tmp_path / "export"
    export(ExportOptions(source=source, out=out, **options))
    return out


def as_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records as Parquet returns them: every field, absent ones null, sorted by URL."""
    return sorted(({name: r.get(name) for name in FIELDS} for r in records), key=_url)


def parquet_files(out: Path) -> list[str]:
    return sorted(str(path) for path in out.glob("site=*/month=*/*.parquet"))


def _url(row: dict[str, Any]) -> str:
    return str(row["url"])


def test_parquet_export_reads_back_identical(dataset, tmp_path: Path) -> None:
    source, records = dataset
    out = exported(tmp_path, source)
    table = pq.read_table(parquet_files(out), partitioning=None)
    assert table.schema.remove_metadata() == arrow_schema()
    assert sorted(table.to_pylist(), key=_url) == as_rows(records)
    enab = pq.read_table(
        parquet_files(out), partitioning=None, filters=[("site", "=", "enabbaladi")]
    )
    assert enab.num_rows == sum(r["site"] == "enabbaladi" for r in records)


def test_partitions_are_hive_style_by_site_and_month(dataset, tmp_path: Path) -> None:
    out = exported(tmp_path, dataset[0])
    parts = sorted(str(p.relative_to(out)) for p in out.rglob("*.parquet"))
    assert parts == [
        "site=copy_example/month=2023-06/part-0.parquet",
        "site=enabbaladi/month=2023-06/part-0.parquet",
        "site=enabbaladi/month=undated/part-0.parquet",
        "site=news_example/month=2023-07/part-0.parquet",
        "site=old_example/month=2023-05/part-0.parquet",
    ]
    keys = pa.schema([("site", pa.string()), ("month", pa.string())])
    partitioning = ds.partitioning(keys, flavor="hive")
    table = ds.dataset(out, format="parquet", partitioning=partitioning, exclude_invalid_files=True)
    rows = table.to_table(columns=["site", "month"], filter=pc.field("month") == "undated")
    assert rows.to_pylist() == [{"site": "enabbaladi", "month": "undated"}]


def test_duckdb_reads_the_export(dataset, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    out = exported(tmp_path, dataset[0])
    files = str(out / "*" / "*" / "*.parquet")
    counts = duckdb.sql(
        f"SELECT site, month, count(*) FROM read_parquet('{files}', hive_partitioning = true)"
        " GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    assert counts == [
        ("copy_example", "2023-06", 1),
        ("enabbaladi", "2023-06", 12),
        ("enabbaladi", "undated", 1),
        ("news_example", "2023-07", 1),
        ("old_example", "2023-05", 1),
    ]
    [first_image] = duckdb.sql(
        f"SELECT url, images[1].url, len(body) FROM read_parquet('{files}') ORDER BY url LIMIT 1"
    ).fetchall()
    truth = as_rows(dataset[1])[0]
    assert first_image == (truth["url"], truth["images"][0]["url"], len(truth["body"]))


def test_duckdb_reads_the_jsonl_export(dataset, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    out = exported(tmp_path, dataset[0], format="jsonl")
    rows = duckdb.sql(
        "SELECT url, images[1].caption, len(body), month"
        f" FROM read_json('{out}/*/*/*.jsonl', hive_partitioning = true)"
        " WHERE month BETWEEN '2023-06' AND '2023-07' ORDER BY url"
    ).fetchall()
    truth = [r for r in as_rows(dataset[1]) if r["url"] in {row[0] for row in rows}]
    assert [row[:3] for row in rows] == [
        (r["url"], r["images"][0]["caption"] if r["images"] else None, len(r["body"]))
        for r in truth
    ]
    assert {row[3] for row in rows} == {"2023-06", "2023-07"}


def test_dataset_card(dataset, tmp_path: Path) -> None:
    source = dataset[0]
    out = tmp_path / "card"
    assert main(["export", str(source), "--since", "2023-06-01", "--out", str(out)]) == 0
    card = (out / "README.md").read_text(encoding="utf-8")
    assert (
        f"akhbar export {source} --format parquet --dedup none --since 2023-06-01 --out {out}"
        in card
    )
    assert "| enabbaladi | 2023-06 | 12 |" in card
    assert "| news_example | 2023-07 | 1 |" in card
    assert "old_example" not in card and "undated" not in card  # before --since; no date
    assert "- Records: 14" in card
    assert f"- Schema version: {SCHEMA_VERSION}" in card
    assert "- Publication dates: 2023-06-01 to 2023-07-02" in card
    assert "| `body` | 100.0 % |" in card
    assert "| `cluster_id` | 100.0 % |" in card
    assert "copyright of their publishers" in card


def test_near_dedup_keeps_one_record_per_cluster(dataset, tmp_path: Path) -> None:
    source, records = dataset
    files, index = sorted((source / ".akhbar").iterdir()), (source / INDEX_FILE).read_bytes()
    out = exported(tmp_path, source, format="jsonl", dedup="near")
    assert sorted((source / ".akhbar").iterdir()) == files  # older records were clustered on a copy
    assert (source / INDEX_FILE).read_bytes() == index
    assert [path.name for path in tmp_path.iterdir()] == ["export"]  # the copy is gone
    rows = [json.loads(line) for path in out.rglob("*.jsonl") for line in path.open()]
    # the near copy of 1, the exact copy of 2 and the old copy of 3 go
    assert len(rows) == len(records) - 3
    clusters = [row["cluster_id"] for row in rows]
    assert len(set(clusters)) == len(rows)
    by_url = {row["url"]: row for row in rows}
    assert "https://old.example/archive/3" in by_url  # published first
    assert by_url["https://old.example/archive/3"]["cluster_id"] == records[2]["cluster_id"]
    assert REPLICA.url(3) not in by_url


def test_near_dedup_at_another_threshold_leaves_the_index_as_it_is(dataset, tmp_path: Path) -> None:
    """The copy of the index gets LSH bands for 0.9; the records keep the crawl's clusters."""
    source, records = dataset
    index = (source / INDEX_FILE).read_bytes()
    out = exported(tmp_path, source, format="jsonl", dedup="near", threshold=0.9)
    rows = [json.loads(line) for path in out.rglob("*.jsonl") for line in path.open()]
    assert len(rows) == len(records) - 3
    assert "https://old.example/archive/3" in {row["url"] for row in rows}
    assert (source / INDEX_FILE).read_bytes() == index


def test_near_dedup_clusters_older_data_without_an_index(tmp_path: Path) -> None:
    source = tmp_path / "old"
    wire = replica_record(7)
    records = [wire, republished(wire, "https://news.example/a/7", "2023-07-02"), replica_record(8)]
    write_dataset(source, records)
    out = exported(tmp_path, source, format="jsonl", dedup="near")
    rows = [json.loads(line) for path in out.rglob("*.jsonl") for line in path.open()]
    assert sorted(row["url"] for row in rows) == sorted([wire["url"], REPLICA.url(8)])
    assert {row["cluster_id"] for row in rows} == {cluster_key(r["url"]) for r in rows}
    assert not (source / ".akhbar").exists()  # an export never writes into the dataset


def test_exact_dedup_keeps_one_record_per_content_hash(dataset, tmp_path: Path) -> None:
    source, records = dataset
    out = exported(tmp_path, source, format="jsonl", dedup="exact")
    urls = {json.loads(line)["url"] for path in out.rglob("*.jsonl") for line in path.open()}
    assert urls == {r["url"] for r in records} - {"https://copy.example/2"}


def test_filters_by_site_and_days(dataset, tmp_path: Path) -> None:
    source = dataset[0]
    assert [f.day for f in day_files(source, site="news_example")] == ["2023-07-02"]
    june = day_files(source, since="2023-06-01", until="2023-06-30")
    assert {f.site for f in june} == {"enabbaladi", "copy_example"}
    assert all(f.day != "undated" for f in june)


def test_a_0_9_record_is_upgraded() -> None:
    body = ["قالَ المسؤولُ: «الكهرباءُ ستعود»، خلال ٣ أيام."]
    old = {**OLD_RECORD, "body": body, "content_hash": content_hash(OLD_RECORD["title"], body)}
    new = upgrade(dict(old))
    assert new["schema_version"] == SCHEMA_VERSION
    assert new["published_source"] is None
    assert new["title_search"] == fold(old["title"])
    assert new["body_search"] == ['قال المسوول: "الكهرباء ستعود", خلال 3 ايام.']
    assert list(new) == [name for name in FIELDS if name in new]
    validate(new)
    with pytest.raises(UnknownVersion):
        upgrade({**OLD_RECORD, "schema_version": "7.0"})


def test_unreadable_lines_are_skipped_and_reported(tmp_path: Path, capsys) -> None:
    source = tmp_path / "data"
    record = replica_record(5)
    write_dataset(source, [record])
    with output_path(source, record).open("a", encoding="utf-8") as handle:
        handle.write('{"truncated": \n["a list"]\n')
    code = main(["export", str(source), "--format", "jsonl", "--out", str(tmp_path / "x")])
    assert code == 1
    assert "exported 1 records in 1 partitions" in capsys.readouterr().out
    reader = Reader()
    assert len(list(reader.records(day_files(source)[0]))) == 1
    assert len(reader.problems) == 2


def test_export_refuses_a_folder_in_use(dataset, tmp_path: Path, capsys) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine", encoding="utf-8")
    assert main(["export", str(dataset[0]), "--out", str(tmp_path / "taken")]) == 2
    assert "not empty" in capsys.readouterr().err
    assert (dataset[0] / INDEX_FILE).is_file()  # the source is left as it was


def test_arrow_schema_follows_the_json_schema() -> None:
    schema = arrow_schema()
    assert schema.names == list(FIELDS)
    image = pa.struct(
        [
            pa.field("url", pa.string(), nullable=False),
            pa.field("caption", pa.string()),
            pa.field("credit", pa.string()),
            pa.field("alt", pa.string()),
        ]
    )
    assert schema.field("images").type == pa.list_(pa.field("element", image, False))
    assert schema.field("tags").type == pa.list_(pa.field("element", pa.string(), False))
    assert schema.field("version").type == pa.int64()
    assert not schema.field("url").nullable
    assert schema.field("published").nullable and schema.field("cluster_id").nullable
