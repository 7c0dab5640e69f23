"""The shape every benchmark reports in, printed as a table."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Row = dict[str, Any]
COLUMNS = ("benchmark", "baseline", "ratio", "figures")


def best_seconds(
    work: Callable[[], object], rounds: int, clock: Callable[[], float] = time.process_time
) -> float:
    """The least time of ``rounds`` runs of ``work`` on ``clock`` (CPU time by default, so
    that another process on the machine does not decide it)."""
    best = float("inf")
    for _ in range(rounds):
        start = clock()
        work()
        best = min(best, clock() - start)
    return best


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text("utf-8").splitlines() if cpuinfo.exists() else []
    cpu = next(
        (line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def markdown(rows: Sequence[Row]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        ratio = f"{row['ratio']:.2f}×" if isinstance(row["ratio"], float) else str(row["ratio"])
        lines.append(f"| {row['benchmark']} | {row['baseline']} | {ratio} | {row['figures']} |")
    return "\n".join(lines)


def print_table(rows: Sequence[Row]) -> None:
    print(markdown(rows))
