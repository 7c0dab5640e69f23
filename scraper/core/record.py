"""The record: its schema version, the one table of its fields, and its validator (the schema is
in record.schema.json; a test holds the table and the schema to the same fields and order)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any, Literal

import fastjsonschema

SCHEMA_VERSION = "1.2"


@dataclass(frozen=True)
class Field:
    """One field of the record, and what each part of akhbar does with it."""

    name: str
    #: Who sets it: a site parser or the generic extractor, the code that builds the record
    #: around them, or a pipeline.
    source: Literal["extractor", "record", "pipeline"]
    #: How normalisation treats it: one text, a list of texts, the text keys of a list of
    #: objects; None when it holds no text to normalise (URLs, dates, hashes).
    text: Literal["one", "list"] | tuple[str, ...] | None = None
    #: Reported in every run as the share of records that have it.
    coverage: bool = False
    #: Least share of records whose value the site's own parser must give, else the run is
    #: reported as failed (a redesign broke the parser); a site may set its own.
    min_parser_coverage: float | None = None

    @property
    def is_list(self) -> bool:
        return self.text == "list" or isinstance(self.text, tuple)


#: Every record field, in the order a record is written (JSON objects keep insertion order).
FIELDS = (
    Field("schema_version", "record"),
    Field("url", "record"),
    Field("site", "record"),
    Field("language", "record"),
    Field("script_share", "record"),
    Field("title", "extractor", "one", coverage=True, min_parser_coverage=0.9),
    Field("title_search", "pipeline"),
    Field("published", "extractor", coverage=True, min_parser_coverage=0.8),
    Field("published_raw", "extractor"),
    Field("published_source", "record"),
    Field("modified", "extractor"),
    Field("section", "extractor", "one"),
    Field("tags", "extractor", "list"),
    Field("authors", "extractor", "list"),
    Field("lead", "extractor", "one"),
    Field("body", "extractor", "list", coverage=True, min_parser_coverage=0.9),
    Field("body_search", "pipeline"),
    Field("images", "extractor", ("caption", "credit", "alt"), coverage=True),
    Field("related", "extractor", ("title",), coverage=True),
    # Read from the faithful first paragraph or byline: no text left to normalise.
    Field("dateline", "record", coverage=True),
    Field("agencies", "record", ("name",), coverage=True),
    Field("free_access", "record"),
    Field("fetched_at", "record"),
    Field("content_hash", "pipeline"),
    Field("version", "pipeline"),
    Field("cluster_id", "pipeline"),
    Field("duplicate_of", "pipeline"),
    Field("syndicated_from", "pipeline"),
)
FIELD_NAMES = tuple(field.name for field in FIELDS)
#: The fields a site parser (or the generic extractor) may fill.
EXTRACTED = tuple(field.name for field in FIELDS if field.source == "extractor")
COVERAGE_FIELDS = tuple(field.name for field in FIELDS if field.coverage)
MIN_PARSER_COVERAGE = {
    field.name: field.min_parser_coverage for field in FIELDS if field.min_parser_coverage
}


@cache
def schema() -> dict[str, Any]:
    text = resources.files("scraper.core").joinpath("record.schema.json").read_text("utf-8")
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


#: Arabic news on the web starts in the 1990s; a date before that is a parse error.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
#: Clocks and time zones differ; more than a day ahead is a wrong date.
FUTURE_SLACK = timedelta(days=1)
#: The record's timestamps that an implausible value clears rather than trusts.
DATED = ("published", "modified")


def implausible(timestamp: str | None, now: datetime) -> bool:
    if not timestamp:
        return False
    value = datetime.fromisoformat(timestamp)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return not EARLIEST <= value <= now + FUTURE_SLACK


def implausible_dates(record: Mapping[str, Any], now: datetime) -> list[str]:
    """The fields of ``DATED`` whose value is implausible (before 1990, or in the future)."""
    return [key for key in DATED if implausible(record.get(key), now)]


def ordered(record: dict[str, Any]) -> dict[str, Any]:
    """The record with its fields in schema order (unknown keys kept last)."""
    known = {name: record[name] for name in FIELD_NAMES if name in record}
    known.update((k, v) for k, v in record.items() if k not in known)
    return known
