"""One table per contract: the record's fields (`scraper.core.record.FIELDS`) against the JSON
Schema and docs/record.md, and what a site file declares against its readers and the table in
docs/adding-a-site.md."""

from __future__ import annotations

import ast
import dataclasses
import re
from collections import Counter
from pathlib import Path

import pytest

from scraper.core.record import EXTRACTED, FIELD_NAMES, FIELDS, schema
from scraper.extract import generic
from scraper.extract.site import Discovery, Parser, Site

ROOT = Path(__file__).resolve().parents[1]
DECLARATIONS = (Site, Discovery, Parser)


def documented(doc: str) -> set[str]:
    """The names in the first column of a Markdown table (`name`, or `a`, `b`)."""
    text = (ROOT / "docs" / doc).read_text("utf-8")
    cells = re.findall(r"^\| ([^|]+) \|", text, re.MULTILINE)
    return {name for cell in cells for name in re.findall(r"`(\w+)`", cell)}


def attributes_read() -> Counter[str]:
    """Attribute names read anywhere in the product's code (a dataclass field's declaration
    is no read)."""
    read: Counter[str] = Counter()
    for package in ("scraper", "pipelines"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                    read[node.attr] += 1
    return read


def test_every_record_field_is_in_the_table_once_and_in_schema_order() -> None:
    assert len(set(FIELD_NAMES)) == len(FIELDS)
    assert list(FIELD_NAMES) == list(schema()["properties"])


def test_every_record_field_is_documented() -> None:
    assert set(FIELD_NAMES) <= documented("record.md")


def test_the_generic_extractor_covers_only_extracted_fields() -> None:
    assert set(generic.EXTRACTORS) <= set(EXTRACTED)


def test_a_parser_refuses_fields_that_are_not_extracted() -> None:
    with pytest.raises(ValueError, match="content_hash"):
        Parser({"content_hash": lambda page: "x"})


@pytest.mark.parametrize("declaration", DECLARATIONS, ids=lambda d: d.__name__)
def test_every_declared_attribute_has_a_reader_and_a_row(declaration: type) -> None:
    names = {field.name for field in dataclasses.fields(declaration)}
    read = attributes_read()
    assert sorted(name for name in names if not read[name]) == []
    assert names <= documented("adding-a-site.md")
