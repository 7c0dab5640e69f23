"""Scrapy settings of akhbar (``scrapy.cfg`` points here; the CLI uses them too)."""

BOT_NAME = "akhbar"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"

USER_AGENT = "akhbar/0.1 (+https://github.com/akhbar/akhbar; Arabic news archiving)"
ROBOTSTXT_OBEY = True

# Polite by default; AutoThrottle adapts to each site's latency.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
# Items are processed by synchronous, CPU-bound pipelines: parallel item tasks buy nothing,
# and Scrapy starts CONCURRENT_ITEMS asyncio tasks per response (100 by default: a hot spot).
CONCURRENT_ITEMS = 4
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
# 429 is left to the spider, which waits for Retry-After instead of retrying at once.
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 5

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.neardup.NearDuplicatePipeline": 350,
    "pipelines.write.JsonLinesWriter": 400,
}
EXTENSIONS = {
    "scraper.extensions.SeenStoreExtension": 0,
    "pipelines.failures.FailureLog": 100,
    "scraper.extensions.RunReport": 200,
}
DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt and retries: a known article costs no request at all.
    "scraper.middlewares.SkipSeenArticles": 50,
}
DUPEFILTER_CLASS = "scraper.middlewares.DiskDupeFilter"
SCHEDULER = "scraper.scheduler.DiskFrontierScheduler"
# FIFO: articles are fetched in the order discovery lists them, newest first (the frontier
# is in memory up to a bound, then on disk: see scraper/scheduler.py).
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
#: Records per durable write (fsync + atomic rename), and the longest wait between writes.
AKHBAR_WRITE_BATCH = 100
AKHBAR_WRITE_INTERVAL = 5.0
#: A URL that failed this many times is not retried by later runs.
AKHBAR_MAX_ATTEMPTS = 3
#: A run with more failed articles than this share of all articles is reported as failed.
AKHBAR_MAX_FAILURE_RATE = 0.05
#: Jaccard similarity of folded-body shingles above which two records share a cluster_id.
AKHBAR_NEARDUP_THRESHOLD = 0.8
#: Fetch articles again even when the seen-store has them (``--force``).
AKHBAR_FORCE = False
#: Where records, failures.jsonl and run logs go (``akhbar crawl --out``).
AKHBAR_OUTPUT_DIR = "output"

FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
# Scrapy's remote-control extension runs code sent over HTTP: never wanted in a crawler that
# runs unattended.
REMOTE_CONTROL_ENABLED = False
