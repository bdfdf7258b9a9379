"""Benchmark: the public pages with the real bundled data.

Run: ``.venv/bin/python -m bench.pages [--requests 200]``.

* Server time: gunicorn (2 sync workers, as ``make run``) on the real dataset of
  `bench.api_load` (SpatiaLite); each page is asked ``--requests`` times, one request at a
  time from a second process, after 5 warm-up requests; p50/p95 of the whole answer time
  seen by the client on 127.0.0.1.
* Map page: bytes of the HTML of ``/carte`` (tiles excluded: they are blocked) and the time
  until the first markers are drawn, in Debian's Chromium (Playwright).
* A cheap phone: Chromium with 4× CPU throttling and a slow mobile network (1.6 Mbit/s
  down, 750 kbit/s up, 150 ms RTT): time from navigation to the first result card visible
  on ``/recherche``, and bytes transferred (tiles excluded).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

from bench.api_load import OUT, free_port, get, prepare, start_server

PAGES = (
    "/",
    "/recherche?address=Arras&right=rsa",
    "/recherche?address=Muret&right=prime-activite&open_now=1",
    "/partenaires/1",
    "/droits/rsa",
    "/orienter?right=rsa&address=Cadours",
    "/orienter/fiche?right=rsa&address=Arras",
    "/carte",
    "/bus",
)
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def server_times(port: int, requests: int) -> None:
    print("| page | p50 ms | p95 ms | octets |")
    print("|---|---|---|---|")
    for path in PAGES:
        for _ in range(5):
            get("127.0.0.1", port, path)
        times, size = [], 0
        for _ in range(requests):
            started = time.perf_counter()
            status, size = get("127.0.0.1", port, path)
            times.append((time.perf_counter() - started) * 1000)
            assert status == 200, (path, status)
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        print(f"| `{path}` | {p50:.1f} | {p95:.1f} | {size} |")


def browser_figures(port: int) -> None:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS
        )
        for label, throttled in (("bureau", False), ("téléphone bon marché", True)):
            context = browser.new_context(
                viewport={"width": 360, "height": 740} if throttled else None
            )
            context.route(
                "**/*",
                lambda r: r.continue_() if r.request.url.startswith(base) else r.abort(),
            )
            page = context.new_page()
            received: list[int] = []
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.on(
                "Network.loadingFinished",
                lambda e, bytes_seen=received: bytes_seen.append(int(e["encodedDataLength"])),
            )
            if throttled:
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
                cdp.send(
                    "Network.emulateNetworkConditions",
                    {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8,
                     "uploadThroughput": 750_000 / 8},
                )  # fmt: skip
            started = time.perf_counter()
            page.goto(f"{base}/recherche?address=Arras&right=rsa", wait_until="commit")
            page.wait_for_selector("ol.card-list li.card", state="visible")
            first_card = time.perf_counter() - started
            page.wait_for_load_state("networkidle")
            print(
                f"- {label} : première fiche visible sur /recherche en {first_card:.2f} s, "
                f"{sum(received) / 1000:.0f} Ko transférés (sans tuiles)"
            )
            received.clear()
            started = time.perf_counter()
            page.goto(f"{base}/carte", wait_until="commit")
            page.wait_for_selector(".marker-cluster, .map-marker", state="visible", timeout=60_000)
            first_markers = time.perf_counter() - started
            page.wait_for_load_state("networkidle")
            print(
                f"- {label} : premiers marqueurs sur /carte en {first_markers:.2f} s, "
                f"{sum(received) / 1000:.0f} Ko transférés (sans tuiles)"
            )
            context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    database, index_dir = OUT / "api-bench.db", OUT / "api-bench-index"
    prepare(database, index_dir)
    port = free_port()
    print(
        f"# {platform.node()} ({os.cpu_count()} CPU), gunicorn 2 workers, SpatiaLite, "
        f"{args.requests} requêtes par page"
    )
    server = start_server(database, index_dir, port, 2)
    try:
        server_times(port, args.requests)
        browser_figures(port)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
