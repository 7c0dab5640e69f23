"""De-duplication within a crawl: one record per canonical URL and per content hash."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem


class DuplicateRecord(DropItem):
    """Not a failure: the same article was already written in this crawl."""


class DedupePipeline:
    def __init__(self) -> None:
        self.seen: set[str] = set()

    def process_item(self, item: Any) -> Any:
        record = ItemAdapter(item)
        keys = (f"url:{record['url']}", f"hash:{record['content_hash']}")
        if any(key in self.seen for key in keys):
            raise DuplicateRecord(f"duplicate of an earlier record: {record['url']}")
        self.seen.update(keys)
        return item
