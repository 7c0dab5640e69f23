"""WARC files read one per process: in the spider's own process with one worker, else in
worker processes (spawned, so that nothing of the crawl's reactor is inherited) that take
the next WARC as they finish one and send their batches back through a bounded queue.

A worker ignores Ctrl-C (the spider stops them) and exits by itself when the spider's process
is gone, even killed with SIGKILL: nothing is left running.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import queue
import signal
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any

from scraper.ccnews.reader import Batch, Options, Task, WarcReader

logger = logging.getLogger(__name__)

#: Batches waiting for the spider, per worker, before the workers wait.
QUEUED_PER_WORKER = 8
#: Seconds between two looks at whether the other side is still there.
POLL = 0.5
#: Seconds a worker is given to stop before it is terminated.
STOP_TIMEOUT = 5.0
LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"


@dataclass(frozen=True)
class LogTo:
    """Where a worker logs: the crawl's log file (None: stderr), at the crawl's level."""

    file: str | None = None
    level: str = "INFO"


class InProcess:
    """The WARC files read one after the other in this process."""

    def __init__(self, tasks: Iterable[Task], options: Options) -> None:
        self.tasks = list(tasks)
        self.options = options

    async def batches(self) -> AsyncIterator[Batch]:
        reader = WarcReader(self.options)
        for task in self.tasks:
            for batch in reader.read(task):
                yield batch
                await asyncio.sleep(0)  # let the pipelines and the display run

    def close(self) -> None:
        """Nothing runs beside the spider."""


class WorkerPool:
    """``count`` worker processes reading the WARC files of ``tasks``, one at a time each."""

    def __init__(self, tasks: Iterable[Task], options: Options, count: int, log: LogTo) -> None:
        context = multiprocessing.get_context("spawn")
        self.tasks: multiprocessing.Queue[Task | None] = context.Queue()
        self.results: multiprocessing.Queue[Batch] = context.Queue(QUEUED_PER_WORKER * count)
        for task in tasks:
            self.tasks.put(task)
        for _ in range(count):
            self.tasks.put(None)  # one end mark per worker
        self.processes: list[BaseProcess] = [
            context.Process(
                target=work,
                args=(self.tasks, self.results, options, log),
                name=f"akhbar-ccnews-{n + 1}",
                daemon=True,
            )
            for n in range(count)
        ]

    async def batches(self) -> AsyncIterator[Batch]:
        for process in self.processes:
            process.start()
        while True:
            try:
                yield await asyncio.to_thread(self.results.get, True, POLL)
            except queue.Empty:
                if not any(process.is_alive() for process in self.processes):
                    break
        while True:  # what the last workers sent just before they ended
            try:
                yield self.results.get_nowait()
            except queue.Empty:
                break
        for process in self.processes:
            if process.exitcode:
                logger.error("worker %s ended with exit code %s", process.name, process.exitcode)

    def close(self) -> None:
        """Stop the workers still running (when the crawl stops early)."""
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        for process in self.processes:
            if process.pid is not None:
                process.join(STOP_TIMEOUT)


def work(
    tasks: multiprocessing.Queue[Task | None],
    results: multiprocessing.Queue[Batch],
    options: Options,
    log: LogTo,
) -> None:
    """A worker process: read WARC files until the end mark, or until the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(filename=log.file, level=log.level, format=LOG_FORMAT)
    reader = WarcReader(options)
    while (task := _next_task(tasks)) is not None:
        for batch in reader.read(task):
            _send(results, batch)


def _parent_alive() -> bool:
    parent = multiprocessing.parent_process()
    return parent is None or parent.is_alive()


def _next_task(tasks: multiprocessing.Queue[Task | None]) -> Task | None:
    while True:
        try:
            return tasks.get(timeout=POLL)
        except queue.Empty:
            _exit_if_orphaned()


def _send(results: multiprocessing.Queue[Any], batch: Batch) -> None:
    _exit_if_orphaned()
    while True:
        try:
            results.put(batch, timeout=POLL)
            return
        except queue.Full:
            _exit_if_orphaned()


def _exit_if_orphaned() -> None:
    if not _parent_alive():
        os._exit(1)  # nobody reads what this process would send
