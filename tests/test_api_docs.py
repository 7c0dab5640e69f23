"""Every example of docs/api.md runs, in order, as a notebook would run it: its ``pycon``
blocks are doctests, executed in a fresh folder holding ``page.html`` with the Enab Baladi
replica served on 127.0.0.1 where the document says port 8765."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from scraper.replica.enabbaladi_pages import EnabBaladiReplica
from scraper.replica.server import serving
from tests.conftest import ROOT

DOC = ROOT / "docs" / "api.md"
DOC_REPLICA = "http://127.0.0.1:8765"
#: The page the examples open: article 4 of the replica, as the real site would serve it.
PAGE_SITE, PAGE_ARTICLE = "https://www.enabbaladi.net", 4
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def code_blocks(text: str) -> list[tuple[str, str, int]]:
    """(language, code, line number of its first line, from 0) of each fenced block."""
    return [(m[1], m[2], text.count("\n", 0, m.start(2))) for m in FENCE.finditer(text)]


def test_every_code_block_is_an_example_that_runs() -> None:
    languages = {language for language, _, _ in code_blocks(DOC.read_text("utf-8"))}
    assert languages == {"pycon"}


def test_the_examples_of_docs_api_md(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = EnabBaladiReplica(PAGE_SITE, 10)
    (tmp_path / "page.html").write_text(page.article_html(page.article(PAGE_ARTICLE)), "utf-8")
    monkeypatch.chdir(tmp_path)
    with serving(EnabBaladiReplica("", 200)) as server:
        text = DOC.read_text("utf-8").replace(DOC_REPLICA, server.base_url)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        failures: list[str] = []
        names: dict[str, object] = {}  # one namespace: each block goes on from the last
        for _, code, line in code_blocks(text):
            test = doctest.DocTestParser().get_doctest(code, names, DOC.name, str(DOC), line)
            runner.run(test, out=failures.append, clear_globs=False)
            names = test.globs  # a DocTest runs in a copy of the names it is given
    assert failures == []
    assert runner.tries >= 30
