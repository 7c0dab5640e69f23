"""The accuracy the project promises, measured by ``benchmarks/eval_corpus.py``: on the real
pages of ``../shared/corpus`` (skipped when absent) and on every site fixture."""

from __future__ import annotations

import pytest

from benchmarks.eval_corpus import corpus_cases, evaluate, fixture_cases
from tests.conftest import shared_path

OURS = ["site parsers", "generic alone"]


def test_real_pages_titles_days_and_bodies() -> None:
    """Every title and day right, for the site parsers and the generic extractor alone; the
    generic body at 0.97 token F1 or better, and better than trafilatura's."""
    shared_path("corpus", "gold.jsonl")
    pytest.importorskip("trafilatura")
    cases = corpus_cases()
    scores = evaluate(cases)
    for name in OURS:
        score = scores[name]
        assert (score.total["title"], score.total["date"]) == (len(cases), len(cases)), (
            name,
            score.misses,
        )
    generic, trafilatura = scores["generic alone"].rate("body"), scores["trafilatura"].rate("body")
    assert generic >= 0.97 and generic > trafilatura, (generic, trafilatura)
    assert scores["site parsers"].rate("body") >= 0.97, scores["site parsers"].misses


def test_fixtures_site_parsers_are_exact_and_the_generic_extractor_close() -> None:
    cases = fixture_cases()
    scores = evaluate(cases, OURS)
    assert scores["site parsers"].misses == []
    alone = scores["generic alone"]
    assert alone.rate("title") == 1 and alone.rate("date") == 1, alone.misses
    assert alone.rate("body") >= 0.9, alone.misses
