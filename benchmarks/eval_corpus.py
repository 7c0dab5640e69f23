"""Extraction accuracy: the site parsers, the generic extractor alone, and trafilatura.

Two page sets: the real pages of ``../shared/corpus`` (gold titles, days and body paragraphs;
skipped when the folder is absent) and every site fixture of ``tests/fixtures`` (their
reviewed expected JSON is the gold). Scores per page: title (exact, after the record's text
normalisation), date (the publication day), body (token F1 over the whole body text, words
counted with repeats), paragraphs (F1 of exactly matching body paragraphs), and where the
gold has them captions and related links (F1 of exact matches); averaged over the pages.
The real pages also get a row each, the three extractors side by side.

"Generic alone" runs ``record_from_page`` as for a host without a site file: no site, and the
page's zone is `generic.timezone`'s guess (the publisher's zone decides the day of a date
given in UTC).

Run: .venv/bin/python benchmarks/eval_corpus.py
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.report import print_table
from scraper.core.arabic_text import faithful
from scraper.core.page import Page
from scraper.crawl.pages import decode
from scraper.extract.record import record_from_page
from scraper.sites import site_for_page

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"
FIELDS = ("title", "date", "body", "paragraphs", "captions", "related")
#: Where the body gold comes from, per field: ``paragraphs`` compares the same list whole.
_GOLD_KEY = {"paragraphs": "body"}
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Case:
    """A page and what should come out of it (only the fields the gold has)."""

    name: str
    url: str
    html: str
    gold: dict[str, Any]


@dataclass
class Score:
    """Per field: the sum of page scores and the number of pages with gold for it."""

    total: dict[str, float] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    by_page: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, name: str, key: str, value: float) -> None:
        self.total[key] = self.total.get(key, 0.0) + value
        self.pages[key] = self.pages.get(key, 0) + 1
        self.by_page.setdefault(name, {})[key] = value
        if value < 1:
            self.misses.append(f"{name}:{key}")

    def figure(self, key: str) -> str:
        if key not in self.pages:
            return "-"
        if key in ("title", "date"):
            return f"{self.total[key]:.0f}/{self.pages[key]}"
        return f"{self.total[key] / self.pages[key]:.2f}"

    def rate(self, key: str) -> float:
        return self.total.get(key, 0.0) / self.pages[key] if self.pages.get(key) else 0.0


def corpus_cases() -> list[Case]:
    """The shared corpus pages with their gold title, day and body ([] when absent)."""
    gold = CORPUS / "gold.jsonl"
    if not gold.exists():
        return []
    cases = []
    for line in gold.read_text("utf-8").splitlines():
        row = json.loads(line)
        html = decode(row["url"], gzip.decompress((CORPUS / row["file"]).read_bytes()))
        gold_fields = {key: row[key] for key in ("title", "date", "body") if key in row}
        cases.append(Case(row["site"], row["url"], html, gold_fields))
    return cases


def fixture_cases() -> list[Case]:
    """Every site fixture, its reviewed expected record as gold."""
    cases = []
    for page in sorted(FIXTURES.glob("*/*.html.gz")):
        meta = json.loads(
            page.with_name(page.name.removesuffix(".html.gz") + ".json").read_text("utf-8")
        )
        expected = meta["expected"]
        html = decode(meta["url"], gzip.decompress(page.read_bytes()))
        gold = {
            "title": expected["title"],
            "date": (expected["published"] or "")[:10] or None,
            "body": expected["body"],
            "captions": [i["caption"] for i in expected["images"] if i["caption"]],
            "related": [r["url"] for r in expected["related"]],
        }
        cases.append(Case(f"{page.parent.name}/{page.name}", meta["url"], html, gold))
    return cases


# --- Extractors: each gives {title, date, body, captions, related} for a page -------------


def _from_record(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": record["title"],
        "date": (record["published"] or "")[:10] or None,
        "body": record["body"],
        "captions": [i["caption"] for i in record["images"] if i["caption"]],
        "related": [r["url"] for r in record["related"]],
    }


def site_parsers(case: Case) -> dict[str, Any]:
    """akhbar as it runs: the site file when the host has one, else the generic extractor."""
    page = Page(url=case.url, html=case.html)
    return _from_record(record_from_page(page, site_for_page(page)))


def generic_alone(case: Case) -> dict[str, Any]:
    return _from_record(record_from_page(Page(url=case.url, html=case.html), None))


def trafilatura_extract(case: Case) -> dict[str, Any]:
    import trafilatura  # a benchmark dependency only

    document = trafilatura.bare_extraction(case.html, url=case.url, with_metadata=True)
    if document is None:
        return {}
    text = getattr(document, "text", None) or ""
    return {
        "title": getattr(document, "title", None),
        "date": getattr(document, "date", None),
        "body": [line for line in text.split("\n") if line.strip()],
    }


EXTRACTORS: dict[str, Callable[[Case], dict[str, Any]]] = {
    "site parsers": site_parsers,
    "generic alone": generic_alone,
    "trafilatura": trafilatura_extract,
}


# --- Scoring -------------------------------------------------------------------------------


def _f1(found: list[str], expected: list[str]) -> float:
    found_set, expected_set = set(found), set(expected)
    if not found_set and not expected_set:
        return 1.0
    common = len(found_set & expected_set)
    return 2 * common / (len(found_set) + len(expected_set))


def token_f1(found: list[str], expected: list[str]) -> float:
    """F1 of the words of two texts, repeats counted (bag of words, faithful form)."""
    got = Counter(_WORD.findall(faithful(" ".join(found))))
    gold = Counter(_WORD.findall(faithful(" ".join(expected))))
    if not got and not gold:
        return 1.0
    common = sum((got & gold).values())
    return 2 * common / (sum(got.values()) + sum(gold.values()))


def _same_text(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and faithful(a) == faithful(b)


def score_case(case: Case, got: dict[str, Any], score: Score) -> None:
    for key in FIELDS:
        source = _GOLD_KEY.get(key, key)
        if source not in case.gold:
            continue
        expected, found = case.gold[source], got.get(source)
        if key == "title":
            value = float(_same_text(found, expected))
        elif key == "date":
            value = float(found == expected)
        elif key == "body":
            value = token_f1(found or [], expected)
        else:
            value = _f1([faithful(x) for x in found or []], [faithful(x) for x in expected])
        score.add(case.name, key, value)


def evaluate(cases: list[Case], extractors: list[str] | None = None) -> dict[str, Score]:
    """Scores per extractor over ``cases``."""
    results = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
        logging.getLogger("htmldate").setLevel(logging.CRITICAL)
        for name in extractors or list(EXTRACTORS):
            score = Score()
            for case in cases:
                score_case(case, EXTRACTORS[name](case), score)
            results[name] = score
    return results


#: The generic extractor and the baseline the ratios compare.
_COMPARED = ("generic alone", "trafilatura")


def _mark(value: float | None) -> str:
    return "-" if value is None else ("✓" if value == 1 else "✗")


def page_rows(cases: list[Case], scores: dict[str, Score]) -> list[dict[str, object]]:
    """One row per page: title and day (✓/✗) and body token F1 of each extractor, in the
    order of `EXTRACTORS`; the ratio is the generic extractor's body F1 over trafilatura's."""
    rows: list[dict[str, object]] = []
    for case in cases:
        pages = [score.by_page.get(case.name, {}) for score in scores.values()]
        title = "/".join(_mark(p.get("title")) for p in pages)
        day = "/".join(_mark(p.get("date")) for p in pages)
        body = "/".join(f"{p['body']:.3f}" if "body" in p else "-" for p in pages)
        ours, theirs = (scores[n].by_page.get(case.name, {}).get("body") for n in _COMPARED)
        rows.append(
            {
                "benchmark": f"page {case.name}: title, day, body token F1",
                "baseline": "trafilatura",
                "ratio": round(ours / theirs, 2) if ours is not None and theirs else "-",
                "figures": f"{'/'.join(scores)}: title {title}, day {day}, body {body}",
            }
        )
    return rows


def run() -> list[dict[str, object]]:
    """Rows per page set and field; the ratio is the generic extractor's score over
    trafilatura's (``inf`` where trafilatura has no such field), the figures give all three.
    Then a row per real page."""
    rows: list[dict[str, object]] = []
    pages: list[dict[str, object]] = []
    for label, cases in (("corpus", corpus_cases()), ("fixtures", fixture_cases())):
        if not cases:
            continue
        scores = evaluate(cases)
        if label == "corpus":
            pages = page_rows(cases, scores)
        for key in FIELDS:
            if key not in scores["site parsers"].pages:
                continue
            ours, theirs = (scores[name].rate(key) for name in _COMPARED)
            rows.append(
                {
                    "benchmark": f"accuracy, {label} ({len(cases)} pages): {key}",
                    "baseline": "trafilatura",
                    "ratio": round(ours / theirs, 2) if theirs else float("inf"),
                    "figures": ", ".join(f"{n} {s.figure(key)}" for n, s in scores.items()),
                }
            )
    return rows + pages


def misses() -> dict[str, list[str]]:
    """Which page fields each extractor gets wrong, for the report."""
    cases = corpus_cases() + fixture_cases()
    return {
        name: score.misses
        for name, score in evaluate(cases, ["site parsers", "generic alone"]).items()
    }


if __name__ == "__main__":
    print_table(run())
