"""Scrapy's spider loader, with one named spider per registered site besides the spiders of
``SPIDER_MODULES``: ``scrapy crawl enabbaladi`` (and scrapyd's ``schedule.json``) find the
site spider without a class written for each site."""

from __future__ import annotations

import builtins

from scrapy import Request, Spider
from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader

from scraper.crawl.spiders.site import SiteSpider
from scraper.extract.site import Site
from scraper.sites import all_sites


def site_spider(site: Site) -> type[SiteSpider]:
    """The spider of ``site``: `SiteSpider` under the site's name."""
    return type(
        f"{site.name.title().replace('_', '')}Spider",
        (SiteSpider,),
        {"name": site.name, "__module__": SiteSpider.__module__, "__doc__": site.title},
    )


class SiteSpiderLoader:
    def __init__(self, settings: BaseSettings) -> None:
        self.modules = SpiderLoader(settings)
        self.sites = {name: site_spider(site) for name, site in all_sites().items()}

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SiteSpiderLoader:
        return cls(settings)

    def load(self, spider_name: str) -> type[Spider]:
        return self.sites.get(spider_name) or self.modules.load(spider_name)

    def list(self) -> builtins.list[str]:
        return sorted({*self.modules.list(), *self.sites})

    def find_by_request(self, request: Request) -> builtins.list[str]:
        by_site = [name for name, spider in self.sites.items() if spider.handles_request(request)]
        return [*self.modules.find_by_request(request), *by_site]
