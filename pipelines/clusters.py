"""Item pipeline: ``cluster_id`` and ``duplicate_of`` from the dataset's near-duplicate index
(see `scraper.store.neardup`), and ``syndicated_from`` from its clusters' agency credits (see
`scraper.store.syndication`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from scraper.store.neardup import DEFAULT_THRESHOLD, NearDupIndex
from scraper.store.syndication import CreditIndex


class NearDuplicatePipeline:
    """Set ``cluster_id`` and ``duplicate_of`` on each record, with the index of the output
    folder open for the crawl (committed every ``COMMIT_EVERY`` new records and at the end)."""

    index: NearDupIndex
    credits: CreditIndex

    def __init__(self, out: Path, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.out = out
        self.threshold = threshold

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NearDuplicatePipeline:
        settings = crawler.settings
        out = Path(settings["AKHBAR_OUTPUT_DIR"])
        return cls(out, settings.getfloat("AKHBAR_NEARDUP_THRESHOLD"))

    def open_spider(self) -> None:
        self.index = NearDupIndex.for_dataset(self.out, self.threshold)
        self.credits = CreditIndex(self.index)

    def process_item(self, item: Any) -> Any:
        record = ItemAdapter(item)
        found = self.index.assign(record["url"], record["content_hash"], record["body_search"])
        record["cluster_id"] = found.cluster_id
        record["duplicate_of"] = found.duplicate_of
        agencies = [agency["id"] for agency in record.get("agencies") or ()]
        record["syndicated_from"] = self.credits.syndicated_from(
            found.cluster_id, record["url"], agencies
        )
        return item

    def close_spider(self) -> None:
        if hasattr(self, "index"):  # Scrapy closes pipelines whose opening failed too
            self.index.close()
