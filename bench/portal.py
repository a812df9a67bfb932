"""Portal speed: a page of a 20,000-household project's published list, and 200 concurrent readers.

Targets (issue 7): a page of the per-household list under 100 ms (median); 200 concurrent readers on this machine
with the 99th percentile under 500 ms. Build the district first (its first project holds 30% of the households):
    GAIZAO_DATA_DIR=/tmp/portal gaizao demo --households 67000 --no-serve
    python bench/portal.py /tmp/portal [--runs 41] [--seconds 30] [--connections 200]
The load part serves the site with gunicorn (the production server) and drives it with wrk (apt-get install wrk),
each reader a connection that asks for random pages of the list or the project's public page, signed in as the
demo's resident.
"""

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT, median_ms, setup_django, timed

PORT = 8799
WRK_SCRIPT = """
math.randomseed(os.time())
local paths = {PATHS}
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {["Cookie"] = "COOKIE"})
end
THINK
response = function(status, headers, body)
  if status ~= 200 then io.stderr:write(status .. " ") end
end
"""


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


def serve(data_dir: Path) -> subprocess.Popen:
    env = os.environ | {"GAIZAO_DATA_DIR": str(data_dir), "GAIZAO_ALLOWED_HOSTS": "127.0.0.1"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [
            str(gunicorn),
            "gaizao.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "4",
            "--threads",
            "8",
            "--worker-class",
            "gthread",
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


def load(data_dir: Path, cookie: str, paths: list[str], seconds: int, connections: int, think: int) -> None:
    """Each connection a reader; with `think` ms, a reader pauses 0.5–1.5 × that long between pages (wrk's delay)."""
    if shutil.which("wrk") is None:
        print("  wrk is not installed (apt-get install wrk): load test skipped")
        return
    script = Path(tempfile.mkdtemp()) / "portal.lua"
    pause = f"delay = function() return math.random({think // 2}, {think * 3 // 2}) end" if think else ""
    lua = WRK_SCRIPT.replace("{PATHS}", "{" + ",".join(f'"{p}"' for p in paths) + "}")
    script.write_text(lua.replace("COOKIE", cookie).replace("THINK", pause))
    server = serve(data_dir)
    try:
        wrk = ["wrk", "-t", "2", "-c", str(connections), "--timeout", "10s", "--latency", "-s", str(script)]
        url = f"http://127.0.0.1:{PORT}"
        subprocess.run([*wrk, "-d", "5s", url], capture_output=True, check=True)  # warm: imports, templates, caches
        out = subprocess.run([*wrk, "-d", f"{seconds}s", url], capture_output=True, text=True, check=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)
    if ".lua" in out.stderr:
        raise SystemExit(out.stderr[:500])
    out, not_ok = out.stdout, len(out.stderr.split())
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
    rate = re.search(r"Requests/sec:\s+(\S+)", out).group(1)
    reading = f"each reading a page ~{think} ms" if think else "no pause between pages"
    print(
        f"  {connections} readers ({reading}), {seconds} s: {rate} pages/s; latency p50 {latency['50']},"
        f" p90 {latency['90']}, p99 {latency['99']}; not 200: {not_ok}"
    )
    if "Requests/sec" not in out or latency.get("50") is None:
        raise SystemExit(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--runs", type=int, default=41)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--think", type=int, nargs="*", default=[0, 1000], help="ms each reader spends on a page")
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
        load(args.data_dir, cookie, paths, args.seconds, args.connections, think)


if __name__ == "__main__":
    main()
