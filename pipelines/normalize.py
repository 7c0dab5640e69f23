"""Item pipeline: the record's text normalised (see `scraper.core.normalize`); an Item class
must declare ``title_search``, ``body_search`` and ``content_hash``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from scraper.core.normalize import normalize_record

if TYPE_CHECKING:
    from scrapy import Spider


class NormalizePipeline:
    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        # `spider` is optional: Scrapy 2.19 deprecates pipelines that require it.
        normalize_record(ItemAdapter(item))
        return item
