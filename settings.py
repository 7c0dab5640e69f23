"""For ``scrapy.cfg`` (``scrapy crawl`` from the checkout): the packaged settings."""

from scraper.crawl.settings import *  # noqa: F403
