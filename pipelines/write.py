"""JSON Lines output: ``<out>/<site>/<YYYY-MM-DD>.jsonl`` by day of publication
(``undated.jsonl`` for records without a date), UTF-8 with Arabic unescaped."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from scraper.record import ordered


def output_path(out: Path, record: dict[str, Any]) -> Path:
    day = (record.get("published") or "")[:10] or "undated"
    return out / record["site"] / f"{day}.jsonl"


class JsonLinesWriter:
    def __init__(self, out: Path, crawler: Crawler | None = None) -> None:
        self.out = out
        self.stats = crawler.stats if crawler else None
        self.files: dict[Path, IO[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonLinesWriter:
        return cls(Path(crawler.settings.get("AKHBAR_OUTPUT_DIR", "output")), crawler)

    def process_item(self, item: Any) -> Any:
        record = ordered(ItemAdapter(item).asdict())
        path = output_path(self.out, record)
        handle = self.files.get(path)
        if handle is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = self.files[path] = path.open("a", encoding="utf-8")
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        if self.stats is not None:
            self.stats.inc_value("akhbar/records_written")
        return item

    def close_spider(self) -> None:
        for handle in self.files.values():
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        if self.stats is not None:
            self.stats.set_value("akhbar/output_files", sorted(str(p) for p in self.files))
