"""Near-duplicate clustering: quality on the wire-copy test set, exact duplicates, merges, the
index on disk across runs (and memory that does not grow with it), and the former format."""

from __future__ import annotations

import json
import re
import sqlite3
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scrapy.utils.test import get_crawler

from benchmarks.bench_neardup import cluster_with_index, pair_scores, wire_corpus
from pipelines.clusters import NearDuplicatePipeline
from scraper.core.arabic_text import content_hash, fold
from scraper.store import minhash, neardup
from scraper.store.minhash import CRC32, WORDS64, lsh_bands, shingles, signature
from scraper.store.neardup import (
    IMPORTED_DIR,
    INDEX_FILE,
    LEGACY_DIR,
    PARAMETERS,
    IndexMismatch,
    NearDupIndex,
    cluster_key,
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


def stored(out: Path) -> int:
    """Records committed to the index of ``out``, as another process sees them."""
    with sqlite3.connect(out / INDEX_FILE) as db:
        return int(db.execute("SELECT count(*) FROM records").fetchone()[0])


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


def test_crc32_signature_is_the_one_indexes_made_before_hold() -> None:
    """The values of datasketch 2.0's MinHash(num_perm=128, seed=1, hashfunc=zlib.crc32), with
    which every index was built before the ``words64`` shingle hash."""
    sig = signature([fold(STORY[0])], CRC32)
    assert sig.dtype == np.uint32
    assert sig.shape == (minhash.NUM_PERM,)
    assert sig[:6].tolist() == [378617330, 404605707, 88935153, 1537719925, 438161160, 209242075]
    assert sum(sig.tolist()) == 36040807293
    assert signature([], CRC32)[:3].tolist() == [214548472, 3287733501, 2301657549]


def test_words64_signature_stays_what_indexes_hold() -> None:
    """Stored signatures are compared with new ones: the ``words64`` values must not drift."""
    sig = signature([fold(STORY[0])])
    assert sig.dtype == np.uint32
    assert sig[:6].tolist() == [130105478, 807436904, 582091849, 37658792, 468441920, 638757348]
    assert sum(sig.tolist()) == 36919327840


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
@example("قال الدفاع، المدني_في 12 x𝔸y 😀 ok")
@example("\ud800نص\udfff")
def test_word_hashes_cut_words_where_the_word_pattern_does(text: str) -> None:
    """One hash per ``\\w+`` match, the hash of that word alone: same words, same cuts."""
    words = re.findall(r"\w+", text)
    hashes = minhash.word_hashes(text).tolist()
    assert hashes == [minhash.word_hashes(word)[0] for word in words]
    assert len(set(hashes)) == len(set(words))


@pytest.mark.parametrize("shingle_hash", sorted(minhash.SHINGLE_HASHES))
@pytest.mark.parametrize("at_once", [1, 50, minhash.PERMUTED_AT_ONCE])
def test_signatures_of_many_bodies_are_each_body_s_signature(
    shingle_hash: str, at_once: int, monkeypatch
) -> None:
    """Bodies signed together, permuted a few at a time or all at once, short ones and empty
    ones among them, get the signatures they get one by one."""
    bodies = [s.body_search for s in wire_corpus(stories=3, seed=5)]
    bodies[3:3] = [[], ["كلمة"], ["كلمتان هنا"], ["x𝔸y نص", "ok"], ["،؛"]]
    alone = np.array([signature(body, shingle_hash) for body in bodies])
    monkeypatch.setattr(minhash, "PERMUTED_AT_ONCE", at_once)
    assert (minhash.signatures(bodies, shingle_hash) == alone).all()


def test_records_clustered_together_get_what_one_at_a_time_gives(tmp_path: Path) -> None:
    """``assign_all`` over batches (copies within a batch and across batches, exact copies at
    other URLs and at the same URL) assigns as ``assign`` does, and stores the same index."""
    samples = wire_corpus(stories=30, seed=7)
    records = [neardup.Incoming(s.url, s.content_hash, s.body_search) for s in samples]
    records[40:40] = [records[3]._replace(url="https://copy.example/3"), records[5], records[41]]
    with NearDupIndex(tmp_path / "one.sqlite") as one:
        singly = [one.assign(*record) for record in records]
        merges = one.db.execute("SELECT * FROM aliases ORDER BY merged").fetchall()
        assert merges  # clusters found to be one story, within and across batches
    with NearDupIndex(tmp_path / "all.sqlite") as index:
        together = index.assign_all(records)
        assert index.db.execute("SELECT * FROM aliases ORDER BY merged").fetchall() == merges
    assert together == singly
    assert together[40].duplicate_of == records[3].url
    assert len({found.cluster_id for found in together}) < len(records) / 2
    for name in ("records", "bands"):
        query = f"SELECT * FROM {name} ORDER BY 1, 2, 3"
        with (
            sqlite3.connect(tmp_path / "one.sqlite") as a,
            sqlite3.connect(tmp_path / "all.sqlite") as b,
        ):
            assert a.execute(query).fetchall() == b.execute(query).fetchall()


def test_signatures_ignore_punctuation_diacritics_and_paragraph_breaks() -> None:
    plain = [fold(p) for p in STORY]
    retouched = [fold(" ".join(STORY[:2]).replace("،", ",").replace("قال", "قَالَ")), *STORY[2:]]
    for shingle_hash in minhash.SHINGLE_HASHES:
        assert (
            signature(plain, shingle_hash).tolist()
            == signature([fold(p) for p in retouched], shingle_hash).tolist()
        )


def test_an_index_keeps_the_shingle_hash_it_was_made_with(tmp_path: Path) -> None:
    """Indexes made with CRC-32 shingle hashes go on with them, so their copies are found."""
    path = tmp_path / "index.sqlite"
    with NearDupIndex(path, shingle_hash=CRC32) as index:
        first = index.assign("https://a.example/1", "h1", [fold(p) for p in STORY])
    with NearDupIndex(path) as index:
        assert index.shingle_hash == CRC32
        edited = [STORY[0].replace("قال", "أفاد"), *STORY[1:]]
        copy = index.assign("https://b.example/2", "h2", [fold(p) for p in edited])
        assert copy.cluster_id == first.cluster_id
    with NearDupIndex(tmp_path / "new.sqlite") as index:
        assert index.shingle_hash == WORDS64
        stored_hash = index.db.execute("SELECT value FROM parameters WHERE name = 'hash'")
        assert stored_hash.fetchone()[0] == WORDS64


def test_an_index_with_an_unknown_shingle_hash_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    NearDupIndex(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE parameters SET value = 'md5' WHERE name = 'hash'")
    with pytest.raises(IndexMismatch):
        NearDupIndex(path)


def test_lsh_bands_are_the_ones_datasketch_chose() -> None:
    assert [lsh_bands(t) for t in (0.5, 0.7, 0.8, 0.9)] == [(32, 4), (20, 6), (14, 9), (8, 16)]


@pytest.fixture
def index(tmp_path: Path) -> Iterator[NearDupIndex]:
    with NearDupIndex(tmp_path / "index.sqlite") as opened:
        yield opened


def test_new_cluster_is_named_after_its_first_record(index: NearDupIndex) -> None:
    first = index.assign("https://a.example/1", "h1", [fold(p) for p in STORY])
    assert first.cluster_id == cluster_key("https://a.example/1")
    assert len(first.cluster_id) == 16
    assert first.duplicate_of is None


def test_exact_duplicate_at_another_url_points_to_the_first(index: NearDupIndex) -> None:
    first = index.assign("https://a.example/1", "h1", STORY)
    again = index.assign("https://b.example/9", "h1", STORY)
    refetched = index.assign("https://a.example/1", "h1", STORY)
    assert again == neardup.Assignment(first.cluster_id, "https://a.example/1")
    assert refetched == neardup.Assignment(first.cluster_id, None)


def test_republished_copy_joins_the_cluster_and_another_story_does_not(
    index: NearDupIndex,
) -> None:
    wire = index.assign("https://agency.example/1", "h1", [fold(p) for p in STORY])
    copy = [
        *STORY[:3],
        "وتتكرر مأساة المخيمات كل شتاء مع غياب شبكات الصرف الصحي وتصريف مياه الأمطار",
    ]
    edited = index.assign("https://outlet.example/7", "h2", [fold(p) for p in copy])
    other = index.assign("https://outlet.example/8", "h3", [fold(p) for p in OTHER])
    assert edited.cluster_id == wire.cluster_id
    assert other.cluster_id != wire.cluster_id


def two_clusters(path: Path) -> tuple[NearDupIndex, neardup.Assignment, neardup.Assignment]:
    """Two stories apart; at Jaccard 0.3 a record holding both is like each of them."""
    index = NearDupIndex(path, threshold=0.3)
    left = index.assign("https://a.example/1", "h1", [fold(p) for p in STORY])
    right = index.assign("https://b.example/2", "h2", [fold(p) for p in OTHER])
    return index, left, right


def test_a_record_like_two_clusters_merges_them_into_the_oldest(tmp_path: Path) -> None:
    index, left, right = two_clusters(tmp_path / "index.sqlite")
    assert left.cluster_id != right.cluster_id
    bridge = index.assign("https://c.example/3", "h3", [fold(p) for p in STORY + OTHER])
    assert bridge.cluster_id == left.cluster_id
    assert index.resolve(right.cluster_id) == left.cluster_id
    index.close()


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
    assert stored(tmp_path) == 2  # the exact duplicate adds no row


def test_merges_and_clusters_survive_a_close_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    index, left, right = two_clusters(path)
    index.assign("https://c.example/3", "h3", [fold(p) for p in STORY + OTHER])
    index.close()
    with NearDupIndex(path, threshold=0.3) as reopened:
        assert len(reopened) == 3
        assert reopened.knows("h2") and not reopened.knows("h4")
        assert reopened.resolve(right.cluster_id) == left.cluster_id
        copy = reopened.assign("https://d.example/4", "h4", [fold(p) for p in OTHER])
        assert copy.cluster_id == left.cluster_id


def test_an_index_made_for_another_threshold_gets_its_bands_again(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    with NearDupIndex(path) as index:  # 0.8: no merge between the two stories
        index.assign("https://a.example/1", "h1", [fold(p) for p in STORY])
        index.assign("https://b.example/2", "h2", [fold(p) for p in OTHER])
    with NearDupIndex(path, threshold=0.3) as index:
        bridge = index.assign("https://c.example/3", "h3", [fold(p) for p in STORY + OTHER])
        assert bridge.cluster_id == cluster_key("https://a.example/1")
        assert index.resolve(cluster_key("https://b.example/2")) == bridge.cluster_id
        bands = index.db.execute("SELECT count(*) FROM bands").fetchone()[0]
        assert bands == 3 * index.bands


def test_an_index_keyed_the_former_way_gets_its_bands_again(tmp_path: Path) -> None:
    """Bands keyed by BLAKE2b digests, as indexes were made before: made again from the
    signatures, so that a copy of a record indexed then is still found."""
    path = tmp_path / "index.sqlite"
    with NearDupIndex(path) as index:
        first = index.assign("https://a.example/1", "h1", [fold(p) for p in STORY])
    with sqlite3.connect(path) as db:
        db.execute("UPDATE parameters SET value = 'blake2b-8' WHERE name = 'band_key'")
        db.execute("UPDATE bands SET key = key + 1")  # as the former keys differ from today's
    with NearDupIndex(path) as index:
        stored_key = index.db.execute("SELECT value FROM parameters WHERE name = 'band_key'")
        assert stored_key.fetchone()[0] == neardup.BAND_KEY
        edited = [STORY[0].replace("قال", "أفاد"), *STORY[1:]]
        copy = index.assign("https://b.example/2", "h2", [fold(p) for p in edited])
        assert copy.cluster_id == first.cluster_id


def test_band_keys_tell_bands_apart_and_repeat_for_equal_values() -> None:
    rng = np.random.default_rng(3)
    bands = rng.integers(0, 2**32, size=(5000, 9), dtype=np.uint32)
    keys = neardup.band_keys(bands).tolist()
    assert len(set(keys)) == len(keys)
    assert keys[:7] == neardup.band_keys(bands[:7].copy()).tolist()
    assert keys[:6] == neardup.band_keys(bands[:6].reshape(2, 3, 9)).ravel().tolist()
    assert all(-(2**63) <= key < 2**63 for key in keys)


def test_pipeline_commits_every_so_many_records(tmp_path: Path, monkeypatch) -> None:
    """A crash loses at most the records since the last commit, never the index."""
    monkeypatch.setattr(neardup, "COMMIT_EVERY", 2)
    pipeline = NearDuplicatePipeline(tmp_path)
    pipeline.open_spider()
    for number, body in enumerate((STORY, OTHER, STORY[:2])):
        pipeline.process_item(record(f"https://a.example/{number}", body))
    assert stored(tmp_path) == 2
    pipeline.index.db.close()  # killed: the third record was not committed
    crawl(tmp_path, [record("https://a.example/3", OTHER[:1])])
    assert stored(tmp_path) == 3


def test_memory_does_not_grow_with_the_index(tmp_path: Path) -> None:
    """The former in-memory index took a peak of 14 MB on these records (4.7 KB each)."""

    def records() -> Iterator[tuple[str, str, list[str]]]:
        for number in range(3000):
            words = [f"w{(number // 3 * 7919 + i * 104729) % 50021}" for i in range(60)]
            words[number % 60] = f"x{number % 3}"  # three near-duplicates of each text
            yield f"https://a.example/{number}", f"h{number}", [" ".join(words)]

    with NearDupIndex(tmp_path / "index.sqlite") as index:
        tracemalloc.start()
        try:
            for url, digest, body in records():
                index.assign(url, digest, body)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert len(index) == 3000
    assert peak < 2 * 2**20


def test_index_built_with_other_parameters_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    with NearDupIndex(path) as index:
        index.assign("https://a.example/1", "h1", STORY)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE parameters SET value = '5' WHERE name = 'shingle_words'")
    with pytest.raises(IndexMismatch):
        NearDupIndex(path)


def write_segment(folder: Path, rows: list[tuple[str, str, list[str]]], **metadata: str) -> None:
    """An index segment as akhbar wrote them before the SQLite index."""
    signatures = pa.array([x for _, _, body in rows for x in signature(body, CRC32)], pa.uint32())
    table = pa.table(
        {
            "url": [url for url, _, _ in rows],
            "content_hash": [digest for _, digest, _ in rows],
            "cluster_id": [cluster_key(rows[0][0])] * len(rows),
            "signature": pa.FixedSizeListArray.from_arrays(signatures, neardup.NUM_PERM),
        }
    )
    folder.mkdir(parents=True, exist_ok=True)
    table = table.replace_schema_metadata({**PARAMETERS, "hash": CRC32, **metadata})
    path = folder / "segment-20240101T000000000000Z-1.arrow"
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def test_an_index_of_the_former_format_is_imported_once(tmp_path: Path) -> None:
    rows = [("https://a.example/1", "h1", [fold(p) for p in STORY])]
    merged = {"0123456789abcdef": cluster_key("https://a.example/1")}  # a merge of that run
    write_segment(tmp_path / LEGACY_DIR, rows, merged=json.dumps(merged))
    founder = cluster_key("https://a.example/1")
    with NearDupIndex.copy_of(tmp_path, tmp_path / "scratch") as scratch:  # as an export does
        assert scratch.knows("h1") and scratch.resolve("0123456789abcdef") == founder
    assert (tmp_path / LEGACY_DIR).is_dir() and not (tmp_path / INDEX_FILE).exists()
    copy = record("https://outlet.example/5", [STORY[0].replace("قال", "أفاد"), *STORY[1:]])
    [found] = crawl(tmp_path, [copy])
    assert found["cluster_id"] == founder
    assert not (tmp_path / LEGACY_DIR).exists() and (tmp_path / IMPORTED_DIR).is_dir()
    with NearDupIndex.for_dataset(tmp_path) as index:
        assert len(index) == 2
        assert index.resolve("0123456789abcdef") == founder


def test_a_former_index_built_with_other_parameters_is_refused(tmp_path: Path) -> None:
    write_segment(tmp_path / LEGACY_DIR, [("https://a.example/1", "h1", STORY)], seed="2")
    with pytest.raises(IndexMismatch):
        NearDupIndex.for_dataset(tmp_path)
    assert (tmp_path / LEGACY_DIR).is_dir() and stored(tmp_path) == 0


def test_pipeline_reads_its_settings(tmp_path: Path) -> None:
    settings = {"AKHBAR_OUTPUT_DIR": str(tmp_path), "AKHBAR_NEARDUP_THRESHOLD": "0.9"}
    pipeline = NearDuplicatePipeline.from_crawler(get_crawler(settings_dict=settings))
    assert pipeline.threshold == 0.9
    assert pipeline.out == tmp_path
