"""Progress of a CC-NEWS run: a bar per WARC being read and one for the whole run (articles
per second, MB/s, time left) with rich on a terminal; elsewhere a log line every
``interval`` seconds and one at the end."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, TaskID, TextColumn
from rich.progress import Progress as RichProgress

from scraper.crawl.ccnews.reader import Article, Batch, Task

logger = logging.getLogger(__name__)

#: Seconds between two redraws of the bars.
BAR_REFRESH = 0.5
MB = 1_000_000


@dataclass
class WarcProgress:
    start: int
    position: int
    size: int | None = None
    articles: int = 0


@dataclass(frozen=True)
class Totals:
    """What the run has done so far."""

    warcs: int
    done: int
    articles: int
    bytes: int
    seconds: float
    left_bytes: int | None

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    @property
    def byte_rate(self) -> float:
        return self.bytes / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        eta = ""
        if self.left_bytes is not None and self.byte_rate:
            eta = f", {timedelta(seconds=round(self.left_bytes / self.byte_rate))} left"
        return (
            f"{self.done}/{self.warcs} WARCs, {self.articles} articles ({self.rate:.1f}/s), "
            f"{self.bytes / MB:.1f} MB ({self.byte_rate / MB:.2f} MB/s){eta}"
        )


class Display:
    def __init__(self, tasks: list[Task], mode: str = "log", interval: float = 10.0) -> None:
        self.warcs = {task.warc.key: WarcProgress(task.start, task.start) for task in tasks}
        self.names = {task.warc.key: task.warc.key.rsplit("/", 1)[-1] for task in tasks}
        self.done = 0
        self.mode = mode
        self.interval = BAR_REFRESH if mode == "bar" else interval
        self.started = time.monotonic()
        self.shown = self.started
        self.bar: RichProgress | None = None
        self.overall: TaskID | None = None
        self.bars: dict[str, TaskID] = {}

    def start(self) -> None:
        self.started = self.shown = time.monotonic()
        if self.mode != "bar":
            return
        self.bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[line]}"),
            console=Console(stderr=True),
            auto_refresh=False,
        )
        self.overall = self.bar.add_task("all", total=None, line="")
        self.bar.start()

    def update(self, batch: Batch) -> None:
        warc = self.warcs[batch.key]
        warc.position, warc.size = batch.position, batch.size or warc.size
        warc.articles += sum(isinstance(outcome, Article) for outcome in batch.outcomes)
        if batch.end is not None:
            self.done += 1
        if self.bar is not None:
            self._update_bar(batch.key, warc, ended=batch.end is not None)
        if time.monotonic() - self.shown >= self.interval:
            self.show()

    def totals(self) -> Totals:
        warcs = self.warcs.values()
        sizes = [w.size for w in warcs if w.size]
        mean = sum(sizes) / len(sizes) if sizes else None
        left = None
        if mean is not None:
            left = round(sum(max((w.size or mean) - w.position, 0) for w in warcs))
        return Totals(
            warcs=len(self.warcs),
            done=self.done,
            articles=sum(w.articles for w in warcs),
            bytes=sum(w.position - w.start for w in warcs),
            seconds=time.monotonic() - self.started,
            left_bytes=left,
        )

    def show(self) -> None:
        self.shown = time.monotonic()
        totals = self.totals()
        if self.bar is None:
            if self.mode == "log":
                logger.info("progress: %s", totals.line())
            return
        assert self.overall is not None
        total = sum(w.size or 0 for w in self.warcs.values()) or None
        done = sum(w.position for w in self.warcs.values())
        self.bar.update(self.overall, completed=done, total=total, line=totals.line())
        self.bar.refresh()

    def _update_bar(self, key: str, warc: WarcProgress, ended: bool) -> None:
        assert self.bar is not None
        if key not in self.bars and not ended:
            self.bars[key] = self.bar.add_task(self.names[key], total=warc.size, line="")
        if key in self.bars:
            line = f"{warc.articles} articles"
            self.bar.update(self.bars[key], completed=warc.position, total=warc.size, line=line)
        if ended and key in self.bars:
            self.bar.remove_task(self.bars.pop(key))

    def finish(self) -> None:
        self.show()
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
