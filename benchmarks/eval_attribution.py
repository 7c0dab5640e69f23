"""Attribution on real pages: per page of ``../shared/corpus`` (skipped when absent), the
dateline, agencies, language, script share and free access that the site parser and the
generic extractor give, and what the annotation fields cost per article.

Run: .venv/bin/python -m benchmarks.eval_attribution
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks.eval_corpus import Case, corpus_cases, fixture_cases
from benchmarks.report import Row, print_table
from scraper.core.page import Page
from scraper.extract.annotate import annotation_fields
from scraper.extract.record import extract_fields, record_from_page
from scraper.sites import site_for_page

#: Times each page is read for the timing.
ROUNDS = 20


def _dateline(value: dict[str, Any] | None) -> str:
    if value is None:
        return "-"
    return f"{value['place'] or '∅'} / {value['tag'] or '∅'} ({value['found_in']})"


def _agencies(value: list[dict[str, Any]]) -> str:
    return ", ".join(f"{a['id']} ({'+'.join(a['found_in'])})" for a in value) or "-"


def page_rows(cases: list[Case]) -> list[Row]:
    """One row per page and extractor: what the record says."""
    rows = []
    for case in cases:
        page = Page(case.url, case.html)
        for name, site in (("site parser", site_for_page(page)), ("generic", None)):
            record = record_from_page(Page(case.url, case.html), site)
            rows.append(
                {
                    "benchmark": f"{case.name} ({name})",
                    "baseline": f"dateline {_dateline(record['dateline'])}",
                    "ratio": f"agencies {_agencies(record['agencies'])}",
                    "figures": f"language {record['language']}, script share "
                    f"{record['script_share']}, free access {record['free_access']}",
                }
            )
    return rows


def _seconds(cases: list[Case]) -> tuple[float, float]:
    """CPU seconds per article of the annotation fields, and of the whole record."""
    annotating = whole = 0.0
    for _ in range(ROUNDS):
        for case in cases:
            page = Page(case.url, case.html)
            site = site_for_page(page)
            fields = extract_fields(page, site)
            started = time.process_time()
            annotation_fields(page, site, fields)
            annotating += time.process_time() - started
            started = time.process_time()
            record_from_page(Page(case.url, case.html), site)
            whole += time.process_time() - started
    articles = ROUNDS * len(cases)
    return annotating / articles, whole / articles


def cost_row(cases: list[Case]) -> Row:
    annotation, record = _seconds(cases)
    return {
        "benchmark": "attribution, language and access fields per article",
        "baseline": "the whole record_from_page",
        "ratio": annotation / record,
        "figures": f"{annotation * 1e3:.2f} ms of {record * 1e3:.2f} ms per article "
        f"({len(cases)} pages x {ROUNDS}; lower is better)",
    }


def run() -> list[Row]:
    corpus = corpus_cases()
    return [*page_rows(corpus), cost_row(corpus + fixture_cases())]


if __name__ == "__main__":
    print_table(run())
