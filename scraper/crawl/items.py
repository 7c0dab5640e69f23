"""What crawl components know of items: a record as a plain dict, and why one was dropped."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem


def as_dict(item: Any) -> dict[str, Any]:
    """The item as a plain dict: itself when it is one (the spiders yield dicts), else a copy.

    ``ItemAdapter.asdict`` deep-copies every nested list, which showed up in crawl profiles.
    """
    return item if isinstance(item, dict) else ItemAdapter(item).asdict()


class UnchangedRecord(DropItem):
    """Not a failure: the dataset already holds this article as it is now."""


class UnwritableRecord(DropItem):
    """A record whose site or date would put its file outside the output folder."""

    reason = "unsafe_path"
