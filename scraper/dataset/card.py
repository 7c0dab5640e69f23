"""The dataset card (``README.md`` of an export): counts per site and month, field coverage,
schema version, date range, licence reminder and the exact command."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from scraper.core.record import FIELD_NAMES, SCHEMA_VERSION
from scraper.dataset.options import ExportOptions
from scraper.store.dataset import Reader, Record


@dataclass
class Card:
    """What the dataset card reports, gathered while writing."""

    partitions: Counter[tuple[str, str]] = field(default_factory=Counter)
    filled: Counter[str] = field(default_factory=Counter)
    days: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.partitions.values())

    def add(self, site: str, month: str, rows: Sequence[Record]) -> None:
        self.partitions[site, month] += len(rows)
        for row in rows:
            self.filled.update(name for name in FIELD_NAMES if row.get(name) not in (None, "", []))
        dated = [row["published"][:10] for row in rows if row.get("published")]
        self.days += [min(dated), max(dated)] if dated else []

    def render(self, options: ExportOptions, reader: Reader) -> str:
        sections = (
            _front_matter(options),
            _summary(self, options, reader),
            _partition_table(self),
            _coverage_table(self),
            _LICENCE,
        )
        return "\n\n".join(sections) + "\n"


def _front_matter(options: ExportOptions) -> str:
    files = f"site=*/month=*/part-*.{options.format}"
    return "\n".join(
        (
            "---",
            "language:\n- ar",
            "license: other",
            "pretty_name: akhbar Arabic news",
            f'configs:\n- config_name: default\n  data_files: "{files}"',
            "---",
            "",
            "# akhbar Arabic news export",
        )
    )


def _summary(card: Card, options: ExportOptions, reader: Reader) -> str:
    dedup = {
        "none": "none (every record)",
        "exact": "exact (one record per `content_hash`: the earliest published)",
        "near": f"near (one record per near-duplicate cluster, Jaccard >= {options.threshold}:"
        " the earliest published)",
    }[options.dedup]
    read = ", ".join(f"{version}: {count}" for version, count in sorted(reader.versions.items()))
    span = f"{min(card.days)} to {max(card.days)}" if card.days else "no dated records"
    lines = (
        f"- Records: {card.total} ({options.format}, partitioned by `site` and `month`)",
        f"- Schema version: {SCHEMA_VERSION} (records read by version: {read or 'none'};"
        " older ones were upgraded, see docs/record.md)",
        f"- Publication dates: {span}",
        f"- De-duplication: {dedup}",
        f"- Records skipped as unreadable: {len(reader.problems)}",
        f"- Made on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with:",
        "",
        f"```sh\n{options.command()}\n```",
        "",
        "Loading recipes (pandas, pyarrow, DuckDB, Hugging Face `datasets`): docs/datasets.md.",
    )
    return "\n".join(("## Contents", "", *lines))


def _partition_table(card: Card) -> str:
    rows = [f"| {site} | {month} | {n} |" for (site, month), n in sorted(card.partitions.items())]
    head = "## Records per site and month\n\n| site | month | records |\n|---|---|---:|"
    return "\n".join((head, *rows))


def _coverage_table(card: Card) -> str:
    total = max(card.total, 1)
    rows = [f"| `{name}` | {100 * card.filled[name] / total:.1f} % |" for name in FIELD_NAMES]
    head = "## Field coverage (non-empty values)\n\n| field | non-empty |\n|---|---:|"
    return "\n".join((head, *rows))


_LICENCE = """## Licence

The articles remain the copyright of their publishers. This export is for research use (for
example NLP and media research, text and data mining); do not republish the articles, and check
each publisher's terms before sharing the data. The record format and the export tooling are
akhbar's (MIT)."""
