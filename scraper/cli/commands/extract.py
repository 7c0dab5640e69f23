"""akhbar extract FILE_OR_URL...: one JSON record per page, as a crawl would write it."""

from __future__ import annotations

import argparse
import json
import sys

from scraper.core.record import InvalidRecord, ordered, validate
from scraper.crawl import pages as saved
from scraper.crawl.standalone import standalone_record
from scraper.sites import get_site

HELP = "Extract the record of saved pages (.html, .html.gz) or URLs, one JSON line each."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="+", metavar="FILE_OR_URL")
    parser.add_argument("--url", help="the address a saved page was fetched from")
    parser.add_argument("--site", help="use this site's parser whatever the address")
    parser.add_argument("--indent", type=int, help="pretty-print with this indent")


def run(args: argparse.Namespace) -> int:
    site = get_site(args.site) if args.site else None
    status = 0
    for source in args.sources:
        try:
            page = saved.load(source, args.url)
        except (OSError, ValueError) as exc:
            print(f"akhbar extract: {source}: {exc}", file=sys.stderr)
            status = 1
            continue
        record = standalone_record(page, site)
        try:
            validate(record)
        except InvalidRecord as exc:
            print(f"akhbar extract: {source}: incomplete record: {exc}", file=sys.stderr)
            status = 1
        print(json.dumps(ordered(record), ensure_ascii=False, indent=args.indent), flush=True)
    return status
