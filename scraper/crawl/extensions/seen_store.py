"""The output folder's seen-store, opened for the crawl."""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler

from scraper.store.files import remove_partial_writes
from scraper.store.seen import SeenStore, SeenStoreLike, store_path

logger = logging.getLogger(__name__)


def output_dir(crawler: Crawler) -> Path:
    return Path(crawler.settings["AKHBAR_OUTPUT_DIR"])


class SeenStoreExtension:
    """Opens ``<out>/.akhbar/seen.sqlite`` for the crawl, after mending what a crash left."""

    store: SeenStoreLike

    def __init__(self, out: Path) -> None:
        remove_partial_writes(out)
        self.store = SeenStore(store_path(out))
        kept, dropped = self.store.recover()
        if kept or dropped:
            logger.warning(
                "recovered an interrupted run: %d lines kept, %d to fetch again", kept, dropped
            )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeenStoreExtension:
        extension = cls(output_dir(crawler))
        crawler.signals.connect(extension.close, signals.spider_closed)
        return extension

    def close(self) -> None:
        self.store.close()


def seen_store(crawler: Crawler) -> SeenStoreLike:
    extension = crawler.get_extension(SeenStoreExtension)
    if extension is None:
        raise RuntimeError(
            "enable scraper.crawl.extensions.seen_store.SeenStoreExtension in EXTENSIONS"
        )
    return extension.store
