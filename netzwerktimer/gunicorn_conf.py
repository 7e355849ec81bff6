"""gunicorn settings for production (Dockerfile, docker-compose.yml) and `make loadtest`.

Sync workers, two per core (WEB_CONCURRENCY overrides). Every worker takes the next
request from the one shared accept queue as soon as it is free, so a page rendered for
the first time delays only the requests queued behind it anyway, not those that a
threaded worker happened to hold on its own connections. This is also how gunicorn is
meant to run behind a reverse proxy, which opens a connection per request. Measured in
BENCHMARKS.md (load test): p99 fell from 320–550 ms with 8 threaded workers to the
figures there.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
timeout = 30
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
