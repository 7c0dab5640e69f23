"""The run report: one line per run in ``<out>/runs.jsonl`` with volumes, coverage, failures
and health; an unhealthy run says why, and ``akhbar crawl`` exits 1."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from scraper.core.record import COVERAGE_FIELDS, MIN_PARSER_COVERAGE
from scraper.crawl.extensions.seen_store import output_dir

logger = logging.getLogger(__name__)

#: Finish reasons of a run that did all it set out to do.
CLEAN_FINISH = ("finished", "closespider_itemcount")


class RunReport:
    """Appends one line per run to ``<out>/runs.jsonl``: volumes, coverage, failures, health."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.path = output_dir(crawler) / "runs.jsonl"
        self.started = datetime.now(UTC)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunReport:
        report = cls(crawler)
        crawler.signals.connect(report.spider_closed, signals.spider_closed)
        return report

    def spider_closed(self, spider: Spider, reason: str) -> None:
        entry = self.summary(spider, reason)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("akhbar/health", entry["health"])
            self.crawler.stats.set_value("akhbar/problems", entry["problems"])
        for problem in entry["problems"]:
            logger.error("run health: %s", problem)

    def summary(self, spider: Spider, reason: str) -> dict[str, Any]:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        ended = datetime.now(UTC)
        written = int(stats.get("akhbar/records_written", 0))
        failures = _by_prefix(stats, "akhbar/failures/")
        fetched = int(stats.get("downloader/response_count", 0))
        seconds = max((ended - self.started).total_seconds(), 1e-6)
        coverage = _shares(stats, "akhbar/coverage/", COVERAGE_FIELDS, written)
        parser = _parser_coverage(stats, written)
        problems = self.problems(spider, written, sum(failures.values()), parser)
        if reason not in CLEAN_FINISH:
            problems.append(f"the run stopped early: {reason}")
        return {
            "site": spider.name,
            "start": self.started.isoformat(timespec="seconds"),
            "end": ended.isoformat(timespec="seconds"),
            "finish_reason": reason,
            "pages_fetched": fetched,
            "records_written": written,
            "records_changed": int(stats.get("akhbar/records_changed", 0)),
            "skipped_seen": int(stats.get("akhbar/skipped_seen", 0)),
            "older_than_since": int(stats.get("discovery/older_than_since", 0)),
            "failures": failures,
            "coverage": coverage,
            "parser_coverage": parser,
            "pages_per_second": round(fetched / seconds, 2),
            "health": "failed" if problems else "ok",
            "problems": problems,
        }

    def problems(
        self, spider: Spider, written: int, failed: int, parser: dict[str, float]
    ) -> list[str]:
        settings = self.crawler.settings
        site = getattr(spider, "site", None)  # a spider without a site: every site's defaults
        minimum = {**MIN_PARSER_COVERAGE, **(site.min_coverage if site else {})}
        found = [
            f"the site parser filled {name} in {parser[name]:.0%} of records (minimum {low:.0%})"
            for name, low in minimum.items()
            if written and parser.get(name, 1.0) < low
        ]
        max_rate = settings.getfloat("AKHBAR_MAX_FAILURE_RATE")
        if failed and failed / (failed + written) > max_rate:
            found.append(f"{failed} of {failed + written} articles failed (maximum {max_rate:.0%})")
        return found


def _by_prefix(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {k.removeprefix(prefix): int(v) for k, v in stats.items() if k.startswith(prefix)}


def _shares(
    stats: dict[str, Any], prefix: str, names: tuple[str, ...], total: int
) -> dict[str, float]:
    return {n: round(int(stats.get(prefix + n, 0)) / total, 4) if total else 0.0 for n in names}


def _parser_coverage(stats: dict[str, Any], written: int) -> dict[str, float]:
    """Share of records whose field came from the site's own extractor, not a fallback."""
    fallbacks = _by_prefix(stats, "akhbar/parser_fallback/")
    return {
        name: round(1 - min(fallbacks.get(name, 0), written) / written, 4) if written else 1.0
        for name in MIN_PARSER_COVERAGE
    }
