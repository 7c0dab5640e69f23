"""Shared fixtures: the repo root, the shared corpus (optional), replicas on loopback, and
crawls run the way a user runs them, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scraper.replica.enabbaladi_pages import EnabBaladiReplica
from scraper.replica.server import ReplicaServer, serving

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
#: Settings every test crawl uses on top of the project's: no remote control, quick retries.
TEST_SETTINGS = {"REMOTE_CONTROL_ENABLED": "False", "LOG_LEVEL": "INFO", "RETRY_TIMES": "1"}


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a clean skip when the shared folder is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared corpus is only for evaluation)")
    return path


@pytest.fixture(scope="module")
def enabbaladi_replica() -> Iterator[tuple[EnabBaladiReplica, ReplicaServer]]:
    replica = EnabBaladiReplica("", 200)
    with serving(replica) as server:
        yield replica, server


def run_cli(
    *args: str, cwd: Path = ROOT, input: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        [sys.executable, "-m", "scraper.cli", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def run_scrapy(
    *args: str, settings: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    options = [f"{k}={v}" for k, v in {**TEST_SETTINGS, **(settings or {})}.items()]
    command = [sys.executable, "-m", "scrapy", *args]
    for option in options:
        command += ["-s", option]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def read_records(folder: Path) -> list[dict[str, Any]]:
    """Every record of a dataset folder (``<site>/<day>.jsonl``; not failures or runs)."""
    return [
        json.loads(line)
        for path in sorted(folder.glob("*/*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
