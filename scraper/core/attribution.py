"""A record's attribution: its ``dateline`` and the wire ``agencies`` it credits, read from its
body and bylines (and, on a page, its JSON-LD), and its body without the lines that are only a
credit.

Where a credit is found (``found_in``): ``dateline`` (the opening of the first paragraph),
``byline``, ``last_line`` (a closing credit line, or a parenthesis closing the last paragraph)
and ``jsonld`` (``sourceOrganization`` or ``author``). A credit of an agency on its own site
(Sputnik on sputniknews.com) is no wire credit and is left out.

The body (the article's text, without a lead printed apart) keeps the page's text, the
dateline included (``dateline.text`` opens ``body[0]``),
except for paragraphs that are nothing but a credit or a dateline ("--(بترا)", "دمشق-سانا"):
they are dropped, unless the body would be left empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from scraper.core.arabic_text import faithful
from scraper.core.credits import (
    Credit,
    closing_credit,
    credit_line,
    credited,
    is_own_credit,
    name_key,
)
from scraper.core.datelines import Dateline, Known, byline_dateline, opening_dateline

#: Where a credit was found, in the order ``found_in`` lists them.
WHERE = ("dateline", "byline", "last_line", "jsonld")


@dataclass(frozen=True)
class Attribution:
    """``body`` without credit-only paragraphs, and the record's ``dateline`` and
    ``agencies`` values."""

    body: list[str]
    dateline: dict[str, Any] | None
    agencies: list[dict[str, Any]]


def attribute(
    body: Sequence[str],
    authors: Sequence[str],
    *,
    publishers: Iterable[str] = (),
    host: str = "",
    structured: Iterable[str] = (),
) -> Attribution:
    """The attribution of a body and its bylines. ``publishers`` are the names the publisher
    goes by, ``host`` the page's host, ``structured`` the names of the JSON-LD credits."""
    keys = tuple(key for name in publishers if (key := name_key(name)))
    bylines = [faithful(author) for author in authors]
    known = Known(keys, tuple(name_key(author) for author in bylines))
    kept = list(body)
    credits: list[tuple[Credit, str]] = []
    dateline, where = _opening(kept, known)
    if dateline is None:
        dateline, where = _from_bylines(bylines, known), "byline"
    elif where == "own_line":
        kept.pop(0)
    if dateline is not None and dateline.tag:
        tagged = "byline" if where == "byline" else "dateline"
        credits += _found(credited(dateline.tag, keys), tagged)
    for author in bylines:
        credits += _found(credited(author, keys), "byline")
    closing, drop = _closing(kept, keys)
    if drop:
        kept.pop()
    credits += _found(closing, "last_line")
    for name in structured:
        credits += _found(credited(faithful(name), keys), "jsonld")
    return Attribution(kept, _dateline_value(dateline, where), _agencies(credits, host))


def _opening(body: list[str], known: Known) -> tuple[Dateline | None, str]:
    """The first paragraph's dateline, and ``own_line`` when it is all of that paragraph."""
    if not body:
        return None, ""
    first = faithful(body[0])
    found = opening_dateline(first, known)
    alone = found is not None and found.text == first and len(body) > 1
    return found, "own_line" if alone else "first_paragraph"


def _from_bylines(bylines: list[str], known: Known) -> Dateline | None:
    return next(filter(None, (byline_dateline(author, known) for author in bylines)), None)


def _closing(body: list[str], publishers: tuple[str, ...]) -> tuple[list[Credit] | None, bool]:
    """The credits of the last paragraph, and whether it is only a credit (to drop)."""
    if not body:
        return None, False
    last = faithful(body[-1])
    line = credit_line(last, publishers)
    if line is not None:
        return line, len(body) > 1
    return closing_credit(last), False


def _found(credits: list[Credit] | None, where: str) -> list[tuple[Credit, str]]:
    return [(credit, where) for credit in credits or ()]


def _dateline_value(dateline: Dateline | None, where: str) -> dict[str, Any] | None:
    if dateline is None:
        return None
    return {"text": dateline.text, "place": dateline.place, "tag": dateline.tag, "found_in": where}


def _agencies(credits: list[tuple[Credit, str]], host: str) -> list[dict[str, Any]]:
    """One entry per agency in order of first credit, where it was found in ``WHERE`` order."""
    found: dict[str, dict[str, Any]] = {}
    for credit, where in credits:
        if is_own_credit(credit.agency, host):
            continue
        entry = found.setdefault(
            credit.agency, {"id": credit.agency, "name": credit.name, "found_in": []}
        )
        if where not in entry["found_in"]:
            entry["found_in"].append(where)
    for entry in found.values():
        entry["found_in"].sort(key=WHERE.index)
    return list(found.values())
