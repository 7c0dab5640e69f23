"""The wheel installs the project's packages and nothing else at the top of site-packages:
no ``settings`` module to collide with another project's; Scrapy finds akhbar's settings
through the packaged module."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = {"akhbar", "scraper", "pipelines"}


def test_the_wheel_holds_only_the_projects_packages(tmp_path: Path) -> None:
    # A copy without build/ (setuptools would reuse what an older build left there).
    source = tmp_path / "source"
    skipped = shutil.ignore_patterns("build", ".venv", ".git", "*.egg-info", "output", "state")
    shutil.copytree(ROOT, source, ignore=skipped)
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    built = subprocess.run(
        [*pip, "--wheel-dir", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = tmp_path.glob("akhbar-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == PACKAGES
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[scrapy]\nsettings = scraper.crawl.settings" in text
