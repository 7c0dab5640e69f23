"""akhbar sites: the registry of sites with a parser of their own."""

from __future__ import annotations

import argparse

from scraper.sites import all_sites

HELP = "List the registered sites with their discovery channels and time zone."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--verbose", "-v", action="store_true", help="show every channel path")


def run(args: argparse.Namespace) -> int:
    for site in all_sites().values():
        channels = site.discovery
        kinds = {
            "news sitemaps": channels.news_sitemaps,
            "sitemaps": channels.sitemaps,
            "feeds": channels.feeds,
            "listings": channels.listings,
        }
        present = [name for name, paths in kinds.items() if paths]
        print(
            f"{site.name:<16} {site.title}  {site.base_url}  {site.timezone}  {', '.join(present)}"
        )
        if args.verbose:
            for name, paths in kinds.items():
                for path in paths:
                    print(f"    {name:<14} {site.base_url}{path}")
    return 0
