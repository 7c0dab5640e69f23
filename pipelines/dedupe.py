"""De-duplication against the seen-store: an article already in the dataset is written again
only when it changed (a new content hash), as the next ``version``."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from scraper.crawl.extensions.seen_store import seen_store
from scraper.crawl.items import UnchangedRecord
from scraper.store.seen import SeenStoreLike


class DedupePipeline:
    def __init__(self, store: SeenStoreLike, crawler: Crawler | None = None) -> None:
        self.store = store
        self.stats = crawler.stats if crawler else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(seen_store(crawler), crawler)

    def process_item(self, item: Any) -> Any:
        record = ItemAdapter(item)
        known = self.store.get(record["url"])
        if known is None:
            record["version"] = 1
        elif known.content_hash == record["content_hash"]:
            raise UnchangedRecord(f"unchanged since last written: {record['url']}", "DEBUG")
        else:
            record["version"] = known.version + 1
            if self.stats is not None:
                self.stats.inc_value("akhbar/records_changed")
        return item
