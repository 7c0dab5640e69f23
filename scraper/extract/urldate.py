"""The publication day an article's URL names (``/2024/02/14/``, ``/2021-09-14-1.41``, a
section between year and month: ``/2019/economy/3/9/``): a late layer of the generic
date, for pages whose metadata has none and that print none."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import unquote, urlsplit

from scraper.core.dates import parse_date

_DAY = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d\d)(?P<sep>[/_-])(?:[a-z_-]+/)?(?P<m>\d{1,2})(?P=sep)"
    r"(?P<d>\d{1,2})(?!\d)"
)


def url_day(url: str | None, tz: str) -> datetime | None:
    """The day in the path of ``url`` (a `DateOnly` in ``tz``), None when it names none."""
    match = _DAY.search(unquote(urlsplit(url or "").path))
    if match is None:
        return None
    return parse_date(f"{match['y']}-{int(match['m']):02d}-{int(match['d']):02d}", tz=tz)
