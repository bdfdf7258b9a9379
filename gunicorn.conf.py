"""gunicorn settings of Aiguillage (read by gunicorn from the working directory, or ``-c``).

* the address comes from the command line (``--bind 127.0.0.1:8000``);
* workers: ``2 × CPU + 1`` sync workers, or ``WEB_CONCURRENCY`` (gunicorn's own variable);
  each takes 250 to 500 MB (docs/DEPLOYMENT.md): lower it on a small machine;
* before forking them, the master prepares the server (`web.startup.prepare_on_start`):
  schema migrated under the migration lock, search index reused and caught up or rebuilt.
  ``AIGUILLAGE_PREPARE_ON_START=false`` skips it (run ``db upgrade`` and ``search prepare``
  yourself);
* no gunicorn access log: the application writes one structured line per request, with
  its request id and without query string nor address (`web.request_log`).
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

workers = int(os.environ.get("WEB_CONCURRENCY", "0")) or 2 * multiprocessing.cpu_count() + 1
timeout = 60
graceful_timeout = 30
accesslog = None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server: Any) -> None:
    from web.app import create_app
    from web.startup import prepare_on_start

    app = create_app()
    if app.config["PREPARE_ON_START"]:
        prepare_on_start(app)
