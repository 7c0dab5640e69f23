"""The layout is a contract: layers import one way only (import-linter, configured in
pyproject.toml and described in docs/architecture.md), no import hides inside a function to
dodge a cycle, and no module takes another's private names."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("akhbar", "scraper", "pipelines")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=300
    )


def sources() -> Iterator[tuple[Path, ast.Module]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path, ast.parse(path.read_text("utf-8"), str(path))


def project_module(name: str | None) -> bool:
    return bool(name) and name.split(".")[0] in PACKAGES  # type: ignore[union-attr]


def test_layers_import_one_way_only() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_import_against_the_layers_breaks_the_contract(tmp_path: Path) -> None:
    for name in (*PACKAGES, "pyproject.toml"):
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, tmp_path / name)
    page = tmp_path / "scraper" / "core" / "page.py"
    page.write_text(page.read_text("utf-8") + "\nimport scraper.crawl.runner\n", "utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    assert "scraper.core.page -> scraper.crawl.runner" in result.stdout


def test_no_project_import_inside_a_function() -> None:
    hidden = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, tree in sources()
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if (isinstance(node, ast.ImportFrom) and project_module(node.module))
        or (isinstance(node, ast.Import) and any(project_module(a.name) for a in node.names))
    ]
    assert hidden == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_private_name_is_imported_from_another_module(package: str) -> None:
    taken = [
        f"{path.relative_to(ROOT)}:{node.lineno} {alias.name}"
        for path, tree in sources()
        if path.relative_to(ROOT).parts[0] == package
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and project_module(node.module)
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert taken == []
