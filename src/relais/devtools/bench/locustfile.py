"""The load benchmark's users (`relais bench-load` starts them; see load.py).

Each simulated user logs in as one role of the page benchmark's cast and walks
what that role reaches: from its home and its working lists it follows the links
it finds, as a person clicking through would, with a pause between pages. The
weights give the mix: front desks and trainers are many, national staff few.
`Bare` asks the health view alone: the raw baseline of the same run.

The benchmark measures capacity: no pause between pages unless
RELAIS_LOAD_PAUSE gives one (seconds, at most), so that 50 users keep the
servers as busy as they can be; a real desk pauses, and loads them less.
"""

import os
import random
import re

from locust import HttpUser, between, task

from relais.devtools.bench.credentials import PASSWORD

PAUSE = float(os.environ.get("RELAIS_LOAD_PAUSE", "0"))
LINK = re.compile(r'href="(/[^"#]*)"')
# Links a walk does not follow: leaving, switching language, files, and static
# files, which a browser keeps.
SKIP = re.compile(r"^/(logout|login|i18n|static)/|\.(pdf|csv|xlsx|zip|svg)(\?|$)")


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
        self.client.post(
            "/login/",
            {
                "username": f"bench.{self.role}",
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies["csrftoken"],
            },
            headers={"Referer": f"{self.host}/login/"},
            name="/login/ (post)",
        )
        self.known = list(self.entry)

    @task
    def walk(self):
        url = random.choice(self.known[-40:] if random.random() < 0.7 else self.entry)
        response = self.client.get(url, name=re.sub(r"\d+", "N", url.split("?")[0]))
        if response.ok and "html" in response.headers.get("Content-Type", ""):
            links = [u for u in LINK.findall(response.text) if not SKIP.search(u)]
            self.known += random.sample(links, min(3, len(links)))


class FrontDesk(Walker):
    weight = 6
    role = "hub_agent"
    entry = ["/", "/hub/", "/hub/visits/", "/hub/referrals/", "/people/?q=mohamed"]


class Trainer(Walker):
    weight = 3
    role = "trainer"
    entry = ["/", "/training/sessions/"]


class Coordinator(Walker):
    weight = 2
    role = "regional_coordinator"
    entry = ["/", "/training/sessions/", "/people/", "/monitoring/"]


class NationalStaff(Walker):
    weight = 1
    role = "me_officer"
    entry = ["/", "/monitoring/", "/hub/dashboard/"]


class Bare(HttpUser):
    """Only in the baseline run (`relais bench-load` names it alone)."""

    wait_time = between(0, PAUSE)

    @task
    def health(self):
        self.client.get("/health/")
