"""gunicorn settings of Aiguillage, read by ``gunicorn wsgi:app`` from this folder (or ``-c``).

Override one with a command-line flag (``--workers 4``) or ``GUNICORN_CMD_ARGS``.

* the address comes from the command line (``--bind 127.0.0.1:8000``);
* workers: ``2 × CPU + 1``, or ``WEB_CONCURRENCY`` (gunicorn's own variable); each takes
  250 to 500 MB (docs/DEPLOYMENT.md): lower it on a small machine. They are threaded
  (gthread, 8 threads each): slow clients no longer hold a whole worker. Why, and what still
  needs a reverse proxy: `web.gunicorn_worker`, docs/SECURITY.md;
* before forking them, the master prepares the server (`web.startup.prepare_on_start`):
  schema migrated under the migration lock, search index rebuilt if missing or damaged,
  reused and caught up otherwise. ``AIGUILLAGE_PREPARE_ON_START=false`` skips it (run
  ``db upgrade`` and ``search prepare`` yourself);
* no gunicorn access log: the application writes one structured line per request, with
  its request id and without query string nor address (`web.request_log`).
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

worker_class = "web.gunicorn_worker.FrenchThreadWorker"  # gthread, French errors of its own
workers = int(os.environ.get("WEB_CONCURRENCY", "0")) or 2 * multiprocessing.cpu_count() + 1
threads = 8  # per worker: as many slow or waiting clients before a worker is full
# The limits below are gunicorn's defaults, written here because the French answers to
# them (414, 431) are tested.
limit_request_line = 4094  # bytes of "GET /chemin?requête HTTP/1.1": beyond, 414
limit_request_fields = 100  # headers: beyond, 431
limit_request_field_size = 8190  # bytes of one header: beyond, 431
# A worker is replaced after about 5 000 requests (± 500, so that they are not replaced at
# once): what Python's allocator keeps after large answers is given back;
# bench/worker_memory.py, docs/RELIABILITY.md.
max_requests = 5000
max_requests_jitter = 500
keepalive = 5  # seconds an idle kept-alive connection stays open (in the poller, no thread)
timeout = 60  # seconds without a heartbeat from a worker's main loop before it is replaced
graceful_timeout = 30
accesslog = None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server: Any) -> None:
    from web.app import create_app
    from web.startup import prepare_on_start

    app = create_app()
    if app.config["PREPARE_ON_START"]:
        prepare_on_start(app)
