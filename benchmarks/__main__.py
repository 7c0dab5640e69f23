"""Run every benchmark (or those named) and write benchmarks/results.md.

python -m benchmarks                 # all of them (the crawl ones take minutes)
python -m benchmarks bench_dates     # only some
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import benchmarks
from benchmarks.report import Row, machine, markdown

RESULTS = Path(__file__).resolve().parent / "results.md"


def names() -> list[str]:
    found = [m.name for m in pkgutil.iter_modules(benchmarks.__path__)]
    return sorted(n for n in found if n.startswith(("bench_", "eval_")))


def main(selected: list[str]) -> None:
    rows: list[Row] = []
    for name in selected or names():
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        rows += importlib.import_module(f"benchmarks.{name}").run()
        print(f"   {time.perf_counter() - started:.0f} s", flush=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    RESULTS.write_text(
        f"# Benchmark results\n\nMeasured {stamp} on {machine()}. Ratios compare akhbar with "
        "the baseline measured in the same run (higher is better unless the row says "
        f"otherwise).\n\n{markdown(rows)}\n",
        encoding="utf-8",
    )
    print(markdown(rows))
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main(sys.argv[1:])
