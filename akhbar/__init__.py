"""akhbar as a Python library: records from HTML, Arabic dates and text, crawls and imports
run as the ``akhbar`` command runs them, and the records of a dataset folder.

    >>> import akhbar
    >>> akhbar.fold("أَخْبَارٌ")
    'اخبار'

See docs/api.md for every function with an example.
"""

from __future__ import annotations

from akhbar.datasets import read_dataset
from akhbar.pages import MissingURL, extract, sites
from akhbar.runs import RunFailed, crawl, import_
from scraper.core.arabic_text import faithful, fold
from scraper.core.dates import DateOnly, format_date, parse_date
from scraper.store.runs import RunReport

__all__ = [
    "DateOnly",
    "MissingURL",
    "RunFailed",
    "RunReport",
    "crawl",
    "extract",
    "faithful",
    "fold",
    "format_date",
    "import_",
    "parse_date",
    "read_dataset",
    "sites",
]
