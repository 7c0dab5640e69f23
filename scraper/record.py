"""The record: its schema version, field order and validator (schema in record.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
from itemadapter import ItemAdapter

SCHEMA_VERSION = "1.1"

#: Field order of a written record (JSON objects keep insertion order).
FIELDS = (
    "schema_version",
    "url",
    "site",
    "language",
    "title",
    "title_search",
    "published",
    "published_raw",
    "published_source",
    "modified",
    "section",
    "tags",
    "authors",
    "lead",
    "body",
    "body_search",
    "images",
    "related",
    "fetched_at",
    "content_hash",
    "version",
    "cluster_id",
    "duplicate_of",
)


@cache
def schema() -> dict[str, Any]:
    text = resources.files("scraper").joinpath("record.schema.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@cache
def _validator() -> Callable[[dict[str, Any]], Any]:
    return fastjsonschema.compile(schema())  # type: ignore[no-any-return]


class InvalidRecord(ValueError):
    """A record that does not match the schema; the message says which rule failed."""


def validate(record: dict[str, Any]) -> None:
    try:
        _validator()(record)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise InvalidRecord(exc.message) from exc


def as_dict(item: Any) -> dict[str, Any]:
    """The item as a plain dict: itself when it is one (the spiders yield dicts), else a copy.

    ``ItemAdapter.asdict`` deep-copies every nested list, which showed up in crawl profiles.
    """
    return item if isinstance(item, dict) else ItemAdapter(item).asdict()


def ordered(record: dict[str, Any]) -> dict[str, Any]:
    """The record with its fields in schema order (unknown keys kept last)."""
    known = {name: record[name] for name in FIELDS if name in record}
    known.update((k, v) for k, v in record.items() if k not in known)
    return known
