"""Schema validation: a record that breaks the schema is dropped with the reason, so it lands
in ``failures.jsonl`` instead of the dataset. Implausible dates are cleared, not trusted."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from scraper.core.record import InvalidRecord, implausible_dates, validate
from scraper.crawl.items import as_dict

logger = logging.getLogger(__name__)


class ValidatePipeline:
    def process_item(self, item: Any) -> Any:
        record = ItemAdapter(item)
        for key in implausible_dates(record, datetime.now(UTC)):
            logger.warning("%s: implausible %s %s cleared", record.get("url"), key, record[key])
            record[key] = None
        try:
            validate(as_dict(item))
        except InvalidRecord as exc:
            raise DropItem(f"invalid record: {exc}") from exc
        return item
