"""Extraction speed: pages/s of akhbar's extract core against trafilatura and a bare parse.

The extract core is what a crawl does per article page once it is fetched: ``Page`` (parse
included), ``record_from_page`` (site detection, site parser, generic fallbacks) and the
normalisation pipeline. It runs on the real pages of ``../shared/corpus`` (when present) and
on every site fixture, against ``trafilatura.bare_extraction`` (with metadata) and against
``lxml.html.fromstring`` alone on the same pages. Each figure is the best of a few timed
rounds of CPU time (``time.process_time``), so that another process on the machine does not
decide it.

A second table splits the extract core in stages, in CPU ms a page (each stage's best
round): the parse (``Page.tree``), site detection, the site file's field extractors (with
the page views they compute first), the generic fallbacks (the rest of ``record_from_page``:
the generic layers for fields the site left empty, dates, URL), normalisation and schema
validation. The ratio is the stage's time over the bare parse's.

Run from the repository root: .venv/bin/python -m benchmarks.bench_extract
"""

from __future__ import annotations

import dataclasses
import logging
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import lxml.html

from benchmarks.eval_corpus import Case, corpus_cases, fixture_cases
from benchmarks.report import best_seconds, print_table
from scraper.core.normalize import normalize_record
from scraper.core.page import Page
from scraper.core.record import validate
from scraper.extract.record import record_from_page
from scraper.extract.site import Extractor, Site
from scraper.sites import site_for_page

ROUNDS = 9
OURS_PASSES, TRAFILATURA_PASSES = 10, 1
STAGES = ("parse", "site detection", "site fields", "generic fallbacks", "normalise", "validate")


def extract_core(case: Case) -> object:
    page = Page(url=case.url, html=case.html)
    return record_from_page(page, site_for_page(page))


def bare_parse(case: Case) -> object:
    return lxml.html.fromstring(case.html)


def trafilatura_extract(case: Case) -> object:
    import trafilatura  # a benchmark dependency only

    return trafilatura.bare_extraction(case.html, url=case.url, with_metadata=True)


def pages_per_second(extract: Callable[[Case], object], cases: list[Case], passes: int) -> float:
    """The best CPU-time rate of `ROUNDS` rounds of ``passes`` passes over ``cases`` (after a
    warm-up)."""
    for case in cases:
        extract(case)
    best = best_seconds(lambda: [extract(case) for _ in range(passes) for case in cases], ROUNDS)
    return passes * len(cases) / best


class StageClock:
    """CPU seconds spent per stage (`STAGES`), summed over the pages timed."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(STAGES, 0.0)
        self._sites: dict[str, Site] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.process_time()
        yield
        self.seconds[name] += time.process_time() - start

    def timed(self, name: str, extractor: Extractor) -> Extractor:
        def extract(page: Page) -> object:
            with self.stage(name):
                return extractor(page)

        return extract

    def timed_site(self, site: Site | None) -> Site | None:
        """``site`` with each field extractor timed as a "site fields" stage."""
        if site is None:
            return None
        if site.name not in self._sites:
            parsers = tuple(
                dataclasses.replace(
                    p, extractors={k: self.timed("site fields", e) for k, e in p.extractors.items()}
                )
                for p in site.parsers
            )
            self._sites[site.name] = dataclasses.replace(site, parsers=parsers)
        return self._sites[site.name]


def staged(case: Case, clock: StageClock) -> None:
    """The extract core of one page, each stage timed on ``clock``."""
    page = Page(url=case.url, html=case.html)
    with clock.stage("parse"):
        page.tree  # noqa: B018 - parsed here, on first use
    with clock.stage("site detection"):
        site = clock.timed_site(site_for_page(page))
    before = clock.seconds["site fields"]
    with clock.stage("generic fallbacks"):
        record = record_from_page(page, site, normalized=False)
    clock.seconds["generic fallbacks"] -= clock.seconds["site fields"] - before
    with clock.stage("normalise"):
        normalize_record(record)
    with clock.stage("validate"):
        validate(record)


def stage_times(cases: list[Case], passes: int) -> dict[str, float]:
    """CPU ms a page per stage, each stage's best of `ROUNDS` rounds (after a warm-up)."""
    warm_up = StageClock()
    for case in cases:
        staged(case, warm_up)
    best = dict.fromkeys(STAGES, float("inf"))
    for _ in range(ROUNDS):
        clock = StageClock()
        for _ in range(passes):
            for case in cases:
                staged(case, clock)
        best = {name: min(best[name], clock.seconds[name]) for name in STAGES}
    return {name: 1000 * seconds / (passes * len(cases)) for name, seconds in best.items()}


def stage_rows(label: str, cases: list[Case], parse_ms: float) -> list[dict[str, object]]:
    return [
        {
            "benchmark": f"extract core stage: {name}, {label}",
            "baseline": "lxml.html.fromstring alone (time ratio, lower is better)",
            "ratio": round(ms / parse_ms, 2),
            "figures": f"{ms:.3f} CPU ms a page",
        }
        for name, ms in stage_times(cases, OURS_PASSES).items()
    ]


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
            rows += stage_rows(label, cases, 1000 / parse)
    return rows


if __name__ == "__main__":
    print_table(run())
