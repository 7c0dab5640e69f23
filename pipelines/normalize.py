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

from pipelines.arabic_text import faithful, faithful_and_folded, folded_hash

if TYPE_CHECKING:
    from scrapy import Spider

# Besides the title and body, which get folded forms too.
_SCALAR_FIELDS = ("lead", "section")
_LIST_FIELDS = ("tags", "authors")
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


def _both_forms(values: Iterable[str]) -> tuple[list[str], list[str]]:
    """The faithful paragraphs that are not empty, and their folded forms (index-aligned)."""
    pairs = [pair for pair in map(faithful_and_folded, values) if pair[0]]
    return [clean for clean, _ in pairs], [folded for _, folded in pairs]


class NormalizePipeline:
    """Normalise a record's text fields and add the search and hash fields. The title and
    body are cleaned once: their folded forms are made from their faithful ones."""

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        # `spider` is optional: Scrapy 2.19 deprecates pipelines that require it.
        adapter = ItemAdapter(item)
        title, title_search = faithful_and_folded(adapter.get("title") or "")
        body, body_search = _both_forms(adapter.get("body") or ())
        if "title" in adapter:
            adapter["title"] = title or None
        if "body" in adapter:
            adapter["body"] = body
        for key in _SCALAR_FIELDS:
            if key in adapter:
                adapter[key] = _faithful_or_none(adapter[key])
        for key in _LIST_FIELDS:
            if key in adapter:
                adapter[key] = _faithful_list(adapter[key] or ())
        for key, text_keys in _NESTED_FIELDS.items():
            if key in adapter:
                _normalize_nested(adapter[key] or (), text_keys)

        adapter["title_search"] = title_search or None
        adapter["body_search"] = body_search
        adapter["content_hash"] = folded_hash(title_search, body_search)
        return item
