"""A real scrapyd on 127.0.0.1 runs the deployed project on a schedule, through the project's
own script (scripts/scrapyd.sh), with scrapyd-deploy building and uploading the egg."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request

import pytest

from tests.conftest import ROOT, read_records

SCRIPT = ROOT / "scripts" / "scrapyd.sh"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


@pytest.fixture
def scrapyd(tmp_path):
    if not (ROOT / ".venv" / "bin" / "scrapyd").exists():
        pytest.fail("scrapyd is missing from .venv: `make test` installs the [scrapyd] extra")
    port = free_port()
    config = tmp_path / "xdg"
    config.mkdir()
    (config / "scrapy.cfg").write_text(f"[deploy:test]\nurl = http://127.0.0.1:{port}/\n")
    env = {
        **os.environ,
        "SCRAPYD_PORT": str(port),
        "SCRAPYD_STATE": str(tmp_path / "state"),
        "SCRAPYD_TARGET": "test",
        "AKHBAR_OUT": str(tmp_path / "out"),
        "XDG_CONFIG_HOME": str(config),
    }

    def script(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=120
        )

    started = script("start")
    assert started.returncode == 0, started.stdout + started.stderr
    yield script, f"http://127.0.0.1:{port}", tmp_path / "out"
    script("stop")


def test_scrapyd_runs_the_deployed_spider(scrapyd, enabbaladi_replica):
    script, url, out = scrapyd
    replica, server = enabbaladi_replica
    deployed = script("deploy")
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert "enabbaladi" in get(f"{url}/listspiders.json?project=akhbar")["spiders"]

    scheduled = script("schedule", "enabbaladi", server.base_url)
    assert scheduled.returncode == 0, scheduled.stderr
    job = json.loads(scheduled.stdout)["jobid"]
    deadline = time.monotonic() + 120
    while job not in {j["id"] for j in get(f"{url}/listjobs.json?project=akhbar")["finished"]}:
        assert time.monotonic() < deadline, "the scrapyd job did not finish"
        time.sleep(0.5)

    records = read_records(out)
    assert {r["url"] for r in records} == {replica.url(n) for n in range(1, replica.articles + 1)}
    report = json.loads((out / "runs.jsonl").read_text("utf-8").splitlines()[-1])
    assert report["health"] == "ok" and report["records_written"] == replica.articles
