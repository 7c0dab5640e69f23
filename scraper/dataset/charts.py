"""The charts of ``akhbar report``, drawn by matplotlib as SVG to inline in the page.

Text stays ``<text>`` for the browser to lay out with the page's fonts; every id starts with
its chart's name (the page holds several charts), and each bar is named after what it shows,
``records-bar-<site>-<day>``, ``runs-bar-<n>-<health>``, ``failures-bar-<reason>``,
``fields-bar-<field>``, ``clusters-bar-<size>``, so a reader or a test can find it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from scraper.store.runs import RunReport

if TYPE_CHECKING:  # matplotlib 3.10+ names its settings for type checkers
    from matplotlib.typing import RcKeyType

WIDTH = 9.0
STYLE: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "font.family": ["DejaVu Sans"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
}
HEALTH_COLOURS = {"ok": "#2e7d32", "failed": "#c62828"}
BAR_COLOUR = "#1565c0"
_ID = re.compile(r'(\bid="|url\(#|href="#)')


def draw(scope: str, height: float, paint: Callable[[Figure], None]) -> str:
    """The figure ``paint`` fills, as an ``<svg>`` element whose ids start with ``scope``."""
    with matplotlib.rc_context({**STYLE, "svg.hashsalt": scope}):
        figure = Figure(figsize=(WIDTH, height), layout="constrained")
        paint(figure)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return _ID.sub(rf"\g<1>{scope}-", text[text.index("<svg") :])


def records_per_day(counts: Mapping[tuple[str, str], int]) -> str:
    """Stacked bars: records per day of publication, one colour per site."""
    sites = sorted({site for site, _ in counts})
    days = sorted({day for _, day in counts})

    def paint(figure: Figure) -> None:
        axes = figure.subplots()
        stacked = dict.fromkeys(days, 0)
        for site in sites:
            shown = [day for day in days if counts.get((site, day))]
            heights = [counts[site, day] for day in shown]
            x = date2num([date.fromisoformat(day) for day in shown])
            bars = axes.bar(x, heights, bottom=[stacked[d] for d in shown], label=site)
            for bar, day in zip(bars, shown, strict=True):
                bar.set_gid(f"bar-{site}-{day}")
                stacked[day] += counts[site, day]
        first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
        axes.set_xlim(date2num(first - timedelta(days=1)), date2num(last + timedelta(days=1)))
        locator = AutoDateLocator(minticks=2, maxticks=10)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylabel("records")
        axes.legend(loc="upper left", fontsize=8)

    return draw("records", 3.2, paint)


def run_health(runs: Sequence[RunReport], minimum: Mapping[str, float]) -> str:
    """Per run, oldest first: the site parser's coverage of each field against its minimum
    (above), and the records written, coloured by the run's health (below)."""

    def paint(figure: Figure) -> None:
        coverage, written = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
        _coverage_lines(coverage, runs, minimum)
        numbers = range(1, len(runs) + 1)
        bars = written.bar(numbers, [run.records_written for run in runs])
        for bar, number, run in zip(bars, numbers, runs, strict=True):
            bar.set_color(HEALTH_COLOURS.get(run.health, HEALTH_COLOURS["failed"]))
            bar.set_gid(f"bar-{number}-{run.health}")
        written.set_ylabel("records written")
        written.xaxis.set_major_locator(MaxNLocator(nbins=10, integer=True))
        written.xaxis.set_major_formatter(FuncFormatter(lambda x, _: _run_label(runs, x)))

    return draw("runs", 4.6, paint)


def _coverage_lines(axes: Axes, runs: Sequence[RunReport], minimum: Mapping[str, float]) -> None:
    for site in sorted({run.site for run in runs}):
        numbers = [n for n, run in enumerate(runs, 1) if run.site == site]
        for name in minimum:
            shares = [runs[n - 1].parser_coverage.get(name, 0.0) for n in numbers]
            axes.plot(numbers, shares, marker="o", label=f"{site} {name}")
    for share in sorted(set(minimum.values())):
        names = ", ".join(name for name, least in minimum.items() if least == share)
        axes.axhline(share, linestyle="--", linewidth=0.8, color="grey")
        axes.annotate(f"minimum: {names}", (0.01, share), xycoords=("axes fraction", "data"))
    axes.set_ylim(0, 1.05)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_ylabel("parser coverage")
    axes.legend(loc="lower right", fontsize=8)


def _run_label(runs: Sequence[RunReport], position: float) -> str:
    """The label of the run at tick ``position`` (runs are numbered from 1)."""
    if position != int(position) or not 1 <= position <= len(runs):
        return ""
    run = runs[int(position) - 1]
    return f"{run.site}\n{run.start:%m-%d %H:%M}"


def horizontal_bars(scope: str, values: Mapping[str, float], share: bool = False) -> str:
    """One bar per key, largest first, named ``<scope>-bar-<key>``; ``share``: 0 to 100%."""
    keys = sorted(values, key=lambda key: (-values[key], key))

    def paint(figure: Figure) -> None:
        axes = figure.subplots()
        bars = axes.barh(keys, [values[key] for key in keys], color=BAR_COLOUR)
        for bar, key in zip(bars, keys, strict=True):
            bar.set_gid(f"bar-{key}")
        axes.invert_yaxis()
        if share:
            axes.set_xlim(0, 1)
            axes.xaxis.set_major_formatter(PercentFormatter(1.0))
        else:
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.bar_label(bars, fmt="{:.0%}" if share else "{:,.0f}", padding=3)

    return draw(scope, max(1.4, 0.6 + 0.28 * len(keys)), paint)


def cluster_sizes(sizes: Mapping[int, int]) -> str:
    """Bars: how many near-duplicate clusters have 1, 2, 3... records (log scale)."""
    shown = sorted(sizes)

    def paint(figure: Figure) -> None:
        axes = figure.subplots()
        bars = axes.bar([str(size) for size in shown], [sizes[size] for size in shown])
        for bar, size in zip(bars, shown, strict=True):
            bar.set_gid(f"bar-{size}")
        axes.set_yscale("log")
        axes.set_ylim(bottom=0.8)
        axes.bar_label(bars, fmt="{:,.0f}", padding=2)
        axes.set_xlabel("records in the cluster")
        axes.set_ylabel("clusters")

    return draw("clusters", 2.8, paint)
