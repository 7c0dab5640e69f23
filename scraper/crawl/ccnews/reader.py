"""The records of one WARC from a byte offset: what each response gives (an article, a
failure, or a reason to pass it over), in batches that say how far the WARC has been read.

This is the work of the worker processes: hosts are filtered before anything is decoded,
pages are decoded as a crawl decodes them, go to their site's parser (or, when Arabic, to the
generic extractor), and are normalised and validated; the de-duplication, near-duplicate and
writing pipelines run once, in the ``ccnews`` spider, against the dataset.
"""

from __future__ import annotations

import logging
import os
import re
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from scraper.core.normalize import normalize_record
from scraper.core.page import Page
from scraper.core.record import InvalidRecord, implausible_dates, validate
from scraper.crawl.articles import NoRecord, article_record
from scraper.crawl.ccnews.language import is_arabic
from scraper.crawl.ccnews.listing import WarcFile
from scraper.crawl.ccnews.remote import RemoteStream, Retry, Unavailable
from scraper.crawl.extensions.failure_log import invalid_reason
from scraper.crawl.inputs import clean_url, skip_reason, status_and_type
from scraper.crawl.pages import response_text
from scraper.crawl.spiders.imports import is_article_page
from scraper.extract.site import Site
from scraper.sites import site_for_url
from scraper.store.seen import SeenStore

logger = logging.getLogger(__name__)

#: The pipelines that need nothing of the dataset: they run in the workers, in this order,
#: and the ``ccnews`` spider leaves them out of its own ITEM_PIPELINES.
#: The pipelines whose work the readers do (``worker_steps``): the spider leaves them out.
WORKER_PIPELINES = ("pipelines.normalize.NormalizePipeline", "pipelines.validate.ValidatePipeline")
#: Bytes of a payload read to tell HTML from other content, and the most a page may have.
SNIFF = 4096
MAX_PAGE = 16 * 1024 * 1024
#: A batch goes to the spider once it holds this many outcomes or is this old (seconds).
BATCH_SIZE = 32
BATCH_SECONDS = 0.25
#: Where a record may start after a corrupt one: a gzip member, or a WARC header line.
_GZIP_MEMBER = b"\x1f\x8b\x08"
_WARC_LINE = b"WARC/1."
#: Bytes scanned at a time for the next record, and kept to check a candidate.
_SCAN_CHUNK = 1 << 20
_CHECK = 8192
#: Blank lines that may follow the last record of an uncompressed WARC.
_TRAILER = 4
#: Characters of an error message kept, and those replaced.
BRIEF = 120
_UNPRINTABLE = re.compile(r"[^\x20-\x7e]+")
#: Errors of a WARC whose bytes are not what they should be: warcio raises about anything on
#: bytes that are no WARC (an AttributeError on a header cut short), besides its own.
CORRUPT: tuple[type[Exception], ...] = (ArchiveLoadFailed, zlib.error, Exception)

#: How a WARC's reading ends: read to its end, or could not be read on (this run).
DONE, FAILED = "done", "failed"
#: Failures of a WARC read to its end all the same, with records lost.
WARC_DAMAGE = frozenset({"corrupt_warc", "truncated_warc"})
#: Why responses are passed over (the summary's rows).
OTHER_SITE = "a site not chosen (--sites)"
NOT_AN_ARTICLE_URL = "not an article URL of its site"
OTHER_HOST = "not a registered site"
SEEN = "already in the dataset"
NOT_ARABIC = "not Arabic"


@dataclass(frozen=True)
class Selection:
    """Which responses are read: those of the registered ``sites``, and with
    ``arabic_only`` the Arabic pages of every other host; URLs that the seen-store at
    ``seen_store`` holds are passed over (None: read them again, ``--force``)."""

    sites: frozenset[str]
    arabic_only: bool = False
    seen_store: str | None = None


@dataclass(frozen=True)
class Options:
    selection: Selection
    retry: Retry = field(default_factory=Retry)
    #: Where to keep a copy of each WARC read over HTTP (None: keep nothing on disk).
    keep: str | None = None


@dataclass(frozen=True)
class Task:
    """Read ``warc`` from byte ``start`` (where an earlier run stopped) to its end."""

    warc: WarcFile
    start: int = 0


@dataclass
class Article:
    record: dict[str, Any]
    #: Fields the site's parser found nothing for (the generic extractor filled them).
    fallbacks: tuple[str, ...] = ()
    #: Where the WARC is read on from once this outcome is handled.
    resume_at: int = 0


@dataclass
class Failure:
    url: str
    reason: str
    detail: str
    resume_at: int = 0


Outcome = Article | Failure


@dataclass
class Batch:
    """What a stretch of a WARC gave; ``resume_at`` is where it is read on from after it,
    ``position`` how far its file has been read, ``end`` "done" once it was read to its end
    or "failed" when it could not be read on (this run)."""

    key: str
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    resume_at: int = 0
    position: int = 0
    size: int | None = None
    end: str | None = None
    started: float = field(default_factory=time.monotonic)

    def full(self) -> bool:
        return len(self.outcomes) >= BATCH_SIZE or time.monotonic() - self.started > BATCH_SECONDS


@lru_cache(maxsize=65536)
def site_of_host(host: str) -> Site | None:
    return site_for_url(f"http://{host}/")


class WarcReader:
    """Reads WARC files for one process (a worker, or the spider's own with one worker)."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.selection = options.selection
        path = options.selection.seen_store
        self.seen = SeenStore(Path(path)) if path else None

    def read(self, task: Task) -> Iterator[Batch]:
        """The batches of ``task``'s WARC, the last one with its ``end``."""
        keep = KeptCopy(self.options.keep, task) if self.options.keep and task.warc.remote else None
        try:
            start: int | None = task.start
            while start is not None:
                for batch in self._read_from(task.warc, start, keep.handle if keep else None):
                    if batch.end == DONE and keep is not None:
                        keep.finish()
                    yield batch
                    start = batch.resume_at if batch.end is None else None
        finally:
            if keep is not None:
                keep.close()

    def _open(self, warc: WarcFile, start: int, sink: BinaryIO | None) -> Any:
        if warc.remote:
            return RemoteStream(warc.location, start, self.options.retry, sink)
        handle = open(warc.location, "rb")  # noqa: SIM115 (closed by the caller)
        handle.seek(start)
        return handle

    # --- records ----------------------------------------------------------------------------

    def _read_from(self, warc: WarcFile, start: int, sink: BinaryIO | None) -> Iterator[Batch]:
        """Batches from ``start`` on; the last one ends the WARC, or (after a corrupt stretch)
        says where to read on from."""
        batch = Batch(warc.key, resume_at=start, position=start)
        try:
            with self._open(warc, start, sink) as stream:
                records = ArchiveIterator(stream)
                for record in records:
                    outcome = self._outcome(record, batch.skipped)
                    at = records.get_record_offset()
                    batch.resume_at = at + records.get_record_length()
                    if record.raw_stream.limit:  # the file ended within this record
                        outcome = self._cut_short(warc, record, at)
                    batch.position, batch.size = stream.tell(), _size(stream)
                    if outcome is not None:
                        outcome.resume_at = batch.resume_at
                        batch.outcomes.append(outcome)
                    if batch.full():
                        yield batch
                        batch = Batch(warc.key, resume_at=batch.resume_at, position=batch.position)
                size = _size(stream)
        except Unavailable as exc:
            failure = Failure(warc.location, exc.reason, f"{warc.location}: {exc.detail}")
            yield self._ended(batch, FAILED, failure)
        except OSError as exc:  # a local file that cannot be read
            failure = Failure(warc.location, "unreadable_warc", f"{warc.location}: {exc}")
            yield self._ended(batch, FAILED, failure)
        except CORRUPT as exc:
            logger.debug("corrupt WARC %s", warc.location, exc_info=True)
            yield self._corrupt(warc, batch, sink, exc)
        else:
            batch.size = size
            yield self._ended(batch, DONE, self._truncated(warc, batch.resume_at, size))

    def _ended(self, batch: Batch, end: str, failure: Failure | None) -> Batch:
        if failure is not None:
            failure.resume_at = batch.resume_at
            batch.outcomes.append(failure)
            logger.error("%s: %s", failure.reason, failure.detail)
        batch.end = end
        return batch

    def _truncated(self, warc: WarcFile, resume_at: int, size: int | None) -> Failure | None:
        """A WARC whose last bytes hold no whole record (a cut download, a truncated member)."""
        slack = 0 if warc.location.endswith(".gz") else _TRAILER
        if size is None or size - resume_at <= slack:
            return None
        detail = f"{warc.location}: the last {size - resume_at} bytes hold no whole record"
        return Failure(warc.location, "truncated_warc", detail)

    def _cut_short(self, warc: WarcFile, record: Any, at: int) -> Failure:
        """A record whose bytes end before its Content-Length: nothing of it is used."""
        target = record.rec_headers.get_header("WARC-Target-URI")
        missing = record.raw_stream.limit
        detail = (
            f"{warc.location}: the record at byte {at} ({target}) lacks its last {missing} bytes"
        )
        logger.error("truncated_warc: %s", detail)
        return Failure(warc.location, "truncated_warc", detail)

    def _corrupt(
        self, warc: WarcFile, batch: Batch, sink: BinaryIO | None, exc: Exception
    ) -> Batch:
        """The corrupt stretch from ``batch.resume_at`` reported, and the batch set to read on
        at the next record (or ended, when none follows)."""
        start = batch.resume_at
        try:
            after = next_record_start(self._open(warc, start + 1, sink), warc.location)
        except CORRUPT as scan_error:
            after, exc = None, scan_error
        where = f"bytes {start}-{after}" if after is not None else f"from byte {start} to the end"
        detail = f"{warc.location}: {where} unreadable ({brief(exc)})"
        failure = Failure(warc.location, "corrupt_warc", detail)
        if after is None:
            return self._ended(batch, DONE, failure)
        logger.error("corrupt_warc: %s; reading on from byte %d", detail, after)
        failure.resume_at = batch.resume_at = after
        batch.outcomes.append(failure)
        return batch

    def _outcome(self, record: Any, skipped: Counter[str]) -> Outcome | None:
        """What a WARC record gives; None when it is passed over (counted in ``skipped``) or
        is no response at all (requests, metadata)."""
        if record.rec_type != "response":
            return None
        target = record.rec_headers.get_header("WARC-Target-URI") or ""
        site = site_of_host((urlsplit(target).hostname or "").lower())
        url = clean_url(target)
        reason = self._passed_over(target, url, site)
        if reason is None:
            status, content_type = status_and_type(record)
            content = record.content_stream()
            head = content.read(SNIFF)
            reason = skip_reason(target, status, content_type, head)
        if reason is not None or url is None:
            skipped[reason or "not an http(s) URL"] += 1
            return None
        body = head + content.read(MAX_PAGE)
        if content.read(1):
            return Failure(url, "too_large", f"more than {MAX_PAGE} bytes")
        if status >= 400:
            return Failure(url, f"http_{status}", f"HTTP {status} in the WARC")
        headers = {"Content-Type": content_type} if content_type else {}
        response = HtmlResponse(url=url, status=status, headers=headers, body=body)
        return self._page(response, site, skipped)

    def _passed_over(self, target: str, url: str | None, site: Site | None) -> str | None:
        """Why a response is left unread by its URL alone (its host, the seen-store)."""
        if site is None and not self.selection.arabic_only:
            return OTHER_HOST
        if site is not None and site.name not in self.selection.sites:
            return OTHER_SITE
        if site is not None and not site.is_article(target):
            return NOT_AN_ARTICLE_URL
        if url is not None and self.seen is not None and url in self.seen:
            return SEEN
        return None

    def _page(
        self, response: HtmlResponse, site: Site | None, skipped: Counter[str]
    ) -> Outcome | None:
        """The record of an HTML page, decoded as a crawl decodes it (a page of another host
        only when it is Arabic), or why there is none."""
        fallbacks: set[str] = set()
        try:
            html = response_text(response)
            if site is None and not is_arabic(html):
                skipped[NOT_ARABIC] += 1
                return None
            page = Page(url=response.url, html=html)
            record = article_record(page, site, is_article_page, fallbacks)
            worker_steps(record)
        except NoRecord as exc:
            return Failure(response.url, exc.reason, exc.detail)
        except InvalidRecord as exc:
            detail = f"invalid record: {exc}"
            return Failure(response.url, invalid_reason(detail), detail)
        except Exception as exc:  # one broken page must not stop the WARC
            logger.debug("parse error on %s", response.url, exc_info=True)
            return Failure(response.url, "parse_error", f"{type(exc).__name__}: {exc}")
        return Article(record, tuple(sorted(fallbacks)))


def worker_steps(record: dict[str, Any]) -> None:
    """What ``WORKER_PIPELINES`` do, on a record outside Scrapy: normalise it, clear its
    implausible dates, validate it (`InvalidRecord`)."""
    normalize_record(record)
    for key in implausible_dates(record, datetime.now(UTC)):
        record[key] = None
    validate(record)


def brief(exc: BaseException) -> str:
    """An error in one printable line: warcio quotes the garbage it found."""
    return f"{type(exc).__name__}: {_UNPRINTABLE.sub('?', str(exc))[:BRIEF]}"


def _size(stream: Any) -> int | None:
    if isinstance(stream, RemoteStream):
        return stream.size
    return os.fstat(stream.fileno()).st_size


def next_record_start(stream: Any, location: str) -> int | None:
    """The offset of the first record that starts in ``stream`` (a gzip member holding a
    WARC header, or a WARC header line at the start of a line), or None; closes the stream."""
    marker = _GZIP_MEMBER if location.endswith(".gz") else _WARC_LINE
    with stream:
        base, window, ended = stream.tell(), b"", False
        while True:
            if not ended and len(window) < _SCAN_CHUNK + _CHECK:
                chunk = stream.read(_SCAN_CHUNK)
                ended, window = not chunk, window + chunk
                continue
            found = _candidate(window, marker, ended)
            if found is not None:
                return base + found
            if ended:
                return None
            drop = len(window) - _CHECK  # the tail may hold a start not checkable yet
            base, window = base + drop, window[drop:]


def _candidate(window: bytes, marker: bytes, ended: bool) -> int | None:
    """The first position in ``window`` where a record starts and can be checked."""
    position = window.find(marker)
    while position != -1 and (ended or position + _CHECK <= len(window)):
        if _starts_a_record(window, position, marker):
            return position
        position = window.find(marker, position + 1)
    return None


def _starts_a_record(window: bytes, position: int, marker: bytes) -> bool:
    if marker == _WARC_LINE:
        return position == 0 or window[position - 1 : position] == b"\n"
    data = window[position : position + _CHECK]
    try:
        return zlib.decompressobj(wbits=31).decompress(data).startswith(_WARC_LINE)
    except zlib.error:
        return False


class KeptCopy:
    """A copy of a WARC read over HTTP, written as it is read (``--keep-warcs``): in
    ``<folder>/<name>.part``, renamed to ``<name>`` once the WARC was read to its end."""

    def __init__(self, folder: str, task: Task) -> None:
        self.path = Path(folder) / Path(task.warc.key).name
        self.part = self.path.with_name(self.path.name + ".part")
        self.handle: BinaryIO | None = None
        if task.start and (not self.part.exists() or self.part.stat().st_size < task.start):
            logger.warning(
                "not keeping %s: its first %d bytes are not there", self.path, task.start
            )
            return
        self.part.parent.mkdir(parents=True, exist_ok=True)
        self.handle = self.part.open("r+b" if self.part.exists() else "w+b")
        self.handle.truncate(task.start)

    def finish(self) -> None:
        if self.handle is not None:
            self.close()
            os.replace(self.part, self.path)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
