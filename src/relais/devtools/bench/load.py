"""The load benchmark: mixes of the roles against gunicorn, next to a bare view.

Run it on the database `relais bench-data` filled (PostgreSQL for national
figures). It starts gunicorn on a free loopback port, one worker per core, then
runs Locust headless, for a bounded time, once per mix: the bare health view
(the raw baseline: Django's request path and nothing else), the front desks
alone, and every role together (see locustfile.py). It prints requests per
second in all and per core, the failures, the median and 99th percentile, and
each mix's throughput as a share of the bare view's.
"""

import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from .pages import cast

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
# The servers and the simulated users import Relais as this process does.
CHILD_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, sys.path))}
MIXES = {
    "bare view (baseline)": ["Bare"],
    "front desk": ["FrontDesk"],
    "all roles": ["FrontDesk", "Trainer", "Coordinator", "NationalStaff"],
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _locust(host, classes, users, seconds, folder) -> dict:
    prefix = Path(folder) / classes[0]
    subprocess.run(
        [
            str(Path(sys.executable).with_name("locust")),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 5)),
            "--run-time",
            f"{seconds}s",
            "--host",
            host,
            "--csv",
            str(prefix),
            *classes,
        ],
        env=CHILD_ENV,
        check=False,  # Locust exits 1 when a request failed: reported below
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p99": float(total["99%"]),
    }


def run(*, users: int, seconds: int, out=print) -> None:
    cast()  # the users the mixes log in as
    cores = os.cpu_count() or 1
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(cores),
        ],
        env={**CHILD_ENV, "DJANGO_SETTINGS_MODULE": "config.settings.bench"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{host}/health/", timeout=5)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        out(f"gunicorn, {cores} workers; {users} users for {seconds} s per mix")
        out(
            f"{'mix':<22}{'req/s':>8}{'per core':>10}{'errors':>8}"
            f"{'p50 ms':>8}{'p99 ms':>8}{'of bare':>9}"
        )
        with tempfile.TemporaryDirectory() as folder:
            bare = None
            for name, classes in MIXES.items():
                figures = _locust(host, classes, users, seconds, folder)
                bare = bare or figures["rps"]
                out(
                    f"{name:<22}{figures['rps']:8.1f}{figures['rps'] / cores:10.1f}"
                    f"{figures['failures']:8d}{figures['p50']:8.0f}"
                    f"{figures['p99']:8.0f}{figures['rps'] / bare:9.0%}"
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
