"""gunicorn settings of Aiguillage, read by ``gunicorn wsgi:app`` from this folder.

Override one with a command-line flag (``--workers 4``) or ``GUNICORN_CMD_ARGS``.
Why threads, and what still needs a reverse proxy: `web.gunicorn_worker`, docs/SECURITY.md.
"""

worker_class = "web.gunicorn_worker.FrenchThreadWorker"  # gthread, French errors of its own
workers = 2
threads = 8  # per worker: as many slow or waiting clients before a worker is full
# A worker thread waits for a visitor's request; the limits below are gunicorn's defaults,
# written here because the French answers to them (414, 431) are tested.
limit_request_line = 4094  # bytes of "GET /chemin?requête HTTP/1.1": beyond, 414
limit_request_fields = 100  # headers: beyond, 431
limit_request_field_size = 8190  # bytes of one header: beyond, 431
# A worker is replaced after about 5 000 requests (± 500, so that both are not replaced at
# once): what Python's allocator keeps after the large answers (exports build the whole
# directory in memory) is given back; bench/worker_memory.py, docs/RELIABILITY.md.
max_requests = 5000
max_requests_jitter = 500
keepalive = 5  # seconds an idle kept-alive connection stays open (in the poller, no thread)
timeout = 60  # seconds without a heartbeat from a worker's main loop before it is replaced
graceful_timeout = 30


def on_starting(_server: object) -> None:
    """Before the workers start: a missing or damaged search index is rebuilt from the
    database (once, here in the arbiter, so that no worker's boot time counts against
    ``timeout``)."""
    from web.app import prepare_search_index

    prepare_search_index()
