"""Signals of akhbar's own, beside Scrapy's."""

#: A page could not be turned into a record: ``url``, ``reason`` (short, groupable) and
#: ``detail`` (the error message). Sent by spiders; written by the failure log.
page_failed = object()

#: Write what is buffered now (a distributed worker gone idle); sent without arguments.
flush_requested = object()

#: The record writer could not write (a full disk) and is stopping the crawl; sent once.
writing_stopped = object()
