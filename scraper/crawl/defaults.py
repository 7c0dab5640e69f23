"""The defaults of akhbar's own settings, declared once: ``settings.py`` takes them all, and
components read them without a fallback of their own. Override any of them like a Scrapy
setting (``-s NAME=VALUE``, ``custom_settings``, the CLI's options)."""

from scrapy.settings import Settings

from scraper.store import neardup

#: Where records, failures.jsonl and run logs go (``akhbar crawl --out``).
AKHBAR_OUTPUT_DIR = "output"
#: Records per durable write (fsync + atomic rename), and the longest wait between writes.
AKHBAR_WRITE_BATCH = 100
AKHBAR_WRITE_INTERVAL = 5.0
#: A URL that failed this many times is not retried by later runs.
AKHBAR_MAX_ATTEMPTS = 3
#: A run with more failed articles than this share of all articles is reported as failed.
AKHBAR_MAX_FAILURE_RATE = 0.05
#: Jaccard similarity of folded-body shingles above which two records share a cluster_id.
AKHBAR_NEARDUP_THRESHOLD = neardup.DEFAULT_THRESHOLD
#: The longest ``Retry-After`` (429, 503) waited for before one more attempt; a longer one
#: fails the URL now, and later runs retry it.
AKHBAR_MAX_RETRY_AFTER = 60.0
#: Fetch articles again even when the seen-store has them (``--force``).
AKHBAR_FORCE = False
#: How an import shows its progress: "bar" (a terminal), "log" (periodic lines) or "off".
AKHBAR_PROGRESS = "log"
#: Seconds between two progress lines.
AKHBAR_PROGRESS_INTERVAL = 10.0
#: Distributed mode (``akhbar crawl --redis``): this worker's id, its heartbeat in seconds, and
#: how long a worker with nothing left to do waits before it stops (0: forever).
AKHBAR_WORKER_ID = "seed"
AKHBAR_REDIS_HEARTBEAT = 5.0
AKHBAR_REDIS_IDLE_CLOSE = 0.0
#: What the crawl is in that mode: "worker" (fetches) or "seed" (queues the start requests).
AKHBAR_REDIS_ROLE = "worker"


def akhbar_defaults() -> Settings:
    """These defaults alone, for components used outside a crawl (tests, benchmarks)."""
    settings = Settings()
    settings.setmodule(__name__)
    return settings
