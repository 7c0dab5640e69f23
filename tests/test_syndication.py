"""``syndicated_from``: a record whose near-duplicate cluster holds an earlier record at another
URL crediting an agency is marked as that agency's story, across runs and cluster merges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scraper.core.arabic_text import content_hash
from tests.test_neardup import crawl

WORDS = [f"كلمة{n}" for n in range(300)]


def record(url: str, start: int, end: int, agencies: tuple[str, ...] = ()) -> dict[str, Any]:
    """A record whose body is words ``start`` to ``end`` of a long text."""
    body = [" ".join(WORDS[start:end])]
    return {
        "url": url,
        "content_hash": content_hash(url, body),
        "body_search": body,
        "agencies": [{"id": a, "name": a, "found_in": ["dateline"]} for a in agencies],
    }


def test_a_copy_of_a_credited_story_is_syndicated_from_its_agency(tmp_path: Path) -> None:
    wire, copy, other = crawl(
        tmp_path,
        [
            record("https://a.example/1", 0, 200, ("afp",)),
            record("https://b.example/1", 2, 200),
            record("https://c.example/1", 250, 300, ("reuters",)),
        ],
    )
    assert copy["cluster_id"] == wire["cluster_id"]
    assert copy["syndicated_from"] == {"agency": "afp", "url": "https://a.example/1"}
    assert wire["syndicated_from"] is None  # its own credit is in its agencies
    assert other["syndicated_from"] is None


def test_later_runs_and_merged_clusters_keep_the_credits(tmp_path: Path) -> None:
    first, credited = crawl(
        tmp_path,
        [record("https://a.example/2", 0, 200), record("https://b.example/2", 30, 230, ("ap",))],
    )
    assert first["cluster_id"] != credited["cluster_id"]
    (bridge,) = crawl(tmp_path, [record("https://c.example/2", 15, 215)])
    assert bridge["cluster_id"] == first["cluster_id"]  # the credited cluster merged into it
    (late,) = crawl(tmp_path, [record("https://d.example/2", 1, 200)])
    assert late["syndicated_from"] == {"agency": "ap", "url": "https://b.example/2"}
    assert bridge["syndicated_from"] == late["syndicated_from"]
