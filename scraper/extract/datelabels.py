"""The labels of printed dates: which part of a date line is the publication and which the
last update ("نشر في 14 فبراير 2024 - آخر تحديث 20 فبراير 2024", "(محدثة GMT 08:15 …)").

A line is cut at its labels, never inside one: each part keeps its own label, and loses the
separators ("-", "|", "،", an open bracket) that joined it to the next.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lxml import etree

PUBLISHED, UPDATED, UNLABELLED = "published", "updated", ""
#: Labels of the last update or modification.
UPDATE_LABEL = (
    r"(?:[آأا]خر\s+)?(?:تحديث|تعديل)(?:\s+في)?|تاريخ\s+(?:ال)?(?:تحديث|تعديل)"
    r"|تم\s+(?:ال)?(?:تحديث|تعديل)|محد[ّ]?ث[ةه]?|عُ?د[ّ]?ل(?:\s+في)"
    r"|(?:last\s+)?(?:updated|modified|edited)(?:\s+on|\s+at)?"
)
#: Labels of the publication.
PUBLISHED_LABEL = (
    r"تاريخ\s+(?:ال)?نشر|تم\s+(?:ال)?نشر|نشر(?:ت|ه)?(?:\s+في|\s+بتاريخ)?|بتاريخ"
    r"|(?:published|posted)(?:\s+on|\s+at)?"
)
_LABELS = re.compile(
    rf"(?<!\w)(?:(?P<updated>{UPDATE_LABEL})|(?P<published>{PUBLISHED_LABEL}))(?!\w)", re.I
)
_UPDATE = re.compile(rf"(?<!\w)(?:{UPDATE_LABEL})(?!\w)", re.I)
#: A line's last words that label what follows it: "<span>آخر تحديث:</span> <time>…".
_TRAILING_LABEL = re.compile(rf"(?:{_LABELS.pattern})\W*$", re.I)
#: A part of every update label (a cheap test before the regular expression).
_UPDATE_PARTS = ("تحديث", "تعديل", "محد", "ل في", "pdated", "PDATED", "odified", "ODIFIED", "dited")
_SEPARATORS = " \t-–—|/،,:;•·"
_DIGIT = re.compile(r"[0-9٠-٩۰-۹]")


class Part(NamedTuple):
    """A part of a date line: what its label says it is, and its text with the label."""

    kind: str
    text: str


def parts(text: str) -> list[Part]:
    """``text`` cut at its labels, in order; parts without text are left out.

    A line is cut only at a label that follows a date (digits): "تم نشره الجمعة …" is one
    part, labelled by its first label.
    """
    found: list[Part] = []
    start, kind = 0, UNLABELLED
    for match in _LABELS.finditer(text):
        label = match.lastgroup or UNLABELLED
        if _DIGIT.search(text, start, match.start()):
            found.append(Part(kind, text[start : match.start()]))
            start, kind = match.start(), label
        elif not kind:
            kind = label
    found.append(Part(kind, text[start:]))
    return [Part(part.kind, piece) for part in found if (piece := _trim(part.text))]


def _trim(part: str) -> str:
    """A part without the separators and brackets that joined it to its neighbours."""
    part = part.strip(_SEPARATORS).rstrip("(" + _SEPARATORS).lstrip(")" + _SEPARATORS)
    if part.endswith(")") and part.count(")") > part.count("("):
        part = part[:-1].rstrip(_SEPARATORS)
    if part.startswith("(") and part.count("(") > part.count(")"):
        part = part[1:].lstrip(_SEPARATORS)
    return part


def names_an_update(text: str) -> bool:
    """Whether ``text`` holds an update label ("آخر تحديث", "محدثة", "updated")."""
    return any(part in text for part in _UPDATE_PARTS) and _UPDATE.search(text) is not None


def label_before(node: etree._Element) -> str:
    """What the text just before ``node`` in its parent labels it as ("آخر تحديث:" → updated)."""
    parent = node.getparent()
    if parent is None:
        return UNLABELLED
    texts = [parent.text or ""]
    for sibling in parent:
        if sibling is node:
            break
        texts += ["".join(sibling.itertext()), sibling.tail or ""]
    match = _TRAILING_LABEL.search(" ".join("".join(texts).split())[-40:])
    return (match.lastgroup or UNLABELLED) if match else UNLABELLED
