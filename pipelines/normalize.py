"""Item pipeline: faithful text in the record's own fields, folded text beside it.

Every text value of the record (not URLs) is replaced by its faithful form.
Paragraphs, tags and authors that normalise to nothing are dropped; single
optional values (title, lead, section, image caption/credit/alt, related title)
that normalise to nothing become ``None``. The pipeline then sets
``title_search`` (``None`` when empty), ``body_search`` (one entry per ``body``
paragraph, index-aligned) and ``content_hash``; an Item class must declare these
fields. Missing text keys are left missing and ``None`` lists become empty.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from scraper.core.arabic_text import content_hash, faithful, fold

if TYPE_CHECKING:
    from scrapy import Spider

_SCALAR_FIELDS = ("title", "lead", "section")
_LIST_FIELDS = ("body", "tags", "authors")
# Nested lists of dicts and the text keys inside them.
_NESTED_FIELDS = {"images": ("caption", "credit", "alt"), "related": ("title",)}


def _faithful_or_none(value: str | None) -> str | None:
    return faithful(value or "") or None


def _faithful_list(values: Iterable[str]) -> list[str]:
    return [text for text in map(faithful, values) if text]


def _normalize_nested(entries: Iterable[MutableMapping[str, Any]], keys: tuple[str, ...]) -> None:
    for entry in entries:
        for key in keys:
            if key in entry:
                entry[key] = _faithful_or_none(entry[key])


class NormalizePipeline:
    """Normalise a record's text fields and add the search and hash fields."""

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        # `spider` is optional: Scrapy 2.19 deprecates pipelines that require it.
        adapter = ItemAdapter(item)
        for key in _SCALAR_FIELDS:
            if key in adapter:
                adapter[key] = _faithful_or_none(adapter[key])
        for key in _LIST_FIELDS:
            if key in adapter:
                adapter[key] = _faithful_list(adapter[key] or ())
        for key, text_keys in _NESTED_FIELDS.items():
            if key in adapter:
                _normalize_nested(adapter[key] or (), text_keys)

        title = adapter.get("title")
        body = adapter.get("body") or []
        adapter["title_search"] = fold(title or "") or None
        adapter["body_search"] = [fold(para) for para in body]
        adapter["content_hash"] = content_hash(title, body)
        return item
