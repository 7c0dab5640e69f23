"""A remote file as one stream over HTTP: read from any offset (a Range request), resumed
where it broke when the connection drops, retried with backoff when the server fails."""

from __future__ import annotations

import http.client
import logging
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import BinaryIO

from scraper.crawl.pages import USER_AGENT

logger = logging.getLogger(__name__)

#: Answers that another try will not change.
PERMANENT = frozenset({400, 401, 403, 404, 410, 451})
_CONTENT_RANGE = re.compile(r"bytes (?:(\d+)-\d+|\*)/(\d+|\*)")
#: Bytes read at a time when skipping what a server that ignores Range sends first.
_SKIP_CHUNK = 1 << 20


@dataclass(frozen=True)
class Retry:
    """Tries after a failure (``attempts``), the first wait in seconds (doubled each time,
    or longer when the server asks with Retry-After, up to ``max_wait``) and the socket
    timeout."""

    attempts: int = 5
    wait: float = 2.0
    max_wait: float = 120.0
    timeout: float = 60.0

    def delay(self, failure: int, asked: float | None = None) -> float:
        return min(max(self.wait * 2 ** (failure - 1), asked or 0.0), self.max_wait)


class Unavailable(OSError):
    """A file that could not be had, after the retries that might have helped; ``reason`` as
    failures.jsonl spells it (``http_404``, ``timeout``, ``connection_refused``...)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def failure_reason(exc: BaseException) -> str:
    if isinstance(exc, Unavailable):
        return exc.reason
    if isinstance(exc, urllib.error.HTTPError):
        return f"http_{exc.code}"
    cause = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(cause, TimeoutError):
        return "timeout"
    if isinstance(cause, ConnectionRefusedError):
        return "connection_refused"
    return "connection_lost"


def _retry_after(exc: BaseException) -> float | None:
    if not isinstance(exc, urllib.error.HTTPError) or exc.headers is None:
        return None
    value = (exc.headers.get("Retry-After") or "").strip()
    return float(value) if value.isdigit() else None


class RemoteStream:
    """The bytes of ``url`` from ``start`` on, as ``read``/``tell`` (all warcio needs).

    A connection that drops or a server that fails is tried again (``retry``), from the byte
    where the stream stopped, so a reader on top never notices; a server that ignores Range
    is read from the start and the first ``start`` bytes are passed over. ``sink`` receives
    every byte read, e.g. to keep a copy of the file.
    """

    def __init__(
        self, url: str, start: int = 0, retry: Retry | None = None, sink: BinaryIO | None = None
    ) -> None:
        self.url = url
        self.position = start
        self.retry = retry or Retry()
        self.sink = sink
        #: The file's length, once a response said it.
        self.size: int | None = None
        self._response: http.client.HTTPResponse | None = None
        self._ended = False
        self._failures = 0

    def tell(self) -> int:
        return self.position

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(_SKIP_CHUNK), b""))
        while True:
            try:
                return self._read(size)
            except Unavailable:
                raise
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                self._wait_or_give_up(exc)

    def close(self) -> None:
        if self._response is not None:
            self._response.close()
            self._response = None

    def __enter__(self) -> RemoteStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self, size: int) -> bytes:
        if self._ended:
            return b""
        if self._response is None:
            self._response = self._open()
            if self._response is None:
                return b""
        data = self._response.read(size)
        if not data:
            if self.size is not None and self.position < self.size:
                raise ConnectionError(f"closed at byte {self.position} of {self.size}")
            self._ended = True
            self.close()
            return b""
        if self.sink is not None:  # where the bytes belong, whichever stream read them
            self.sink.seek(self.position)
            self.sink.write(data)
        self.position += len(data)
        self._failures = 0
        return data

    def _open(self) -> http.client.HTTPResponse | None:
        """A response whose body starts at ``position``; None when that is the file's end."""
        headers = {"User-Agent": USER_AGENT}
        if self.position:
            headers["Range"] = f"bytes={self.position}-"
        request = urllib.request.Request(self.url, headers=headers)
        try:
            response: http.client.HTTPResponse = urllib.request.urlopen(
                request, timeout=self.retry.timeout
            )
        except urllib.error.HTTPError as exc:
            if exc.code == 416 and self._past_the_end(exc.headers.get("Content-Range")):
                return None
            if exc.code in PERMANENT:
                raise Unavailable(f"http_{exc.code}", f"HTTP {exc.code}") from exc
            raise
        if response.status == 206:
            self._check_range(response.headers.get("Content-Range"))
        else:
            self.size = _int_or_none(response.headers.get("Content-Length"))
            self._pass_over(response, self.position)
        return response

    def _past_the_end(self, content_range: str | None) -> bool:
        match = _CONTENT_RANGE.fullmatch((content_range or "").strip())
        if match and match[2] != "*" and int(match[2]) <= self.position:
            self.size = int(match[2])
            self._ended = True
            return True
        return False

    def _check_range(self, content_range: str | None) -> None:
        match = _CONTENT_RANGE.fullmatch((content_range or "").strip())
        if not match or match[1] is None or int(match[1]) != self.position:
            detail = f"asked for bytes {self.position}- and got {content_range!r}"
            raise Unavailable("bad_range", detail)
        self.size = None if match[2] == "*" else int(match[2])

    def _pass_over(self, response: http.client.HTTPResponse, count: int) -> None:
        """Read past the first ``count`` bytes of a server that sent the whole file."""
        if count:
            logger.warning("%s: no Range support, reading %d bytes again", self.url, count)
        while count > 0:
            data = response.read(min(count, _SKIP_CHUNK))
            if not data:
                raise ConnectionError(f"closed after {self.position - count} bytes of a resume")
            count -= len(data)

    def _wait_or_give_up(self, exc: BaseException) -> None:
        self._failures += 1
        reason = failure_reason(exc)
        if self._failures > self.retry.attempts:
            retries = self.retry.attempts
            detail = f"{exc} (at byte {self.position}, after {retries} retries)"
            raise Unavailable(reason, detail) from exc
        wait = self.retry.delay(self._failures, _retry_after(exc))
        logger.warning(
            "%s: %s at byte %d (%s); retry %d of %d in %.1f s",
            self.url, reason, self.position, exc, self._failures, self.retry.attempts, wait,
        )  # fmt: skip
        time.sleep(wait)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def fetch(url: str, retry: Retry | None = None) -> bytes:
    """The whole of a small remote file (an index), with the same retries."""
    with RemoteStream(url, 0, retry) as stream:
        return stream.read()
