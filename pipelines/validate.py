"""Schema validation: a record that breaks the schema is dropped with the reason, so it lands
in ``failures.jsonl`` instead of the dataset. Implausible dates are cleared, not trusted."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from scraper.core.record import InvalidRecord, validate
from scraper.crawl.items import as_dict

logger = logging.getLogger(__name__)

#: Arabic news on the web starts in the 1990s; a date before that is a parse error.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
#: Clocks and time zones differ; more than a day ahead is a wrong date.
FUTURE_SLACK = timedelta(days=1)


def implausible(timestamp: str | None, now: datetime) -> bool:
    if not timestamp:
        return False
    value = datetime.fromisoformat(timestamp)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return not EARLIEST <= value <= now + FUTURE_SLACK


class ValidatePipeline:
    def process_item(self, item: Any) -> Any:
        record = ItemAdapter(item)
        now = datetime.now(UTC)
        for key in ("published", "modified"):
            if implausible(record.get(key), now):
                logger.warning("%s: implausible %s %s cleared", record.get("url"), key, record[key])
                record[key] = None
        try:
            validate(as_dict(item))
        except InvalidRecord as exc:
            raise DropItem(f"invalid record: {exc}") from exc
        return item
