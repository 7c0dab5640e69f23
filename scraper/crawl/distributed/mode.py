"""The distributed mode as a Scrapy add-on: ``redis_settings()`` turns a crawl into a worker
(or a seeder) on a Redis server, and `RedisMode` swaps the components when the crawler starts."""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path
from typing import Any

import redis
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy_redis import defaults

from scraper.crawl.distributed.worker import Acknowledge, RedisSeenStoreExtension, WorkerLifecycle
from scraper.crawl.extensions.seen_store import SeenStoreExtension

#: What a worker id may be (it names a folder).
_WORKER_ID = re.compile(r"[A-Za-z0-9_.-]+")
ROLES = ("worker", "seed")
SEED_SCHEDULER = "scraper.crawl.schedulers.seed.SeedScheduler"
ADDON_PRIORITY = SETTINGS_PRIORITIES["addon"]


def redis_settings(
    url: str, worker_id: str = "seed", idle_timeout: float | None = None, role: str = "worker"
) -> dict[str, Any]:
    """Settings that make a crawl a worker (or, with role "seed", a seeder) on ``url``."""
    if role not in ROLES:
        raise ValueError(f"role is one of {ROLES}: {role!r}")
    return {
        "ADDONS": {f"{__name__}.RedisMode": 0},
        "REDIS_URL": url,
        "AKHBAR_WORKER_ID": worker_id,
        "AKHBAR_REDIS_IDLE_CLOSE": idle_timeout or 0,
        "AKHBAR_REDIS_ROLE": role,
    }


class RedisMode:
    """The project's components, with the frontier, fingerprints and seen-store on Redis."""

    def update_settings(self, settings: BaseSettings) -> None:
        settings.set_in_component_priority_dict("EXTENSIONS", SeenStoreExtension, None)
        settings.set_in_component_priority_dict("EXTENSIONS", RedisSeenStoreExtension, 0)
        seeding = settings["AKHBAR_REDIS_ROLE"] == "seed"
        replace(settings, "DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter")
        replace(
            settings, "SCHEDULER_QUEUE_CLASS", "scraper.crawl.distributed.frontier.ReliableQueue"
        )
        replace(settings, "SCHEDULER_PERSIST", True)
        replace(
            settings, "SCHEDULER", SEED_SCHEDULER if seeding else "scrapy_redis.scheduler.Scheduler"
        )
        if seeding:
            return
        settings.set_in_component_priority_dict("EXTENSIONS", WorkerLifecycle, 10)
        settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", Acknowledge, 0)
        settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", Acknowledge, 40)


def replace(settings: BaseSettings, name: str, value: Any) -> None:
    """Set ``name`` over the project's own value (an add-on's priority is below a project's)."""
    settings.set(name, value, priority=max(settings.getpriority(name) or 0, ADDON_PRIORITY))


def default_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def worker_dir(out: Path, worker_id: str) -> Path:
    """Where a worker writes its part files: ``<out>/workers/<worker_id>``."""
    if not _WORKER_ID.fullmatch(worker_id):
        raise ValueError(f"a worker id is letters, digits, '.', '_' and '-': {worker_id!r}")
    return out / "workers" / worker_id


def fresh_round(url: str, site: str) -> None:
    """Forget the request fingerprints of ``site``, so that known pages are queued again."""
    redis.Redis.from_url(url).delete(defaults.SCHEDULER_DUPEFILTER_KEY % {"spider": site})
