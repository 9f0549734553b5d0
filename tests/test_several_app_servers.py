"""Two app servers, one PostgreSQL, one Redis and a task worker behave as one site.

A coordinator uploads a file and confirms its columns on one server; the other
server shows the dry run as it ends, serves its report and follows the import to
the end. Sessions and jobs live in the database; progress, counters and counts in
Redis; files in the imports storage (a folder both reach). Runs where DATABASE_URL
names a PostgreSQL server and Redis answers (REDIS_URL, or 127.0.0.1:6379).
"""

import os
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import redis
import requests

ROOT = Path(__file__).resolve().parents[1]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "Two-Servers-2026"


def _answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), 1).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres") or not _answers(REDIS_URL),
    reason="needs PostgreSQL (DATABASE_URL) and Redis",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Form(HTMLParser):
    """The values a browser would send for the form holding `button`."""

    def __init__(self, button: str):
        super().__init__()
        self.button, self.fields, self.found = button, {}, False
        self._current, self._select = None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {}
        elif self._current is None:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type") != "submit":
            self._current[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self._current[self._select] = attrs.get("value", "")
        elif tag == "button" and attrs.get("name") == self.button:
            self._current[self.button] = attrs.get("value", "")
            self.found = True

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form" and self._current is not None:
            if self.button in self._current:
                self.fields = self._current
            self._current = None


def form_of(response, button: str) -> dict:
    form = Form(button)
    form.feed(response.text)
    assert form.found, f"no form with {button!r} at {response.url}"
    return form.fields


@pytest.fixture
def site(tmp_path):
    """A fresh database, two app servers and a worker, stopped and dropped after."""
    name = f"relais_two_servers_{os.getpid()}"
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "RELAIS_DEMO_MODE": "1",
        "DATABASE_URL": DATABASE_URL.rsplit("/", 1)[0] + f"/{name}",
        "REDIS_URL": REDIS_URL,
        "RELAIS_VAR_DIR": str(tmp_path / "var"),
        "RELAIS_IMPORTS_DIR": str(tmp_path / "shared-imports"),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=600)
    setup = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from relais.accounts.models import User, RoleMembership;"
            "from relais.organisations.services import organisation_create;"
            "from relais.territory.models import Territory;"
            f"u = User.objects.create_user('coordinator', password='{PASSWORD}');"
            "RoleMembership.objects.create(user=u, role='regional_coordinator',"
            " territory=Territory.objects.get(code='09'));"
            "o = organisation_create(actor=u, code='CS-TWO', kind='social_centre',"
            " name_fr='Centre', territory=Territory.objects.get(code='09.001'));"
            "print(o.pk)",
        ],
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
    )
    organisation = setup.stdout.strip().splitlines()[-1]
    ports = [_free_port(), _free_port()]
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    processes = [
        subprocess.Popen(
            [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    processes.append(
        subprocess.Popen(
            [*manage, "db_worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "worker.log").open("w"),
        )
    )
    try:
        servers = [f"http://127.0.0.1:{port}" for port in ports]
        for server in servers:
            for _ in range(100):
                try:
                    requests.get(f"{server}/health/", timeout=5)
                    break
                except requests.RequestException:
                    time.sleep(0.2)
        yield servers, organisation, env["DATABASE_URL"]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def wait_for(check, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError("gave up waiting")


def test_an_import_started_on_one_server_is_followed_on_the_other(site, tmp_path):
    (first, second), organisation, database = site
    browser = requests.Session()
    browser.get(f"{first}/login/")
    browser.post(
        f"{first}/login/",
        data={
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "username": "coordinator",
            "password": PASSWORD,
        },
        headers={"Referer": f"{first}/login/"},
    ).raise_for_status()
    assert "sessionid" in browser.cookies
    rows = ["Nom;Prénom;Sexe;CIN"] + [
        f"Nom{n};Prénom{n};F;QT{n:06d}" for n in range(200)
    ]
    rows.append("Nom-sans-prénom;;X;")  # one problem row, for the report
    upload = browser.post(
        f"{first}/imports/new/",
        data={
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "kind": "people",
            "organisation": organisation,
        },
        files={"file": ("people.csv", "\n".join(rows).encode(), "text/csv")},
        headers={"Referer": f"{first}/imports/new/"},
    )
    assert "/mapping/" in upload.url, upload.text[:500]
    job = upload.url.rstrip("/").split("/")[-2]
    confirmed = browser.post(
        upload.url,
        data=form_of(upload, "confirm"),
        headers={"Referer": upload.url},
    )
    assert confirmed.url.endswith(f"/imports/{job}/check/")

    # The other server: the dry run's result, once the worker has it.
    def checked():
        page = browser.get(f"{second}/imports/{job}/check/")
        return page if f"/imports/{job}/commit/" in page.text else None

    check_page = wait_for(checked)
    report = browser.get(f"{second}/imports/{job}/report.xlsx")
    assert report.status_code == 200
    assert report.content[:2] == b"PK"  # a workbook, written by the worker

    committed = browser.post(
        f"{first}/imports/{job}/commit/",
        data={
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "default": "skip",
            "skip_invalid": "on",
        },
        headers={"Referer": check_page.url},
    )
    assert committed.url.endswith(f"/imports/{job}/progress/")
    wait_for(
        lambda: (
            "alert-success"
            in browser.get(
                f"{second}/imports/{job}/progress/", headers={"HX-Request": "true"}
            ).text
        )
    )
    # What one server counted, the other finds in Redis.
    shared = redis.Redis.from_url(REDIS_URL)
    for key in shared.scan_iter("relais:*:home:people:*"):
        shared.delete(key)
    browser.get(f"{first}/").raise_for_status()
    assert list(shared.scan_iter("relais:*:home:people:*"))
    with psycopg.connect(database) as connection:
        status, people = connection.execute(
            "SELECT status, (SELECT COUNT(*) FROM people_person)"
            " FROM imports_importjob WHERE id = %s",
            [job],
        ).fetchone()
    assert (status, people) == ("done", 200)
