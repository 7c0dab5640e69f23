"""The accuracy the project promises, measured by ``benchmarks/eval_corpus.py``: on the real
pages of ``../shared/corpus`` (skipped when absent) and on every site fixture."""

from __future__ import annotations

from benchmarks.eval_corpus import corpus_cases, evaluate, fixture_cases
from tests.conftest import shared_path

OURS = ["site parsers", "generic alone"]


def test_real_pages_titles_and_days() -> None:
    shared_path("corpus", "gold.jsonl")
    cases = corpus_cases()
    scores = evaluate(cases, OURS)
    site, alone = scores["site parsers"], scores["generic alone"]
    assert (site.total["title"], site.total["date"]) == (len(cases), len(cases)), site.misses
    assert alone.total["title"] >= 4 and alone.total["date"] >= 4, alone.misses


def test_fixtures_site_parsers_are_exact_and_the_generic_extractor_close() -> None:
    cases = fixture_cases()
    scores = evaluate(cases, OURS)
    assert scores["site parsers"].misses == []
    alone = scores["generic alone"]
    assert alone.rate("title") == 1 and alone.rate("date") == 1, alone.misses
    assert alone.rate("body") >= 0.9, alone.misses
