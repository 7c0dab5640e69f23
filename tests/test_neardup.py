"""Near-duplicate clustering: quality on the wire-copy test set, exact duplicates, merges, and
the index persisted across runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from scrapy.utils.test import get_crawler

from benchmarks.bench_neardup import cluster_with_index, pair_scores, wire_corpus
from pipelines import neardup
from pipelines.arabic_text import content_hash, fold
from pipelines.neardup import (
    INDEX_DIR,
    IndexMismatch,
    NearDupIndex,
    NearDuplicatePipeline,
    cluster_key,
    shingles,
)


def record(url: str, body: list[str], title: str = "عنوان") -> dict[str, Any]:
    return {
        "url": url,
        "content_hash": content_hash(title, body),
        "body_search": [fold(paragraph) for paragraph in body],
    }


def crawl(out: Path, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One run of the pipeline over ``records``, as Scrapy drives it."""
    pipeline = NearDuplicatePipeline(out)
    pipeline.open_spider()
    done = [pipeline.process_item(dict(r)) for r in records]
    pipeline.close_spider()
    return done


STORY = [
    "قال الدفاع المدني إن السيول التي ضربت ريف إدلب ليلة الأحد ألحقت أضرارًا بنحو ثمانين خيمة.",
    "وأوضح أن فرق الإنقاذ أخلت عشرين عائلة إلى مدارس قريبة، ولم تسجل إصابات بين السكان.",
    "وناشدت إدارات المخيمات المنظمات الإنسانية تقديم خيام بديلة ووقود للتدفئة بشكل عاجل.",
    "وتتكرر مأساة المخيمات كل شتاء مع غياب شبكات الصرف الصحي وتصريف مياه الأمطار.",
]
OTHER = [
    "رفعت المؤسسة السورية للمخابز سعر ربطة الخبز في حلب إلى أربعة آلاف ليرة اعتبارًا من السبت.",
    "وقال مسؤول في المؤسسة إن القرار جاء بسبب ارتفاع تكاليف الطحين والمازوت ونقص التمويل.",
    "واشتكى سكان من طوابير طويلة أمام الأفران منذ ساعات الفجر الأولى في معظم أحياء المدينة.",
]


def test_precision_and_recall_on_the_wire_copy_set() -> None:
    samples = wire_corpus(stories=100, seed=11)
    scores = pair_scores(samples, cluster_with_index(samples))
    assert scores.positives == 100 * 11
    assert scores.precision >= 0.95
    assert scores.recall >= 0.95


def test_shingles_ignore_punctuation_diacritics_and_paragraph_breaks() -> None:
    plain = [fold(p) for p in STORY]
    retouched = [fold(" ".join(STORY[:2]).replace("،", ",").replace("قال", "قَالَ")), *STORY[2:]]
    assert shingles(plain) == shingles([fold(p) for p in retouched])
    assert shingles([]) == {b""}


def test_new_cluster_is_named_after_its_first_record() -> None:
    index = NearDupIndex()
    first = index.assign("https://a.example/1", "h1", [fold(p) for p in STORY])
    assert first.cluster_id == cluster_key("https://a.example/1")
    assert len(first.cluster_id) == 16
    assert first.duplicate_of is None


def test_exact_duplicate_at_another_url_points_to_the_first() -> None:
    index = NearDupIndex()
    first = index.assign("https://a.example/1", "h1", STORY)
    again = index.assign("https://b.example/9", "h1", STORY)
    refetched = index.assign("https://a.example/1", "h1", STORY)
    assert again == neardup.Assignment(first.cluster_id, "https://a.example/1")
    assert refetched == neardup.Assignment(first.cluster_id, None)


def test_republished_copy_joins_the_cluster_and_another_story_does_not() -> None:
    index = NearDupIndex()
    wire = index.assign("https://agency.example/1", "h1", [fold(p) for p in STORY])
    copy = [
        *STORY[:3],
        "وتتكرر مأساة المخيمات كل شتاء مع غياب شبكات الصرف الصحي وتصريف مياه الأمطار",
    ]
    edited = index.assign("https://outlet.example/7", "h2", [fold(p) for p in copy])
    other = index.assign("https://outlet.example/8", "h3", [fold(p) for p in OTHER])
    assert edited.cluster_id == wire.cluster_id
    assert other.cluster_id != wire.cluster_id


def two_clusters() -> tuple[NearDupIndex, neardup.Assignment, neardup.Assignment]:
    """Two stories apart; at Jaccard 0.3 a record holding both is like each of them."""
    index = NearDupIndex(threshold=0.3)
    left = index.assign("https://a.example/1", "h1", [fold(p) for p in STORY])
    right = index.assign("https://b.example/2", "h2", [fold(p) for p in OTHER])
    return index, left, right


def test_a_record_like_two_clusters_merges_them_into_the_oldest() -> None:
    index, left, right = two_clusters()
    assert left.cluster_id != right.cluster_id
    bridge = index.assign("https://c.example/3", "h3", [fold(p) for p in STORY + OTHER])
    assert bridge.cluster_id == left.cluster_id
    assert index.resolve(right.cluster_id) == left.cluster_id


def test_pipeline_keeps_clustering_across_runs(tmp_path: Path) -> None:
    first = crawl(tmp_path, [record("https://agency.example/1", STORY)])
    copy = [STORY[0].replace("قال", "أفاد"), *STORY[1:]]
    second = crawl(tmp_path, [record("https://outlet.example/5", copy)])
    third = crawl(tmp_path, [record("https://outlet.example/6", STORY)])
    cluster = first[0]["cluster_id"]
    assert second[0]["cluster_id"] == cluster
    assert (third[0]["cluster_id"], third[0]["duplicate_of"]) == (
        cluster,
        "https://agency.example/1",
    )
    folder = tmp_path / INDEX_DIR
    assert len(list(folder.glob("segment-*.arrow"))) == 2  # the exact duplicate adds no row
    assert not list(folder.glob(".*"))  # no temporary file left behind


def test_merges_are_persisted(tmp_path: Path) -> None:
    index, left, right = two_clusters()
    index.assign("https://c.example/3", "h3", [fold(p) for p in STORY + OTHER])
    index.save(tmp_path)
    assert index.save(tmp_path) is None  # nothing new
    reloaded = NearDupIndex.load(tmp_path, threshold=0.3)
    assert len(reloaded) == 3
    assert reloaded.resolve(right.cluster_id) == left.cluster_id


def test_pipeline_saves_a_segment_every_so_many_rows(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(neardup, "SAVE_EVERY", 2)
    pipeline = NearDuplicatePipeline(tmp_path)
    pipeline.open_spider()
    for number, body in enumerate((STORY, OTHER, STORY[:2], OTHER[:1])):
        pipeline.process_item(record(f"https://a.example/{number}", body))
    assert len(list((tmp_path / INDEX_DIR).glob("segment-*.arrow"))) == 2


def test_index_built_with_other_parameters_is_refused(tmp_path: Path) -> None:
    index = NearDupIndex()
    index.assign("https://a.example/1", "h1", STORY)
    path = index.save(tmp_path)
    assert path is not None
    table = pa.ipc.open_file(str(path)).read_all()
    changed = table.replace_schema_metadata({**table.schema.metadata, b"shingle_words": b"5"})
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, changed.schema) as writer:
        writer.write_table(changed)
    with pytest.raises(IndexMismatch):
        NearDupIndex.load(tmp_path)


def test_pipeline_reads_its_settings(tmp_path: Path) -> None:
    settings = {"AKHBAR_OUTPUT_DIR": str(tmp_path), "AKHBAR_NEARDUP_THRESHOLD": "0.9"}
    pipeline = NearDuplicatePipeline.from_crawler(get_crawler(settings_dict=settings))
    assert pipeline.threshold == 0.9
    assert pipeline.folder == tmp_path / INDEX_DIR
