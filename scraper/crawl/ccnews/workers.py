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
import threading
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any

from scraper.crawl.ccnews.reader import Batch, Options, Task, WarcReader

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
    """``count`` worker processes reading the WARC files of ``tasks``, one at a time each.

    A thread of its own (a daemon: it can never hold up the exit) moves their batches to the
    spider's event loop, at most ``QUEUED_PER_WORKER * count`` ahead of the spider.
    """

    def __init__(self, tasks: Iterable[Task], options: Options, count: int, log: LogTo) -> None:
        context = multiprocessing.get_context("spawn")
        self.tasks: multiprocessing.Queue[Task | None] = context.Queue()
        self.results: multiprocessing.Queue[Batch] = context.Queue(QUEUED_PER_WORKER * count)
        self.stop = context.Event()
        self.room = threading.Semaphore(QUEUED_PER_WORKER * count)
        for task in tasks:
            self.tasks.put(task)
        for _ in range(count):
            self.tasks.put(None)  # one end mark per worker
        self.processes: list[BaseProcess] = [
            context.Process(
                target=work,
                args=(self.tasks, self.results, self.stop, options, log),
                name=f"akhbar-ccnews-{n + 1}",
                daemon=True,
            )
            for n in range(count)
        ]

    async def batches(self) -> AsyncIterator[Batch]:
        loop = asyncio.get_running_loop()
        inbox: asyncio.Queue[Batch | None] = asyncio.Queue()
        for process in self.processes:
            process.start()
        pump = threading.Thread(target=self._pump, args=(loop, inbox), daemon=True)
        pump.start()
        while (batch := await inbox.get()) is not None:
            self.room.release()
            yield batch
        for process in self.processes:
            if process.exitcode:
                logger.error("worker %s ended with exit code %s", process.name, process.exitcode)

    def _pump(self, loop: asyncio.AbstractEventLoop, inbox: asyncio.Queue[Batch | None]) -> None:
        """Batches from the workers into ``inbox``, then None once every worker has ended."""
        try:
            while not self.stop.is_set():
                try:
                    batch = self.results.get(timeout=POLL)
                except queue.Empty:
                    if not any(process.is_alive() for process in self.processes):
                        break
                    continue
                self.room.acquire()
                loop.call_soon_threadsafe(inbox.put_nowait, batch)
            loop.call_soon_threadsafe(inbox.put_nowait, None)
        except RuntimeError:  # the loop is closed: nobody waits for batches any more
            return

    def close(self) -> None:
        """Stop the workers still running (when the crawl stops early)."""
        self.stop.set()
        self.room.release()  # a pump waiting for room sees the stop
        for process in self.processes:
            if process.pid is not None:
                process.join(STOP_TIMEOUT)
            if process.is_alive():
                process.terminate()
                process.join(STOP_TIMEOUT)


def work(
    tasks: multiprocessing.Queue[Task | None],
    results: multiprocessing.Queue[Batch],
    stop: Any,
    options: Options,
    log: LogTo,
) -> None:
    """A worker process: read WARC files until the end mark, a stop, or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(filename=log.file, level=log.level, format=LOG_FORMAT)
    reader = WarcReader(options)
    while (task := _next_task(tasks, stop)) is not None:
        for batch in reader.read(task):
            _send(results, batch, stop)


def _parent_alive() -> bool:
    parent = multiprocessing.parent_process()
    return parent is None or parent.is_alive()


def _next_task(tasks: multiprocessing.Queue[Task | None], stop: Any) -> Task | None:
    while True:
        try:
            return tasks.get(timeout=POLL)
        except queue.Empty:
            _exit_if_unwanted(stop)


def _send(results: multiprocessing.Queue[Any], batch: Batch, stop: Any) -> None:
    _exit_if_unwanted(stop)
    while True:
        try:
            results.put(batch, timeout=POLL)
            return
        except queue.Full:
            _exit_if_unwanted(stop)


def _exit_if_unwanted(stop: Any) -> None:
    """End now when the spider stopped the workers or is gone: nobody reads what they send."""
    if stop.is_set() or not _parent_alive():
        os._exit(0)
