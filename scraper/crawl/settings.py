"""Scrapy settings of akhbar, packaged with it: the CLI, scrapyd (the `scrapy` entry point)
and `scrapy crawl` from the checkout (the top-level `settings.py` re-exports them) use them."""

from scraper.crawl.defaults import *  # noqa: F403  (akhbar's own settings, declared there)

BOT_NAME = "akhbar"
SPIDER_MODULES = ["scraper.crawl.spiders"]
NEWSPIDER_MODULE = "scraper.crawl.spiders"
# Besides those modules' spiders, one spider per registered site (`scrapy crawl enabbaladi`).
SPIDER_LOADER_CLASS = "scraper.crawl.spiderloader.SiteSpiderLoader"

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
# 429 is left to RetryAfter, which waits for Retry-After instead of retrying at once.
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 5

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.clusters.NearDuplicatePipeline": 350,
    "pipelines.write.JsonLinesWriter": 400,
}
EXTENSIONS = {
    "scraper.crawl.extensions.seen_store.SeenStoreExtension": 0,
    "scraper.crawl.extensions.failure_log.FailureLog": 100,
    "scraper.crawl.extensions.run_report.RunReport": 200,
    "scraper.crawl.extensions.redirect_guard.RedirectGuard": 300,
}
DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt and retries: a known article costs no request at all.
    "scraper.crawl.middlewares.skip_seen.SkipSeenArticles": 50,
    # After the download, before RetryMiddleware (550) would retry a 503 at once.
    "scraper.crawl.middlewares.retry_after.RetryAfter": 560,
}
DUPEFILTER_CLASS = "scraper.crawl.dupefilters.DiskDupeFilter"
SCHEDULER = "scraper.crawl.schedulers.disk.DiskFrontierScheduler"
# FIFO: articles are fetched in the order discovery lists them, newest first (the frontier
# is in memory up to a bound, then on disk: see scraper/crawl/schedulers/disk.py).
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
# Scrapy's remote-control extension runs code sent over HTTP: never wanted in a crawler that
# runs unattended.
REMOTE_CONTROL_ENABLED = False
