"""Serve a replica over real HTTP on the loopback interface."""

from __future__ import annotations

import contextlib
import logging
import socketserver
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol

logger = logging.getLogger(__name__)


class Replica(Protocol):
    base: str

    def route(self, path: str) -> tuple[int, str, str]: ...


class _Handler(BaseHTTPRequestHandler):
    server: ReplicaServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        status, content_type, text = self.server.replica.route(self.path)
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.hits[self.path.split("?", 1)[0]] = self.server.hits.get(self.path, 0) + 1

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


class ReplicaServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 drops connections under a crawl

    def __init__(self, replica: Replica, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), _Handler)
        self.replica = replica
        #: Requests served per path, so tests can tell what a crawl fetched.
        self.hits: dict[str, int] = {}

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


@contextlib.contextmanager
def serving(replica: Replica, host: str = "127.0.0.1", port: int = 0) -> Iterator[ReplicaServer]:
    """Run the replica in a background thread for the duration of the block.

    With ``port=0`` a free port is chosen and ``replica.base`` is set to the real address.
    """
    server = ReplicaServer(replica, host, port)
    replica.base = server.base_url
    with in_background(server):
        yield server


@contextlib.contextmanager
def in_background(server: socketserver.BaseServer) -> Iterator[None]:
    """``server`` serving from a daemon thread for the duration of the block."""
    thread = threading.Thread(target=server.serve_forever, name=type(server).__name__, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
