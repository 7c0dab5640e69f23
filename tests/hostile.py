"""A loopback HTTP server that misbehaves on purpose, for the fault battery.

Every request is answered by an *action*: a function that writes what it likes to the raw
socket. Some answer cleanly; others lie (Content-Length, Content-Encoding), stop half-way with
a reset, trickle the body byte by byte, or say nothing at all. Bodies are generated as they are
sent, so a 50 MB page costs no memory. ``HostileReplica`` mixes such paths into the Enab Baladi
replica and announces them through its robots.txt and a sitemap of their own.
"""

from __future__ import annotations

import contextlib
import random
import select
import socket
import socketserver
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from html import escape
from http import HTTPStatus

from scraper.replica.server import Replica

#: The longest a request head may be, and the longest any action may hold a connection.
MAX_HEAD = 64 * 1024
MAX_HOLD = 30.0
CHUNK = 64 * 1024


class Exchange:
    """One request on a raw connection, and the ways to answer it (well or badly)."""

    def __init__(
        self, connection: socket.socket, path: str, attempt: int, stop: threading.Event
    ) -> None:
        self.connection = connection
        self.path = path
        #: 1 for the first request for this path, 2 for the next, ...
        self.attempt = attempt
        self.stop = stop

    def head(self, status: int, headers: Iterable[tuple[str, str]] = ()) -> bool:
        """Send the status line and ``headers`` (and ``Connection: close``)."""
        lines = [f"HTTP/1.1 {status} {_phrase(status)}", *(f"{k}: {v}" for k, v in headers)]
        return self.send(("\r\n".join([*lines, "Connection: close"]) + "\r\n\r\n").encode())

    def send(self, data: bytes) -> bool:
        """Send ``data``; False once the client has gone."""
        try:
            self.connection.sendall(data)
        except OSError:
            return False
        return True

    def reset(self) -> None:
        """Abort the connection with a TCP reset instead of a clean close."""
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()

    def hold(self, seconds: float) -> None:
        """Keep the connection open, silent, until the client hangs up or ``seconds`` pass."""
        deadline = time.monotonic() + min(seconds, MAX_HOLD)
        while not self.stop.is_set() and (left := deadline - time.monotonic()) > 0:
            readable, _, _ = select.select([self.connection], [], [], min(left, 0.1))
            if readable and not _receive(self.connection):
                return


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _receive(connection: socket.socket) -> bytes:
    try:
        return connection.recv(CHUNK)
    except OSError:
        return b""


Action = Callable[[Exchange], None]


# --- actions --------------------------------------------------------------------------------


def respond(
    status: int, content_type: str, body: bytes, headers: Iterable[tuple[str, str]] = ()
) -> Action:
    """A well-formed response."""

    def action(exchange: Exchange) -> None:
        extra = [("Content-Type", content_type), ("Content-Length", str(len(body))), *headers]
        if exchange.head(status, extra):
            exchange.send(body)

    return action


def page(text: str, status: int = 200, content_type: str = "text/html; charset=UTF-8") -> Action:
    return respond(status, content_type, text.encode("utf-8"))


def raw(data: bytes) -> Action:
    """Bytes as they are, whatever they are: not necessarily HTTP."""

    def action(exchange: Exchange) -> None:
        exchange.send(data)

    return action


def stream(content_type: str, chunks: Callable[[], Iterable[bytes]], length: int | None) -> Action:
    """A body made while it is sent, announced as ``length`` bytes (None: until the close)."""

    def action(exchange: Exchange) -> None:
        headers = [("Content-Type", content_type)]
        if length is not None:
            headers.append(("Content-Length", str(length)))
        if exchange.head(200, headers):
            for chunk in chunks():
                if exchange.stop.is_set() or not exchange.send(chunk):
                    return

    return action


def repeat(block: bytes, size: int) -> Callable[[], Iterator[bytes]]:
    """Chunks of ``block`` repeated, ``size`` bytes in all."""

    def chunks() -> Iterator[bytes]:
        piece = block * max(1, CHUNK // len(block))
        for start in range(0, size, len(piece)):
            yield piece[: size - start]

    return chunks


def lying_length(content_type: str, body: bytes, declared: int | str) -> Action:
    """A Content-Length that is not the length of the body sent."""

    def action(exchange: Exchange) -> None:
        headers = [("Content-Type", content_type), ("Content-Length", str(declared))]
        if exchange.head(200, headers):
            exchange.send(body)

    return action


def cut(content_type: str, body: bytes, after: int) -> Action:
    """Announce the whole body, send ``after`` bytes of it, then reset the connection."""

    def action(exchange: Exchange) -> None:
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        if exchange.head(200, headers) and exchange.send(body[:after]):
            time.sleep(0.05)  # let the bytes leave before the reset
        exchange.reset()

    return action


def trickle(content_type: str, body: bytes, pieces: int, pause: float) -> Action:
    """The body in ``pieces`` parts, ``pause`` seconds apart: a slow or stalling server."""

    def action(exchange: Exchange) -> None:
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        if not exchange.head(200, headers):
            return
        size = -(-len(body) // pieces)
        for start in range(0, len(body), size):
            if exchange.stop.wait(pause) or not exchange.send(body[start : start + size]):
                return

    return action


def silence(seconds: float) -> Action:
    """Read the request and never answer."""
    return lambda exchange: exchange.hold(seconds)


def reset() -> Action:
    """Read the request and reset the connection before any byte of a response."""
    return lambda exchange: exchange.reset()


def redirect(location: str, status: int = 301) -> Action:
    return respond(status, "text/html; charset=UTF-8", b"", [("Location", location)])


def encoded(content_type: str, body: bytes, encoding: str) -> Action:
    """``body`` sent as it is, under a Content-Encoding header that may be a lie."""
    return respond(200, content_type, body, [("Content-Encoding", encoding)])


def gzip_bomb(inflated_size: int) -> Action:
    """A small gzip body (a few kB per MB) that inflates to ``inflated_size`` bytes."""
    return encoded("text/html; charset=UTF-8", gzipped_zeros(inflated_size), "gzip")


@cache
def gzipped_zeros(size: int) -> bytes:
    """Gzip of ``size`` zero bytes: about a thousandth of that."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    parts = [compressor.compress(block[: size - n]) for n in range(0, size, len(block))]
    return b"".join([*parts, compressor.flush()])


def sequence(*actions: Action) -> Action:
    """The first action for the first request, the next for the next; the last one after."""
    return lambda exchange: actions[min(exchange.attempt, len(actions)) - 1](exchange)


def flaky(content_type: str, body: bytes, rate: float, seed: str, hold: float) -> Action:
    """``body``, except that a seeded ``rate`` of requests get a 5xx, a stall (``hold``
    seconds), a reset, or half the body and a reset."""
    good = respond(200, content_type, body)
    faults: tuple[Action, ...] = (
        page("<h1>500</h1>", 500),
        page("<h1>502</h1>", 502),
        page("<h1>503</h1>", 503),
        silence(hold),
        reset(),
        cut(content_type, body, len(body) // 2),
    )

    def action(exchange: Exchange) -> None:
        rng = random.Random(f"{seed}:{exchange.path}:{exchange.attempt}")
        (rng.choice(faults) if rng.random() < rate else good)(exchange)

    return action


# --- the server -----------------------------------------------------------------------------


class _Handler(socketserver.BaseRequestHandler):
    server: HostileServer
    request: socket.socket

    def handle(self) -> None:
        self.request.settimeout(10)
        path = _request_path(self.request)
        if path is None:
            return
        attempt = self.server.count(path)
        with contextlib.suppress(OSError):
            self.server.route(path)(Exchange(self.request, path, attempt, self.server.stopping))


def _request_path(connection: socket.socket) -> str | None:
    """The path of the request line, once the whole request head has arrived."""
    head = b""
    while b"\r\n\r\n" not in head and len(head) < MAX_HEAD:
        data = _receive(connection)
        if not data:
            return None
        head += data
    parts = head.split(b"\r\n", 1)[0].split()
    return parts[1].decode("latin-1") if len(parts) == 3 else None


class HostileServer(socketserver.ThreadingTCPServer):
    """Serve ``route(path) -> action`` on the loopback interface, one thread per connection."""

    daemon_threads = True
    allow_reuse_address = True
    #: A crawl opens dozens of connections at once; the default backlog (5) drops some.
    request_queue_size = 128

    def __init__(
        self, route: Callable[[str], Action], host: str = "127.0.0.1", port: int = 0
    ) -> None:
        super().__init__((host, port), _Handler)
        self.route = route
        self.stopping = threading.Event()
        #: Requests received per path (query string included), so tests can tell what came.
        self.hits: Counter[str] = Counter()
        #: When each of them came (``time.monotonic()``).
        self.arrivals: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def count(self, path: str) -> int:
        with self._lock:
            self.hits[path] += 1
            self.arrivals.setdefault(path, []).append(time.monotonic())
            return self.hits[path]

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


@contextlib.contextmanager
def serving(
    route: Callable[[str], Action], host: str = "127.0.0.1", port: int = 0
) -> Iterator[HostileServer]:
    """Serve ``route`` in a background thread for the duration of the block."""
    server = HostileServer(route, host, port)
    thread = threading.Thread(target=server.serve_forever, name=f"hostile-{host}", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()


# --- the replica with hostile paths ---------------------------------------------------------


@dataclass
class HostileReplica:
    """``replica`` with ``cases`` (path -> action) mixed in.

    Paths of ``articles`` are listed in ``/hostile-sitemap.xml``; ``announced`` paths (hostile
    sitemaps and feeds) are listed in robots.txt, beside that sitemap.
    """

    replica: Replica
    cases: dict[str, Action] = field(default_factory=dict)
    articles: list[str] = field(default_factory=list)
    announced: list[str] = field(default_factory=list)

    SITEMAP = "/hostile-sitemap.xml"

    @property
    def base(self) -> str:
        return self.replica.base

    def route(self, target: str) -> Action:
        path = target.split("?", 1)[0]
        if action := self.cases.get(target) or self.cases.get(path):
            return action
        if path == "/robots.txt":
            return self.robots_txt()
        if path == self.SITEMAP:
            return page(urlset(f"{self.base}{p}" for p in self.articles), 200, "application/xml")
        status, content_type, text = self.replica.route(target)
        return page(text, status, content_type)

    def robots_txt(self) -> Action:
        _, _, text = self.replica.route("/robots.txt")
        lines = "".join(f"Sitemap: {self.base}{p}\n" for p in [self.SITEMAP, *self.announced])
        return page(text + lines, 200, "text/plain; charset=UTF-8")


def urlset(urls: Iterable[str]) -> str:
    """A sitemap of ``urls`` (escaped as XML text)."""
    entries = "".join(f"<url><loc>{escape(url)}</loc></url>" for url in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    )


@contextlib.contextmanager
def serving_replica(replica: HostileReplica, host: str = "127.0.0.1") -> Iterator[HostileServer]:
    """Serve ``replica`` on a free port and point its base URL there."""
    with serving(replica.route, host) as server:
        replica.replica.base = server.base_url
        yield server
