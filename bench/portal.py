"""Portal speed: a page of a 20,000-household project's published list, and 200 concurrent readers.

Targets (issue 7): a page of the per-household list under 100 ms (median); 200 concurrent readers on this machine
with the 99th percentile under 500 ms. Build the district first (its first project holds 30% of the households):
    GAIZAO_DATA_DIR=/tmp/portal gaizao demo --households 67000 --no-serve
    python bench/portal.py /tmp/portal [--runs 41] [--seconds 30] [--connections 200]
The load part serves the site with gunicorn (the production server, 4 workers × 8 threads) and drives it from this
script: each reader a kept-alive connection asking for random pages of the list or the project's public page, signed
in as the demo's resident, every answer timed. (wrk was used before; with 200 connections it reported a p99 of
~0.6 s even against a hello-world server, whose own log said each answer took under 2 ms.)
"""

import argparse
import asyncio
import os
import random
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from common import ROOT, median_ms, setup_django, timed

PORT = 8799


def page_times(client, project, publication, runs: int) -> None:
    pages = -(-publication.rows // 50)
    base = f"/portal/p/{project.code}/{publication.kind}/{publication.number}/"
    for label, path in (
        (f"{publication.get_kind_display()} ({publication.rows:,} households), random pages", None),
        ("the same, page 1", base + "?page=1"),
        ("the same, the last page", base + f"?page={pages}"),
        ("the same, found by household number", base + "?q=" + publication.lines.order_by("?").first().number),
        ("the project's public page", f"/portal/p/{project.code}/"),
    ):
        samples = []
        for _ in range(runs):
            url = path or base + f"?page={random.randint(1, pages)}"
            seconds, response = timed(client.get, url)
            assert response.status_code == 200, (url, response.status_code)
            samples.append(seconds)
        print(f"  {label}: {median_ms(samples)}")


def serve(data_dir: Path, workers: int, threads: int) -> subprocess.Popen:
    env = os.environ | {"GAIZAO_DATA_DIR": str(data_dir), "GAIZAO_ALLOWED_HOSTS": "127.0.0.1"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [
            str(gunicorn),
            "gaizao.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread" if threads > 1 else "sync",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/portal/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


async def _reader(paths: list[str], cookie: str, think: float, until: float, samples: list[float]) -> None:
    """One reader on one kept-alive connection: asks for a page, reads it whole, reads it for 0.5–1.5 × think s."""
    await asyncio.sleep(random.random() * think)  # readers arrive over a think time, not in the same microsecond
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            request = f"GET {random.choice(paths)} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\r\n"
            writer.write(request.encode())
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            if not head.startswith("HTTP/1.1 200"):
                raise SystemExit(head.splitlines()[0])
            await reader.readexactly(int(re.search(r"(?im)^content-length:\s*(\d+)", head).group(1)))
            samples.append(time.perf_counter() - started)
            if re.search(r"(?im)^connection:\s*close", head):
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
            await asyncio.sleep(random.uniform(0.5, 1.5) * think)
    finally:
        writer.close()


async def _readers(paths: list[str], cookie: str, think: float, seconds: float, connections: int) -> list[float]:
    samples: list[float] = []
    until = time.perf_counter() + seconds
    await asyncio.gather(*(_reader(paths, cookie, think, until, samples) for _ in range(connections)))
    return samples


def load(data_dir: Path, cookie: str, paths: list[str], args: argparse.Namespace, think: int) -> None:
    """Each reader a connection kept alive, every answer's time recorded; with `think` ms, a reader pauses 0.5–1.5
    × that long between pages. A warm-up first (each server process loads its code and its caches once)."""
    server = serve(data_dir, args.workers, args.threads)
    try:
        asyncio.run(_readers(paths, cookie, think / 1000, 5, args.connections))
        samples = sorted(asyncio.run(_readers(paths, cookie, think / 1000, args.seconds, args.connections)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)
    n = len(samples)
    p50, p90, p99 = (1000 * samples[min(n - 1, int(n * q))] for q in (0.5, 0.9, 0.99))
    reading = f"each reading a page ~{think} ms" if think else "no pause between pages"
    print(
        f"  {args.connections} readers ({reading}), {args.seconds} s: {n / args.seconds:.0f} pages/s; latency"
        f" p50 {p50:.1f} ms, p90 {p90:.1f} ms, p99 {p99:.1f} ms, max {1000 * samples[-1]:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--runs", type=int, default=41)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--think", type=int, nargs="*", default=[1000, 0], help="ms each reader spends on a page")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker (1: sync workers)")
    args = parser.parse_args()
    os.environ["GAIZAO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    setup_django(args.data_dir)
    from django.conf import settings
    from django.test import Client

    from gaizao.demo.portal import RESIDENT_CODE, resident_household

    resident = resident_household()
    project = resident.project
    client = Client()
    response = client.post("/portal/login/", {"id_number": resident.id_number, "code": RESIDENT_CODE})
    assert response.status_code == 302, "the demo resident could not sign in"
    for publication in project.publications.order_by("kind"):
        page_times(client, project, publication, args.runs)
    survey = project.publications.get(kind="survey", number=1)
    pages = -(-survey.rows // 50)
    paths = [f"/portal/p/{project.code}/survey/1/?page={n}" for n in random.sample(range(1, pages + 1), 40)]
    paths.append(f"/portal/p/{project.code}/")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    for think in args.think:
        load(args.data_dir, cookie, paths, args, think)


if __name__ == "__main__":
    main()
