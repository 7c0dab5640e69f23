"""Distributed crawling on Redis: many workers, one frontier (scrapy-redis), one seen-store.

- The request queue and the fingerprint set are scrapy-redis's (``<site>:requests``,
  ``<site>:dupefilter``), kept between runs (``SCHEDULER_PERSIST``).
- A popped request is moved, atomically, into its worker's processing hash
  (``<site>:requests:processing:<worker>``) and removed from it only once it is handled: a
  discovery page once its links are queued, an article once its line is durable (the seen-store
  commit). A worker that dies leaves its hash behind; it is queued again when the worker
  restarts under the same id, or by any live worker once the dead one's heartbeat expires.
- The seen-store is a Redis hash per site (``akhbar:<site>:seen``: URL → content hash,
  version, dates), so no worker fetches what another one wrote.

See docs/distributed.md.
"""
