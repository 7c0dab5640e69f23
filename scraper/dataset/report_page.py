"""The page of ``akhbar report``: one self-contained HTML file (styles and SVG charts inline,
no script, nothing fetched), English around right-to-left Arabic (``dir="rtl"`` and
``lang="ar"`` wherever Arabic text shows, set in fonts with Arabic glyphs)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from scraper.core.record import MIN_PARSER_COVERAGE
from scraper.dataset import charts
from scraper.dataset.report import Report, SiteSpan
from scraper.sites import all_sites
from scraper.store.runs import RunReport

#: Most recent runs listed in the runs table, and skipped lines listed.
RUNS_LISTED = 10
SKIPPED_LISTED = 20

STYLE = """
body { font-family: "Noto Sans", "Segoe UI", "DejaVu Sans", Arial, sans-serif;
       margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #222; line-height: 1.45; }
:lang(ar) { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Geeza Pro",
            "Traditional Arabic", Tahoma, "DejaVu Sans", serif; font-size: 1.08em; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.6rem 0; }
th, td { border-bottom: 1px solid #eee; padding: 0.25rem 0.7rem; text-align: start; }
td.n { text-align: end; font-variant-numeric: tabular-nums; }
figure { margin: 0.8rem 0; } figcaption { color: #555; font-size: 0.9em; }
svg { max-width: 100%; height: auto; }
.ok { color: #2e7d32; font-weight: bold; } .failed { color: #c62828; font-weight: bold; }
.muted { color: #666; }
"""


def render(report: Report) -> str:
    """The whole page."""
    sections = [
        header(report),
        latest_run(report.latest_run),
        sites_section(report),
        records_section(report),
        runs_section(report.runs),
        failures_section(report),
        fields_section(report),
        clusters_section(report),
        skipped_section(report.skipped),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>akhbar report: {escape(str(report.folder))}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(sections) + "\n</body>\n</html>\n"
    )


def arabic(text: str) -> str:
    """Arabic text, right to left, whatever surrounds it."""
    return f'<bdi dir="rtl" lang="ar">{escape(text)}</bdi>'


def table(headings: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int]) -> str:
    """A table of cells already in HTML; the columns in ``numeric`` are aligned as numbers."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headings)
    body = "".join(
        "<tr>" + "".join(_cell(cell, i in numeric) for i, cell in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(html: str, numeric: bool) -> str:
    return f'<td class="n">{html}</td>' if numeric else f"<td>{html}</td>"


def figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def health(run: RunReport) -> str:
    return f'<span class="{escape(run.health)}">{escape(run.health)}</span>'


def header(report: Report) -> str:
    total, sites = report.dataset.records, len(report.dataset.sites())
    return (
        f"<h1>akhbar report</h1>\n<p class=muted>{escape(str(report.folder))}: {total:,} records"
        f" of {sites} site(s), {len(report.runs)} run(s); made"
        f" {report.generated:%Y-%m-%d %H:%M} UTC.</p>"
    )


def latest_run(run: RunReport | None) -> str:
    """The latest run and, when it failed, its problems in words."""
    if run is None:
        return "<h2>Latest run</h2><p>No run is recorded in runs.jsonl.</p>"
    told = (
        f"<p>{escape(run.site)}, {run.start:%Y-%m-%d %H:%M} to {run.end:%H:%M} UTC"
        f" ({escape(run.finish_reason)}): {health(run)}. {run.pages_fetched:,} pages fetched,"
        f" {run.records_written:,} records written, {run.records_changed:,} changed,"
        f" {run.skipped_seen:,} already known, {run.failed:,} failed.</p>"
    )
    problems = "".join(f"<li>{escape(problem)}</li>" for problem in run.problems)
    found = f"<p>Problems:</p><ul id=problems>{problems}</ul>" if problems else ""
    return f"<h2>Latest run</h2>{told}{found}"


def sites_section(report: Report) -> str:
    rows = [_site_row(name, span) for name, span in report.dataset.sites().items()]
    headings = ("site", "publisher", "records", "first day", "last day", "undated")
    return "<h2>Sites</h2>" + table(headings, rows, {2, 5})


def _site_row(name: str, span: SiteSpan) -> list[str]:
    site = all_sites().get(name)
    return [
        escape(name),
        arabic(site.title) if site else "",
        f"{span.records:,}",
        escape(span.first_day or ""),
        escape(span.last_day or ""),
        f"{span.undated:,}",
    ]


def records_section(report: Report) -> str:
    per_day = report.dataset.per_day
    if not per_day:
        return "<h2>Records per day</h2><p>No dated record.</p>"
    chart = charts.records_per_day(per_day)
    return "<h2>Records per day</h2>" + figure(chart, "Records by day of publication and site.")


def runs_section(runs: list[RunReport]) -> str:
    if not runs:
        return "<h2>Runs</h2><p>No run is recorded.</p>"
    chart = charts.run_health(runs, MIN_PARSER_COVERAGE)
    caption = (
        "Above: the share of records whose field the site's own parser filled (a fall below"
        " the dashed minimum means its markup changed). Below: records written per run, red"
        " when the run failed."
    )
    rows = [_run_row(run) for run in reversed(runs[-RUNS_LISTED:])]
    headings = ("start (UTC)", "site", "health", "fetched", "written", "failed", "problems")
    return "<h2>Runs</h2>" + figure(chart, caption) + table(headings, rows, {3, 4, 5})


def _run_row(run: RunReport) -> list[str]:
    return [
        f"{run.start:%Y-%m-%d %H:%M}",
        escape(run.site),
        health(run),
        f"{run.pages_fetched:,}",
        f"{run.records_written:,}",
        f"{run.failed:,}",
        "; ".join(escape(problem) for problem in run.problems),
    ]


def failures_section(report: Report) -> str:
    if not report.failures:
        return "<h2>Failures</h2><p>No failure is logged in failures.jsonl.</p>"
    chart = charts.horizontal_bars("failures", report.failures)
    caption = "URLs of failures.jsonl by the reason of their last failure."
    return "<h2>Failures</h2>" + figure(chart, caption)


def fields_section(report: Report) -> str:
    coverage = report.dataset.field_coverage()
    if not coverage:
        return "<h2>Field coverage</h2><p>No record.</p>"
    chart = charts.horizontal_bars("fields", coverage, share=True)
    caption = "Share of the records that have each field."
    return "<h2>Field coverage</h2>" + figure(chart, caption)


def clusters_section(report: Report) -> str:
    sizes = report.dataset.cluster_sizes()
    if not sizes:
        return "<h2>Near-duplicate clusters</h2><p>No record.</p>"
    chart = charts.cluster_sizes(sizes)
    caption = "How many near-duplicate clusters (wire copies, republished articles) have each size."
    rows = [
        [f"{cluster.size:,}", escape(cluster.site), _link(cluster.url, cluster.title)]
        for cluster in report.dataset.largest_clusters()
    ]
    listed = table(("records", "site", "first record"), rows, {0}) if rows else ""
    return "<h2>Near-duplicate clusters</h2>" + figure(chart, caption) + listed


def _link(url: str, title: str) -> str:
    return f'<a href="{escape(url)}">{arabic(title or url)}</a>'


def skipped_section(skipped: list[str]) -> str:
    if not skipped:
        return ""
    items = "".join(f"<li>{escape(line)}</li>" for line in skipped[:SKIPPED_LISTED])
    hidden = len(skipped) - SKIPPED_LISTED
    more = f"<p>... and {hidden:,} more.</p>" if hidden > 0 else ""
    return f"<h2>Lines skipped</h2><p>Not valid records:</p><ul>{items}</ul>{more}"


def write(report: Report, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(report), encoding="utf-8")
    return out
