"""Locust scenario of `bench.load`: what residents and professionals do, at a steady rate.

Each simulated user makes one request per second (``constant_throughput(1)``), so the
offered load is the number of users in requests per second whatever the latencies: a
steady rate, not a closed loop that slows down with the server. The mix (weights):
search (API and page), orientation (API and page), partner pages and their API document,
GeoJSON of a map view; with ``AIGUILLAGE_LOAD_WRITES=1`` (the fault run) users also send
error reports, and every report the server acknowledged is written to a file so that
`bench.load` can check that none was lost.

Every answer is recorded (time, status, duration, name) in ``AIGUILLAGE_LOAD_RECORD`` (one
JSON line per request, written by the locust process at the end): `bench.load` derives
5xx counts, the statuses seen while the database was down and the recovery time.
Never imported by the tests (locust patches the standard library with gevent).
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from typing import Any
from urllib.parse import quote

from locust import HttpUser, constant_throughput, events, task

from bench.api_load import ADDRESSES, PLACES, RIGHTS, TEXTS  # the same searches

RECORD: list[dict[str, Any]] = []
ACKNOWLEDGED: list[str] = []


def partner_ids() -> list[int]:
    raw = os.environ.get("AIGUILLAGE_LOAD_PARTNERS", "")
    return [int(value) for value in raw.split(",") if value] or [1]


@events.request.add_listener
def _record(
    request_type: str,
    name: str,
    response_time: float,
    response: Any = None,
    exception: Any = None,
    **_: Any,
) -> None:
    status = getattr(response, "status_code", 0) if response is not None else 0
    RECORD.append(
        {
            "t": time.time(),
            "name": name,
            "method": request_type,
            "status": int(status or 0),
            "ms": response_time,
            "error": None if exception is None else type(exception).__name__,
            "type": (getattr(response, "headers", None) or {}).get("Content-Type", ""),
        }
    )


@events.quitting.add_listener
def _write_record(**_: Any) -> None:
    path = os.environ.get("AIGUILLAGE_LOAD_RECORD")
    if path:
        with open(path, "w", encoding="utf-8") as out:  # noqa: PTH123
            for line in RECORD:
                out.write(json.dumps(line) + "\n")
    acknowledged = os.environ.get("AIGUILLAGE_LOAD_ACKNOWLEDGED")
    if acknowledged:
        with open(acknowledged, "w", encoding="utf-8") as out:  # noqa: PTH123
            json.dump(ACKNOWLEDGED, out)


class Visitor(HttpUser):
    wait_time = constant_throughput(1)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.partners = partner_ids()
        self.token = ""
        self.writes = os.environ.get("AIGUILLAGE_LOAD_WRITES") == "1"

    def _get(self, path: str, name: str) -> None:
        # 4xx are answers too (none expected); only 5xx and broken connections fail.
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code >= 500 or response.status_code == 0:
                response.failure(f"HTTP {response.status_code}")
            else:
                response.success()

    def _place(self) -> tuple[float, float]:
        lon, lat = PLACES[self.rng.randrange(len(PLACES))]
        return lon + self.rng.uniform(-0.02, 0.02), lat + self.rng.uniform(-0.02, 0.02)

    @task(4)
    def search_api(self) -> None:
        lon, lat = self._place()
        text = quote(self.rng.choice(TEXTS))
        self._get(f"/api/v1/partners?q={text}&near={lon:.5f},{lat:.5f}", "API recherche")

    @task(3)
    def search_page(self) -> None:
        address = quote(self.rng.choice(ADDRESSES))
        self._get(f"/recherche?address={address}&right={self.rng.choice(RIGHTS)}", "page recherche")

    @task(2)
    def orientation_api(self) -> None:
        lon, lat = self._place()
        right = self.rng.choice(RIGHTS)
        self._get(
            f"/api/v1/orientation?right={right}&lon={lon:.5f}&lat={lat:.5f}", "API orientation"
        )

    @task(2)
    def orientation_page(self) -> None:
        address = quote(self.rng.choice(ADDRESSES))
        self._get(f"/orienter?right={self.rng.choice(RIGHTS)}&address={address}", "page orienter")

    @task(3)
    def partner_page(self) -> None:
        self._get(f"/partenaires/{self.rng.choice(self.partners)}", "page partenaire")

    @task(2)
    def partner_api(self) -> None:
        self._get(f"/api/v1/partners/{self.rng.choice(self.partners)}", "API partenaire")

    @task(2)
    def geojson(self) -> None:
        lon, lat = self._place()
        bbox = f"{lon - 0.15:.4f},{lat - 0.1:.4f},{lon + 0.15:.4f},{lat + 0.1:.4f}"
        self._get(f"/api/v1/partners.geojson?bbox={bbox}&limit=500", "API GeoJSON (carte)")

    @task(1)
    def error_report(self) -> None:
        if not self.writes:
            return
        partner = self.rng.choice(self.partners)
        path = f"/partenaires/{partner}/signaler"
        if not self.token:
            with self.client.get(path, name="formulaire signalement", catch_response=True) as page:
                found = re.search(r'name="csrf_token" value="([^"]+)"', page.text or "")
                if found:
                    self.token = found.group(1)
                    page.success()
                elif page.status_code < 500:
                    page.failure("pas de jeton CSRF")
            if not self.token:
                return
        message = f"Charge {time.time():.6f} {self.rng.random():.12f}"
        form = {"csrf_token": self.token, "topic": "horaires", "message": message}
        with self.client.post(path, data=form, name="signalement", catch_response=True) as sent:
            if sent.status_code == 200 and "Merci, votre signalement" in (sent.text or ""):
                ACKNOWLEDGED.append(message)
                sent.success()
            elif sent.status_code >= 500 or sent.status_code == 0:
                sent.failure(f"HTTP {sent.status_code}")
            else:
                sent.success()
