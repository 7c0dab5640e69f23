"""Extraction speed: pages/s of akhbar's extract core against trafilatura and a bare parse.

The extract core is what a crawl does per article page once it is fetched: ``Page`` (parse
included), ``record_from_page`` (site detection, site parser, generic fallbacks) and the
normalisation pipeline. It runs on the real pages of ``../shared/corpus`` (when present) and
on every site fixture, against ``trafilatura.bare_extraction`` (with metadata) and against
``lxml.html.fromstring`` alone on the same pages. Each figure is the best of a few timed
rounds, so that another process on the machine does not decide it.

Run from the repository root: .venv/bin/python -m benchmarks.bench_extract
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable

import lxml.html

from benchmarks.eval_corpus import Case, corpus_cases, fixture_cases
from benchmarks.report import print_table
from scraper.core.page import Page
from scraper.extract.record import record_from_page
from scraper.sites import site_for_page

ROUNDS = 5
OURS_PASSES, TRAFILATURA_PASSES = 10, 1


def extract_core(case: Case) -> object:
    page = Page(url=case.url, html=case.html)
    return record_from_page(page, site_for_page(page))


def bare_parse(case: Case) -> object:
    return lxml.html.fromstring(case.html)


def trafilatura_extract(case: Case) -> object:
    import trafilatura  # a benchmark dependency only

    return trafilatura.bare_extraction(case.html, url=case.url, with_metadata=True)


def pages_per_second(extract: Callable[[Case], object], cases: list[Case], passes: int) -> float:
    """The best rate of `ROUNDS` rounds of ``passes`` passes over ``cases`` (after a warm-up)."""
    for case in cases:
        extract(case)
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(passes):
            for case in cases:
                extract(case)
        best = min(best, time.perf_counter() - start)
    return passes * len(cases) / best


def run() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
        logging.getLogger("htmldate").setLevel(logging.CRITICAL)
        for label, cases in (("corpus", corpus_cases()), ("fixtures", fixture_cases())):
            if not cases:
                continue
            ours = pages_per_second(extract_core, cases, OURS_PASSES)
            parse = pages_per_second(bare_parse, cases, OURS_PASSES)
            theirs = pages_per_second(trafilatura_extract, cases, TRAFILATURA_PASSES)
            name = f"extract core, pages/s, {label} ({len(cases)} pages)"
            rows.append(
                {
                    "benchmark": name,
                    "baseline": "trafilatura.bare_extraction",
                    "ratio": round(ours / theirs, 1),
                    "figures": f"{ours:,.0f}/s vs {theirs:,.0f}/s",
                }
            )
            rows.append(
                {
                    "benchmark": name,
                    "baseline": "lxml.html.fromstring alone (time ratio, lower is better)",
                    "ratio": round(parse / ours, 2),
                    "figures": f"{1000 / ours:.2f} ms vs {1000 / parse:.2f} ms a page",
                }
            )
    return rows


if __name__ == "__main__":
    print_table(run())
