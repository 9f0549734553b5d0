"""The load benchmark: mixes of the roles against gunicorn, next to a bare view.

Run it on the database `relais bench-data` filled (PostgreSQL for national
figures). It starts gunicorn on a free loopback port, one worker per core
(forked ready, as in production: see relais.core.warmup), then
runs Locust headless, for a bounded time, once per mix (see locustfile.py),
counted once every user has logged in:

- capacity: the bare health view (the raw baseline: Django's request path and
  nothing else), the front desks alone, and every role together, with no pause
  between pages, so that the users keep the servers as busy as they can be;
- as people work: the front desks, then every role, each user pausing up to
  `pause` seconds between pages, as someone reading a page and filling a form
  does. The goals are read here: no error, and the 99th percentile within
  GOAL_P99_MS; the run fails (non-zero) when a mix misses them.

It prints requests per second in all and per core, the failures, the median and
99th percentile, and each mix's throughput as a share of the bare view's; then,
for each mix that writes, every kind of write (the POSTs of the pages' forms)
with its count, failures, median and 99th percentile.

The generated sessions are all closed, and a trainer takes attendance only in a
session under way: before the runs, the cast's trainer is given two, at their
centre, planned, led and filled by the cast's coordinator through the services
(kept, and topped up, from one run to the next).
"""

import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from relais.accounts.models import RoleMembership
from relais.core.roles import Permission, Role
from relais.people.models import Person
from relais.people.policies import people_in_scope
from relais.training import services
from relais.training.models import Certification, Enrolment, Facilitation, Session

from .pages import cast

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
# The servers and the simulated users import Relais as this process does.
CHILD_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, sys.path))}
FRONT_DESK = ["FrontDesk"]
ALL_ROLES = ["FrontDesk", "Trainer", "Coordinator", "NationalStaff"]
# (name, Locust user classes, whether the users pause between pages)
MIXES = [
    ("bare view (baseline)", ["Bare"], False),
    ("front desk", FRONT_DESK, False),
    ("all roles", ALL_ROLES, False),
    ("front desk, paced", FRONT_DESK, True),
    ("all roles, paced", ALL_ROLES, True),
]
GOAL_P99_MS = 1000
UNDER_WAY = 2  # sessions the cast's trainer leads, under way during the runs
# The users log in before the figures start (see locustfile.py): the run is
# this much longer, so that about the asked seconds are measured.
LOG_IN_SECONDS = 15
SEATS = 20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _locust(host, classes, users, seconds, pause, folder) -> dict:
    prefix = Path(folder) / f"{classes[0]}-{pause}"
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
            f"{seconds + LOG_IN_SECONDS}s",
            "--host",
            host,
            "--csv",
            str(prefix),
            *classes,
        ],
        env={**CHILD_ENV, "RELAIS_LOAD_PAUSE": str(pause)},
        check=False,  # Locust exits 1 when a request failed: reported below
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    return {
        **_figures(total),
        "rps": float(total["Requests/s"]),
        # Links to pages the role may not open (the walks name them so).
        "dead_links": {
            name: int(row["Request Count"])
            for name, row in rows.items()
            if name.endswith(": 404)")
        },
        # The forms' POSTs, but logging in.
        "writes": {
            name: _figures(row)
            for name, row in sorted(rows.items())
            if row["Type"] == "POST" and not name.startswith("/login/")
        },
    }


def _figures(row: dict) -> dict:
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "p50": float(row["50%"] if row["50%"] != "N/A" else 0),
        "p99": float(row["99%"] if row["99%"] != "N/A" else 0),
    }


def under_way(users: dict) -> None:
    """Sessions under way that the cast's trainer leads at their centre, with
    people of the region confirmed in them."""
    trainer, coordinator = users[Role.TRAINER], users[Role.REGIONAL_COORDINATOR]
    if trainer.person_id is None:
        return
    today = timezone.localdate()
    centre = RoleMembership.objects.get(user=trainer, role=Role.TRAINER).organisation
    led = Session.objects.filter(
        venue=centre,
        status=Session.Status.RUNNING,
        end_date__gte=today,
        facilitations__person_id=trainer.person_id,
        facilitations__role=Facilitation.Role.LEAD,
    )
    missing = UNDER_WAY - led.count()
    certification = (
        Certification.objects.valid_on(today - timedelta(days=1))
        .filter(
            person_id=trainer.person_id,
            level__in=[
                Certification.Level.RELAY_TRAINER,
                Certification.Level.MASTER_TRAINER,
            ],
        )
        .select_related("programme")
        .first()
    )
    if missing <= 0 or certification is None:
        return
    programme = certification.programme
    start, end = today - timedelta(days=1), today + timedelta(days=3)
    number = Session.objects.filter(code__startswith="LOAD-").count()
    for _ in range(missing):
        while Session.objects.filter(code=f"LOAD-{number}").exists():
            number += 1
        # People of the region not booked on these days yet.
        booked = (
            Enrolment.objects.filter(
                status__in=Enrolment.ACTIVE,
                session__start_date__lte=end,
                session__end_date__gte=start,
            )
            .exclude(session__status=Session.Status.CANCELLED)
            .values("person")
        )
        people = (
            Person.objects.filter(
                people_in_scope(coordinator, Permission.ENROLMENT_MANAGE)
            )
            .exclude(pk=trainer.person_id)
            .exclude(pk__in=booked)
            .order_by("pk")
            .values_list("pk", flat=True)[:SEATS]
        )
        session = services.session_create(
            actor=coordinator,
            programme=programme,
            kit=programme.kits.order_by("-released_on", "-pk").first(),
            code=f"LOAD-{number}",
            venue=centre,
            title="Session",
            level=Session.Level.RELAY,
            audience=Session.Audience.CADRES,
            start_date=start,
            end_date=end,
            capacity=SEATS,
        )
        services.facilitation_assign(
            actor=coordinator,
            session=session,
            person=trainer.person,
            role=Facilitation.Role.LEAD,
        )
        services.session_set_status(
            actor=coordinator, session=session, status=Session.Status.OPEN
        )
        services.enrolments_bulk_create(
            actor=coordinator,
            requests=[
                services.EnrolmentRequest(row, session.pk, pk)
                for row, pk in enumerate(people)
            ],
            keep_valid=True,
        )
        services.session_set_status(
            actor=coordinator, session=session, status=Session.Status.RUNNING
        )


def run(*, users: int, seconds: int, pause: float, out=print) -> list[str]:
    """Run the mixes; what missed the goals (nothing when all were met)."""
    under_way(cast())  # the users the mixes log in as, and the trainer's sessions
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
            "--preload",
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
        out(
            f"gunicorn, {cores} workers; {users} users for {seconds} s per mix; "
            f"paced: pauses of up to {pause:g} s between pages"
        )
        out(
            f"{'mix':<22}{'req/s':>8}{'per core':>10}{'errors':>8}"
            f"{'p50 ms':>8}{'p99 ms':>8}{'of bare':>9}"
        )
        writes, missed = {}, []
        with tempfile.TemporaryDirectory() as folder:
            bare = None
            for name, classes, paced in MIXES:
                figures = _locust(
                    host, classes, users, seconds, pause if paced else 0, folder
                )
                bare = bare or figures["rps"]
                if paced and (figures["failures"] or figures["p99"] > GOAL_P99_MS):
                    missed.append(name)
                # A paced mix's throughput is what its users ask, not capacity.
                share = "" if paced else f"{figures['rps'] / bare:9.0%}"
                out(
                    f"{name:<22}{figures['rps']:8.1f}{figures['rps'] / cores:10.1f}"
                    f"{figures['failures']:8d}{figures['p50']:8.0f}"
                    f"{figures['p99']:8.0f}{share}"
                )
                if figures["writes"]:
                    writes[name] = figures
                for link in figures["dead_links"]:  # defects of pages, not errors
                    out(f"{'':<22}{link}")
        for name, figures in writes.items():
            count = sum(w["requests"] for w in figures["writes"].values())
            out(
                f"\nWrites, {name}: {count} of {figures['requests']} requests "
                f"({count / max(figures['requests'], 1):.0%})"
            )
            out(f"{'form sent':<42}{'count':>7}{'errors':>8}{'p50 ms':>8}{'p99 ms':>8}")
            for form, w in figures["writes"].items():
                out(
                    f"{form:<42}{w['requests']:7d}{w['failures']:8d}"
                    f"{w['p50']:8.0f}{w['p99']:8.0f}"
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return missed
