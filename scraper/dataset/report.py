"""``akhbar report``: what a dataset folder holds and how its runs went, gathered from its
records, ``runs.jsonl`` and ``failures.jsonl`` for one self-contained HTML page
(``scraper.dataset.report_page``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from scraper.core.record import EXTRACTED
from scraper.store.dataset import UNDATED, DayFile, Reader, Record, chronological, day_files
from scraper.store.runs import RunReport, read_failures, read_runs

#: Clusters listed by title in the report, largest first.
LARGEST_CLUSTERS = 10


@dataclass(frozen=True)
class SiteSpan:
    """One site's share of the dataset."""

    records: int
    first_day: str | None
    last_day: str | None
    undated: int


@dataclass(frozen=True)
class Cluster:
    """A near-duplicate cluster: its first record (the earliest published) and its size."""

    cluster_id: str
    site: str
    title: str
    url: str
    size: int


@dataclass
class DatasetSummary:
    """Counts over every record of a dataset folder, read in order of publication."""

    per_day: Counter[tuple[str, str]] = field(default_factory=Counter)
    undated: Counter[str] = field(default_factory=Counter)
    filled: Counter[str] = field(default_factory=Counter)
    records: int = 0
    cluster_members: Counter[str] = field(default_factory=Counter)
    #: The first record of each cluster: (site, title, url).
    cluster_firsts: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def add(self, file: DayFile, record: Record) -> None:
        self.records += 1
        if file.day == UNDATED:
            self.undated[file.site] += 1
        else:
            self.per_day[file.site, file.day] += 1
        self.filled.update(name for name in EXTRACTED if record.get(name))
        cluster = record.get("cluster_id") or record["content_hash"]
        self.cluster_members[cluster] += 1
        first = (record["site"], record["title"] or "", record["url"])
        self.cluster_firsts.setdefault(cluster, first)

    def field_coverage(self) -> dict[str, float]:
        """Share of the records that have each field a parser fills."""
        return {name: self.filled[name] / self.records for name in EXTRACTED if self.records}

    def cluster_sizes(self) -> Counter[int]:
        """How many clusters have each size."""
        return Counter(self.cluster_members.values())

    def largest_clusters(self, count: int = LARGEST_CLUSTERS) -> list[Cluster]:
        """The largest clusters of more than one record."""
        ranked = [(c, n) for c, n in self.cluster_members.most_common(count) if n > 1]
        return [Cluster(c, *self.cluster_firsts[c], size=n) for c, n in ranked]

    def sites(self) -> dict[str, SiteSpan]:
        names = sorted({site for site, _ in self.per_day} | set(self.undated))
        return {name: self.span(name) for name in names}

    def span(self, site: str) -> SiteSpan:
        days = sorted(day for name, day in self.per_day if name == site)
        dated = sum(n for (name, _), n in self.per_day.items() if name == site)
        first, last = (days[0], days[-1]) if days else (None, None)
        return SiteSpan(dated + self.undated[site], first, last, self.undated[site])


@dataclass(frozen=True)
class Report:
    folder: Path
    generated: datetime
    dataset: DatasetSummary
    runs: list[RunReport]
    #: URLs of ``failures.jsonl`` by the reason of their last failure.
    failures: Counter[str]
    #: Lines of the record files that are not valid records.
    skipped: list[str]

    @property
    def latest_run(self) -> RunReport | None:
        return self.runs[-1] if self.runs else None


def summarise(folder: Path) -> tuple[DatasetSummary, list[str]]:
    """The counts over the folder's records, and the lines skipped as invalid."""
    summary, reader = DatasetSummary(), Reader()
    for file in chronological(day_files(folder)):
        for _, record in reader.records(file):
            summary.add(file, record)
    return summary, reader.problems


def last_failure_reasons(folder: Path) -> Counter[str]:
    last = {failure["url"]: failure["reason"] for failure in read_failures(folder)}
    return Counter(last.values())


def build_report(folder: Path) -> Report:
    """Everything the report page shows about ``folder``."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a dataset folder")
    dataset, skipped = summarise(folder)
    runs = read_runs(folder)
    return Report(folder, datetime.now(UTC), dataset, runs, last_failure_reasons(folder), skipped)
