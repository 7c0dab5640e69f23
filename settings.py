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
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 5

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.write.JsonLinesWriter": 400,
}
EXTENSIONS = {
    "pipelines.failures.FailureLog": 100,
}
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
