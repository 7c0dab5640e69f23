"""The baseline a user would otherwise write: Scrapy's SitemapSpider yielding only the URL.

scrapy runspider benchmarks/bare_spider.py -a base=http://127.0.0.1:8765
"""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.http import Response
from scrapy.spiders import SitemapSpider


class BareSpider(SitemapSpider):
    name = "bare"
    sitemap_rules: ClassVar = [(r"/archives/\d+$", "parse")]

    def __init__(self, base: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sitemap_urls = [f"{base}/sitemap_index.xml"]

    def parse(self, response: Response) -> Any:
        yield {"url": response.url}
