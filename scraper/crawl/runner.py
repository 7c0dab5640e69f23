"""Running a site's spider in this process with the project settings, and its outcome."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from scraper.crawl import settings as akhbar_settings


def project_settings(**overrides: Any) -> Settings:
    """akhbar's packaged settings (``scraper.crawl.settings``) with ``overrides`` on top."""
    settings = Settings()
    settings.setmodule(akhbar_settings, priority="project")
    settings.setdict({k: v for k, v in overrides.items() if v is not None}, priority="cmdline")
    return settings


@dataclass
class CrawlOutcome:
    stats: dict[str, Any]

    @property
    def written(self) -> int:
        return int(self.stats.get("akhbar/records_written", 0))

    @property
    def failed(self) -> int:
        return int(self.stats.get("akhbar/failures", 0))

    @property
    def failures_by_reason(self) -> dict[str, int]:
        prefix = "akhbar/failures/"
        return {k.removeprefix(prefix): v for k, v in self.stats.items() if k.startswith(prefix)}

    @property
    def files(self) -> list[str]:
        return list(self.stats.get("akhbar/output_files", []))

    @property
    def problems(self) -> list[str]:
        """Why the run is unhealthy (coverage drop, too many failures); empty when healthy."""
        return list(self.stats.get("akhbar/problems", []))

    @property
    def finish_reason(self) -> str:
        return str(self.stats.get("finish_reason", "unknown"))


def crawl(
    site: str,
    out: Path,
    base_url: str | None = None,
    limit: int | None = None,
    settings: dict[str, Any] | None = None,
    **spider_args: Any,
) -> CrawlOutcome:
    """Crawl ``site`` (or its mirror at ``base_url``) into ``out``; blocks until done."""
    process = CrawlerProcess(
        project_settings(
            AKHBAR_OUTPUT_DIR=str(out),
            CLOSESPIDER_ITEMCOUNT=limit,
            **(settings or {}),
        )
    )
    crawler = process.create_crawler(site)
    process.crawl(crawler, base_url=base_url, **spider_args)
    process.start()
    return CrawlOutcome(dict(crawler.stats.get_stats()) if crawler.stats else {})
