"""A real HTTP server on 127.0.0.1 for the HTTP providers' tests, answering what the test says."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Query = dict[str, list[str]]


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    delay_s: float = 0.0
    content_type: str = "application/json"


@dataclass
class StubServer:
    """A real HTTP server on 127.0.0.1 whose answers the test decides, request by request."""

    base_url: str
    replies: list[Callable[[str, Query], Reply]] = field(default_factory=list)
    requests: list[tuple[str, Query]] = field(default_factory=list)

    def answer(self, reply: Reply | Callable[[str, Query], Reply]) -> None:
        """Queue one answer (a Reply, or a function of path and query)."""
        self.replies.append(reply if callable(reply) else (lambda _p, _q, r=reply: r))

    def always(self, reply: Reply | Callable[[str, Query], Reply]) -> None:
        self.replies.clear()
        self._default = reply if callable(reply) else (lambda _p, _q, r=reply: r)

    def next_reply(self, path: str, query: Query) -> Reply:
        self.requests.append((path, query))
        if self.replies:
            return self.replies.pop(0)(path, query)
        default = getattr(self, "_default", None)
        return default(path, query) if default else Reply(404, {"error": "no reply queued"})


@contextmanager
def running_stub_server() -> Iterator[StubServer]:
    holder: dict[str, StubServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            reply = holder["server"].next_reply(parts.path, parse_qs(parts.query))
            if reply.delay_s:
                time.sleep(reply.delay_s)
            body = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body)
            payload = body if isinstance(body, bytes) else body.encode("utf-8")
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    holder["server"] = StubServer(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["server"]
    finally:
        server.shutdown()
        server.server_close()
