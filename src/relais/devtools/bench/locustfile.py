"""The load benchmark's users (`relais bench-load` starts them; see load.py).

Each simulated user logs in as one role of the page benchmark's cast and walks
what that role reaches: from its home and its working lists it follows the links
it finds, as a person clicking through would, with a pause between pages. The
weights give the mix: front desks and trainers are many, national staff few.
`Bare` asks the health view alone: the raw baseline of the same run.

Between its reads, each user also writes, through the pages and their forms as
a browser would (the form's own fields and CSRF token, then the page it is
sent to): a front desk records a visit at its centre, and one visit in four is
referred to a service of the catalogue (the referral, the person's consent to
share with the provider, the sending); a trainer takes the day's attendance of
a session they lead; a coordinator plans a one-day session in the region,
opens it and enrols people of the region. National staff only read. What a
write needs (a centre, a service, a session, a person) is read from the pages
the user sees. A write counts as failed unless the page says it worked: a
redirect to a page with a success message, and no error message.

Between pages each user pauses up to RELAIS_LOAD_PAUSE seconds (load.py sets
it): none in the capacity runs, so that 50 users keep the servers as busy as
they can be; a few seconds in the paced runs, as someone reading a page and
filling a form does (a real desk pauses longer still, with a person in front).

The figures count from the moment every user has logged in: a log-in checks
the password with a deliberately slow hash (about 0.4 s of a core here), and
50 of them at once would fill the first seconds of the run with what a desk
does once a day.
"""

import datetime
import html
import os
import random
import re
from typing import NamedTuple
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, task

from relais.devtools.bench.credentials import PASSWORD

PAUSE = float(os.environ.get("RELAIS_LOAD_PAUSE", "0"))
LINK = re.compile(r'href="(/[^"#]*)"')
# Links a walk does not follow: leaving, switching language, files, and static
# files, which a browser keeps.
SKIP = re.compile(r"^/(logout|login|i18n|static)/|\.(pdf|csv|xlsx|zip|svg)(\?|$)")
# Named after the URL, so that load.py can say which links led nowhere.
DEAD_LINK = "{} (a link to a page the role may not open: 404)"
# A tag's attributes, quoted values may hold a ">".
ATTRS = r'((?:[^>"]|"[^"]*")*)'
FORM = re.compile(rf"<form\b{ATTRS}>(.*?)</form>", re.S)
INPUT = re.compile(rf"<input\b{ATTRS}>")
SELECT = re.compile(rf"<select\b{ATTRS}>(.*?)</select>", re.S)
OPTION = re.compile(rf"<option\b{ATTRS}>([^<]*)")
TEXTAREA = re.compile(rf"<textarea\b{ATTRS}>(.*?)</textarea>", re.S)
ATTR = re.compile(r'([\w:-]+)(?:="([^"]*)")?')
MESSAGE = re.compile(
    r'class="(?:alert alert-danger|invalid-feedback)[^"]*"[^>]*>(.*?)</div>', re.S
)
SUCCESS = 'class="alert alert-success"'
SESSION = re.compile(r'href="(/training/sessions/\d+/)"')
ATTENDANCE = re.compile(r'href="(/training/sessions/\d+/attendance/[\d-]+/)"')
PROGRAMME = re.compile(
    r'<code>([^<]+)</code></td><td><a href="/training/programmes/(\d+)/"'
)
# Sessions the coordinators plan: one day each, no two on the same day (the
# code names the day, and codes are unique), so that a person enrolled in
# several is never booked twice on one day. The generated sessions are past.
PLANNED_CODE = "LD-{:%Y%m%d}"
PLAN_FROM, PLAN_DAYS = 14, 730


class Page(NamedTuple):
    url: str
    text: str


def _attrs(text: str) -> dict:
    return {k.lower(): html.unescape(v or "") for k, v in ATTR.findall(text)}


class Form:
    """A form of a page: where it goes, and what a browser sends unless told."""

    def __init__(self, attrs: str, body: str, url: str):
        attrs = _attrs(attrs)
        self.method = (attrs.get("method") or "get").lower()
        self.action = attrs.get("action") or url
        self.fields: dict[str, list[str]] = {}
        self.choices: dict[str, list[str]] = {}
        self.labels: dict[str, dict[str, str]] = {}
        for match in INPUT.finditer(body):
            field = _attrs(match.group(1))
            name, kind = field.get("name"), field.get("type", "text").lower()
            if not name or kind in ("submit", "button", "file", "reset"):
                continue
            value = field.get("value", "")
            if kind in ("checkbox", "radio"):
                self.choices.setdefault(name, []).append(value or "on")
                if "checked" in field:
                    self.fields.setdefault(name, []).append(value or "on")
            else:
                self.fields.setdefault(name, []).append(value)
        for match in SELECT.finditer(body):
            name = _attrs(match.group(1)).get("name")
            options = [
                (_attrs(a), html.unescape(t).strip())
                for a, t in OPTION.findall(match.group(2))
            ]
            if not name or not options:
                continue
            values = [o.get("value", label) for o, label in options]
            self.choices[name] = values
            self.labels[name] = {o.get("value", label): label for o, label in options}
            selected = [
                o.get("value", label) for o, label in options if "selected" in o
            ]
            self.fields[name] = selected or values[:1]
        for match in TEXTAREA.finditer(body):
            name = _attrs(match.group(1)).get("name")
            if name:
                self.fields[name] = [html.unescape(match.group(2)).strip()]

    def data(self, **values) -> list[tuple[str, str]]:
        """The fields as sent: the page's own values, with `values` instead
        (a list for several, None to leave a field out)."""
        fields = {**self.fields}
        for name, value in values.items():
            if value is None:
                fields.pop(name, None)
            else:
                fields[name] = value if isinstance(value, list) else [str(value)]
        return [(name, value) for name, vals in fields.items() for value in vals]


def forms(text: str, url: str) -> list[Form]:
    """The POST forms of a page."""
    found = [Form(attrs, body, url) for attrs, body in FORM.findall(text)]
    return [f for f in found if f.method == "post"]


def form_with(text: str, url: str, field: str, action: str = "") -> Form | None:
    """The first POST form that has `field` (and goes to `action`, if given)."""
    for form in forms(text, url):
        has = field in form.fields or field in form.choices
        if has and (not action or re.search(action, form.action)):
            return form
    return None


def _name(url: str) -> str:
    return re.sub(r"\d+", "N", url.split("?")[0])


LOG_INS = {"done": 0}


def _logged_in(environment) -> None:
    """Count a log-in tried; once every user has tried, start the figures over.
    Until then the user waits: a page asked while the servers were busy with
    log-ins would still be under way at the reset, and counted with all the
    time it queued behind them. Then it starts after a pause of its own, so
    that paced users do not all ask their first page at the same instant."""
    LOG_INS["done"] += 1
    if LOG_INS["done"] == environment.runner.target_user_count:
        environment.runner.stats.reset_all()
    while LOG_INS["done"] < environment.runner.target_user_count:
        gevent.sleep(0.1)
    gevent.sleep(random.uniform(0, PAUSE))


class Walker(HttpUser):
    abstract = True
    wait_time = between(0, PAUSE)
    role = ""
    entry = ["/"]

    def on_start(self):
        # Each user comes from an address of its own, through the one proxy the
        # servers trust (bench settings): the log-in rate limit is per address.
        address = ".".join(str(random.randrange(1, 255)) for _ in range(3))
        self.client.headers["X-Forwarded-For"] = f"10.{address}"
        self.client.get("/login/", name="/login/")
        with self.client.post(
            "/login/",
            {
                "username": f"bench.{self.role}",
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies["csrftoken"],
            },
            headers={"Referer": f"{self.host}/login/"},
            name="/login/ (post)",
            catch_response=True,
        ) as response:
            # Refused, the log-in page comes back: every page after it would
            # only send the user back to it.
            if urlsplit(response.url).path.startswith("/login/"):
                response.failure("not logged in")
        self.known = list(self.entry)
        _logged_in(self.environment)

    def walk(self):
        url = random.choice(self.known[-40:] if random.random() < 0.7 else self.entry)
        with self.client.get(url, name=_name(url), catch_response=True) as response:
            if response.status_code == 404 and url not in self.entry:
                # A page offered a link to a page this role may not open: a
                # defect of that page, not a failure of the servers. Counted
                # apart (load.py prints them), and not followed again.
                response.request_meta["name"] = DEAD_LINK.format(url)
                response.success()
                self.known = [u for u in self.known if u != url]
        if response.ok and "html" in response.headers.get("Content-Type", ""):
            links = [u for u in LINK.findall(response.text) if not SKIP.search(u)]
            self.known += random.sample(links, min(3, len(links)))

    def read(self, url: str, find=None, missing: str = ""):
        """GET a page; with `find`, what the page must give the next step
        (None, and a failure named `missing`, when it does not)."""
        with self.client.get(url, name=_name(url), catch_response=True) as response:
            if not response.ok:
                response.failure(f"HTTP {response.status_code}")
                return None
            if find is None:
                return response
            found = find(response.text)
            if not found:
                response.failure(missing)
            return found

    def send(self, form: Form, data) -> Page | None:
        """POST a form as a browser would and follow where the page goes; the
        page reached, when it says the write was made."""
        url = form.action
        with self.client.post(
            url,
            data,
            name=f"{_name(url)} (post)",
            headers={"Referer": f"{self.host}{url}"},
            catch_response=True,
        ) as response:
            text = response.text or ""
            errors = [
                re.sub(r"<[^>]+>|\s+", " ", html.unescape(m)).strip()
                for m in MESSAGE.findall(text)
            ]
            if not response.ok:
                response.failure(f"HTTP {response.status_code}")
            elif errors:
                response.failure(f"refused: {'; '.join(errors)[:200]}")
            elif not response.history:
                response.failure("the form came back without a redirect")
            elif SUCCESS not in text:
                response.failure("no success message")
            else:
                response.success()
                return Page(urlsplit(response.url).path, text)
        return None

    def fail_step(self, url: str, message: str):
        """A step the page did not offer: counted, on that page, as a failure."""
        self.read(url, lambda _text: None, message)


class FrontDesk(Walker):
    weight = 6
    role = "hub_agent"
    entry = ["/", "/hub/", "/hub/visits/", "/hub/referrals/", "/people/?q=mohamed"]
    refer = 0.25  # visits referred to a service

    @task(1)
    def record_visit(self):
        """A visit at the centre, in a few taps; sometimes a referral."""
        desk = self.read(
            "/hub/", lambda t: form_with(t, "/hub/", "needs"), "no visit form"
        )
        if desk is None:
            return
        needs = random.sample(desk.choices["needs"], random.choice([1, 1, 2]))
        chosen = {
            name: random.choice(desk.choices[name])
            for name in ("channel", "sex", "age_group", "commune")
            if desk.choices.get(name)
        }
        if random.random() < 0.5:
            chosen["commune"] = ""
        visit = self.send(
            desk,
            desk.data(
                needs=needs,
                minutes=random.choice([5, 10, 10, 15, 20, 30, 45]),
                digital_assisted="on" if random.random() < 0.3 else None,
                **chosen,
            ),
        )
        if visit is not None and random.random() < self.refer:
            self.refer_visit(visit.url, needs)

    def refer_visit(self, visit: str, needs: list[str]):
        """Choose a service, record the person's consent to share, send."""
        url = f"{visit}refer/"
        choose = self.read(
            url, lambda t: form_with(t, url, "service"), "no service to refer to"
        )
        if choose is None:
            return
        referral = self.send(
            choose,
            choose.data(
                service=random.choice(choose.choices["service"]),
                need=random.choice(needs),
                reason="Orientation après l'écoute",
            ),
        )
        if referral is None:
            return
        # The referral's page asks for consent first, then offers to send.
        consent = form_with(referral.text, referral.url, "recipient", r"/consents/$")
        if consent is not None:
            referral = self.send(consent, consent.data())
            if referral is None:
                return
        sending = form_with(referral.text, referral.url, "consent", r"/action/$")
        if sending is None:
            self.fail_step(referral.url, "no consent to send the referral with")
        else:
            self.send(sending, sending.data(action="send"))

    tasks = {Walker.walk: 8}


class Trainer(Walker):
    weight = 3
    role = "trainer"
    entry = ["/", "/training/my-sessions/", "/training/sessions/"]

    @task(1)
    def take_attendance(self):
        """From the sessions under way, one of theirs; the day's list, saved."""
        sessions = self.read(
            "/training/my-sessions/?status=running",
            SESSION.findall,
            "no session under way",
        )
        if not sessions:
            return
        days = self.read(random.choice(sessions), ATTENDANCE.findall, "no day to take")
        if not days:
            return
        today = [d for d in days if d.endswith(f"/{datetime.date.today()}/")]
        url = random.choice(today or days)
        sheet = self.read(
            url, lambda t: form_with(t, url, "present"), "no attendance list"
        )
        if sheet is None:
            return
        # Everyone is ticked present; the trainer unticks whoever is missing.
        present = [p for p in sheet.choices.get("present", []) if random.random() > 0.1]
        self.send(sheet, sheet.data(present=present))

    tasks = {Walker.walk: 4}


class Coordinator(Walker):
    weight = 2
    role = "regional_coordinator"
    entry = [
        "/",
        "/training/sessions/",
        "/training/sessions/?status=open",
        "/people/",
        "/monitoring/",
    ]

    def on_start(self):
        super().on_start()
        self.open_sessions: list[str] = []

    @task(1)
    def plan_session(self):
        """A one-day session at a venue of the region, then open for enrolment."""
        url = "/training/sessions/new/"
        plan = self.read(url, lambda t: form_with(t, url, "venue"), "no session form")
        if plan is None:
            return
        day = self.free_day()
        if day is None:
            return
        kit = random.choice([k for k in plan.choices["kit"] if k])
        programmes = [p for p in plan.choices["programme"] if p]
        if len(programmes) > 1:  # a kit's label starts with its programme's code
            codes = dict(
                self.read("/training/programmes/", PROGRAMME.findall, "no programme")
                or []
            )
            label = plan.labels["kit"][kit].rsplit(" v", 1)[0]
            programmes = [codes.get(label, programmes[0])]
        session = self.send(
            plan,
            plan.data(
                programme=programmes[0],
                kit=kit,
                code=PLANNED_CODE.format(day),
                title="Session",
                level=random.choice(plan.choices["level"]),
                audience=random.choice(plan.choices["audience"]),
                venue=random.choice([v for v in plan.choices["venue"] if v]),
                start_date=day.isoformat(),
                end_date=day.isoformat(),
                capacity=random.choice([15, 20, 25, 30]),
            ),
        )
        if session is None:
            return
        opening = next(
            (
                f
                for f in forms(session.text, session.url)
                if f.action.endswith("/status/") and f.fields.get("status") == ["open"]
            ),
            None,
        )
        if opening is None:
            self.fail_step(session.url, "the new session cannot be opened")
        elif self.send(opening, opening.data()):
            self.open_sessions.append(session.url)

    def free_day(self) -> datetime.date | None:
        """A day no session of the load takes yet (its code is searched)."""
        for _ in range(3):
            day = datetime.date.today() + datetime.timedelta(
                days=random.randrange(PLAN_FROM, PLAN_FROM + PLAN_DAYS)
            )
            code = PLANNED_CODE.format(day)
            found = self.read(f"/training/sessions/?q={code}")
            if found is not None and f"<code>{code}</code>" not in found.text:
                return day
        return None

    @task(2)
    def enrol(self):
        """A person of the region into one of the sessions they opened."""
        if not self.open_sessions:
            self.plan_session()
            return
        session = random.choice(self.open_sessions)
        url = f"{session}enrol/"
        page = self.read(url)
        if page is None:
            return
        people = [f for f in forms(page.text, url) if "person" in f.fields]
        if not people:  # everyone this coordinator may enrol is in: plan another
            self.open_sessions.remove(session)
            return
        form = random.choice(people)
        self.send(form, form.data())

    tasks = {Walker.walk: 12}


class NationalStaff(Walker):
    weight = 1
    role = "me_officer"
    entry = ["/", "/monitoring/", "/hub/dashboard/"]
    tasks = [Walker.walk]


class Bare(HttpUser):
    """Only in the baseline run (`relais bench-load` names it alone)."""

    wait_time = between(0, PAUSE)

    @task
    def health(self):
        self.client.get("/health/")
