"""Local replicas of real sites, served on 127.0.0.1 for tests, benchmarks and the demo."""

from __future__ import annotations

from collections.abc import Callable

from scraper.replica.enabbaladi_pages import EnabBaladiReplica
from scraper.replica.server import Replica

#: Site name -> factory(base_url, articles).
REPLICAS: dict[str, Callable[[str, int], Replica]] = {
    "enabbaladi": EnabBaladiReplica,
}
