"""A record's text normalised: the faithful form in its own fields, the folded form beside them.

Every text value of the record (not URLs) is replaced by its faithful form, field by field as
the FIELDS table says. Paragraphs, tags and authors that normalise to nothing are dropped;
single optional texts (title, lead, section, image caption/credit/alt, related title) that
normalise to nothing become ``None``. Then ``title_search`` (``None`` when empty),
``body_search`` (one entry per ``body`` paragraph, index-aligned) and ``content_hash`` are set.
Missing text keys are left missing and ``None`` lists become empty.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from typing import Any

from scraper.core.arabic_text import faithful, faithful_and_folded, folded_forms, folded_hash
from scraper.core.record import FIELDS

#: The fields whose folded forms are kept beside them (``title_search``, ``body_search``):
#: cleaned once, their folded forms made from their faithful ones.
SEARCHED = ("title", "body")
#: Other record fields holding one text, a list of texts, or a list of objects with text keys.
ONE_TEXT = tuple(f.name for f in FIELDS if f.text == "one" and f.name not in SEARCHED)
TEXT_LISTS = tuple(f.name for f in FIELDS if f.text == "list" and f.name not in SEARCHED)
NESTED_TEXTS = {field.name: field.text for field in FIELDS if isinstance(field.text, tuple)}

Record = MutableMapping[str, Any]


def faithful_or_none(value: str | None) -> str | None:
    return faithful(value or "") or None


def faithful_list(values: Iterable[str]) -> list[str]:
    return [text for text in map(faithful, values) if text]


def normalize_nested(entries: Iterable[MutableMapping[str, Any]], keys: tuple[str, ...]) -> None:
    for entry in entries:
        for key in keys:
            if key in entry:
                entry[key] = faithful_or_none(entry[key])


def both_forms(values: Iterable[str]) -> tuple[list[str], list[str]]:
    """The faithful paragraphs that are not empty, and their folded forms (index-aligned)."""
    clean = [text for text in map(faithful, values) if text]
    return clean, folded_forms(clean)


def normalize_record(record: Record) -> Record:
    """Normalise ``record``'s text fields in place and add the search and hash fields."""
    title, title_search = faithful_and_folded(record.get("title") or "")
    body, body_search = both_forms(record.get("body") or ())
    if "title" in record:
        record["title"] = title or None
    if "body" in record:
        record["body"] = body
    for key in ONE_TEXT:
        if key in record:
            record[key] = faithful_or_none(record[key])
    for key in TEXT_LISTS:
        if key in record:
            record[key] = faithful_list(record[key] or ())
    for key, text_keys in NESTED_TEXTS.items():
        if key in record:
            normalize_nested(record[key] or (), text_keys)
    record["title_search"] = title_search or None
    record["body_search"] = body_search
    record["content_hash"] = folded_hash(title_search, body_search)
    return record
