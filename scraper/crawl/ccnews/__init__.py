"""``akhbar ccnews``: Common Crawl's CC-NEWS WARC files into the dataset of a crawl.

- ``listing``: which WARC files (the monthly ``warc.paths.gz`` indexes, a date range, a shard);
- ``remote``: a WARC as one stream over HTTP, resumed with Range requests where it broke;
- ``language``: whether a page is in Arabic (a fast script check);
- ``reader``: the records of one WARC from an offset, as articles, failures and skips;
- ``workers``: WARC files read in this process or in worker processes;
- ``state``: how far each WARC got, so that a killed run continues where it stopped;
- ``display``: progress on a terminal (rich) or in the log.

The records then go through the crawl's pipelines in the ``ccnews`` spider
(``scraper.spiders.ccnews``). See docs/ccnews.md.
"""
