"""The page benchmark: every page each role reaches, timed on generated data.

Run it on the database `relais bench-data` filled. For each role of the cast it
makes a user scoped as the cast's member is (national staff; the coordinator of
one region; the manager, trainer and hub agent of one of its social centres; the
focal point of one of its associations), then crawls as that user from the home
page: every link and every search form (sent with a common name) of every page it
reaches, one URL per route and set of query parameters, so that a list, its next
page and its searches each count once. Each URL goes through Django's whole
request path (middleware, views, templates): once to warm up, then `repeat`
times; it prints the median and the worst.

The raw baseline is the health view (a JSON answer, no database), timed the same
way in the same run; every median is also printed as a multiple of it. Downloads
(exports, PDFs, workbooks) are timed once and listed apart: they are files, not
pages. A link that leads to no page (a 404 offered to a role that may not open
it) is listed with the page that offered it. At national scale, a page whose
median exceeds 150 ms or whose worst exceeds 300 ms makes the run fail.
"""

import statistics
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from relais.accounts.models import RoleMembership, User
from relais.core.roles import Role
from relais.organisations.models import Organisation
from relais.people.models import Person
from relais.territory.models import Territory
from relais.training.models import Certification, Facilitation

from .credentials import PASSWORD

REGION = "09"
MEDIAN_GOAL = 0.150
WORST_GOAL = 0.300
# Words a desk or a coordinator types into a search box, in both scripts.
SEARCHES = {"q": "mohamed", "search": "mohamed"}
MAX_URLS_PER_ROLE = 250
HOST = "127.0.0.1"


def cast() -> dict[str, User]:
    """One user per role, scoped like the cast of the permission matrix; the
    trainer is a certified trainer who leads sessions at the centre."""
    country = Territory.objects.get(level="country")
    region = Territory.objects.get(level="region", code=REGION)
    in_region = Organisation.objects.filter(
        territory_path__startswith=region.path
    ).order_by("pk")
    centre = in_region.filter(kind=Organisation.Kind.SOCIAL_CENTRE).first()
    association = in_region.filter(kind=Organisation.Kind.ASSOCIATION).first()
    grants = {
        Role.NATIONAL_ADMIN: {"territory": country},
        Role.REGIONAL_COORDINATOR: {"territory": region},
        Role.CENTRE_MANAGER: {"organisation": centre},
        Role.TRAINER: {"organisation": centre},
        Role.HUB_AGENT: {"organisation": centre},
        Role.ASSOCIATION_FOCAL_POINT: {"organisation": association},
        Role.ME_OFFICER: {"territory": country},
        Role.AUDITOR: {"territory": country},
    }
    users = {}
    for role, node in grants.items():
        user, created = User.objects.get_or_create(username=f"bench.{role}")
        if created:
            RoleMembership.objects.create(user=user, role=role, **node)
        # A user made by get_or_create has an empty password, which Django
        # counts as usable: the load benchmark could not log in.
        if not user.password or not user.has_usable_password():
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        if role == Role.TRAINER and user.person_id is None:
            user.person = _trainer_person(centre, region)
            user.save(update_fields=["person"])
        users[role] = user
    return users


def _trainer_person(centre, region) -> Person | None:
    """A certified relay trainer (else master trainer) who leads sessions at the
    centre (else in the region), with no account yet: a trainer sees the
    sessions they facilitate."""
    valid = Certification.objects.valid_on(timezone.localdate())
    leads = Facilitation.objects.filter(role=Facilitation.Role.LEAD)
    for level in (
        Certification.Level.RELAY_TRAINER,
        Certification.Level.MASTER_TRAINER,
    ):
        free = Person.objects.filter(
            user__isnull=True, pk__in=valid.filter(level=level).values("person")
        ).order_by("pk")
        for where in (
            {"session__venue": centre},
            {"session__territory_path__startswith": region.path},
        ):
            person = free.filter(pk__in=leads.filter(**where).values("person")).first()
            if person is not None:
                return person
    return None


class Links(HTMLParser):
    """The links of a page and its search forms, filled with common words."""

    def __init__(self):
        super().__init__()
        self.urls = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self._form = {"action": attrs.get("action") or "", "fields": {}}
        elif tag in ("input", "select") and self._form is not None:
            name = attrs.get("name")
            if name and attrs.get("type") not in ("submit", "button", "checkbox"):
                self._form["fields"][name] = SEARCHES.get(name, attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            fields = {k: v for k, v in self._form["fields"].items() if v}
            if fields:
                self.urls.append(f"{self._form['action']}?{urlencode(fields)}")
            self._form = None


@dataclass
class Timing:
    role: str
    url: str
    route: str
    times: list[float] = field(default_factory=list)
    download: bool = False

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def worst(self) -> float:
        return max(self.times)


def _fetch(client, url) -> tuple[float, object]:
    started = time.perf_counter()
    response = client.get(url, HTTP_HOST=HOST)
    if response.streaming:
        for _ in response.streaming_content:
            pass
    else:
        response.content  # noqa: B018 - the body is part of the page's time
    return time.perf_counter() - started, response


def _key(url: str) -> tuple[str, frozenset] | None:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.url_name in ("logout", "login", "set_language", "health"):
        return None
    keys = frozenset(k for k, _ in parse_qsl(parts.query))
    return match.view_name, keys


def crawl(role: str, user: User, repeat: int, out, dead: list) -> list[Timing]:
    """Time what `user` reaches; the links to no page (a 404 offered to this
    role, say) go to `dead` as (role, status, URL, the page that linked it)."""
    client = Client()
    client.force_login(user)
    queue, seen, timings = [("/", "")], set(), []
    while queue and len(timings) < MAX_URLS_PER_ROLE:
        url, found_on = queue.pop(0)
        key = _key(url)
        if key is None or key in seen:
            continue
        seen.add(key)
        elapsed, response = _fetch(client, url)
        if response.status_code >= 400:
            dead.append((role, response.status_code, url, found_on))
        if response.status_code != 200:  # a redirect leads to no page of its own
            continue
        timing = Timing(role, url, key[0], [elapsed])
        timing.download = "attachment" in response.get("Content-Disposition", "")
        if not timing.download:
            # The first answer warmed the caches a real user would find warm.
            timing.times = [_fetch(client, url)[0] for _ in range(repeat)]
            if "html" in response.get("Content-Type", ""):
                links = Links()
                links.feed(response.content.decode())
                for link in links.urls:
                    target = urljoin(url, link)
                    if urlsplit(target).netloc in ("", HOST, "testserver"):
                        parts = urlsplit(target)
                        queue.append((f"{parts.path}?{parts.query}".rstrip("?"), url))
        timings.append(timing)
    out(f"  {role}: {len(timings)} URLs")
    return timings


def baseline(repeat: int) -> float:
    client = Client()
    url = reverse("health")
    _fetch(client, url)
    return statistics.median(_fetch(client, url)[0] for _ in range(max(repeat, 20)))


def run(*, repeat: int, national: bool, out=print) -> bool:
    """Crawl and time; False when, at national scale, a page misses the goal."""
    settings.DEBUG = False  # no query log: time what production runs
    users = cast()
    raw = baseline(repeat)
    out(f"Raw baseline (health view): {raw * 1000:.2f} ms")
    timings, dead = [], []
    for role, user in users.items():
        timings += crawl(role, user, repeat, out, dead)
    pages = [t for t in timings if not t.download]
    downloads = [t for t in timings if t.download]
    out(f"\n{'median ms':>10} {'worst ms':>9} {'x raw':>7}  role  URL")
    for t in sorted(pages, key=lambda t: (t.route, t.role)):
        out(
            f"{t.median * 1000:10.1f} {t.worst * 1000:9.1f} {t.median / raw:7.0f}"
            f"  {t.role}  {t.url}"
        )
    out("\nDownloads (timed once):")
    for t in sorted(downloads, key=lambda t: -t.median):
        out(f"{t.median * 1000:10.1f} ms  {t.role}  {t.url}")
    out("\nSlowest ten pages by median:")
    for t in sorted(pages, key=lambda t: -t.median)[:10]:
        out(f"{t.median * 1000:10.1f} ms  {t.role}  {t.url}")
    if dead:
        out("\nLinks to no page (a page offered them; not timed):")
        for role, status, url, found_on in dead:
            out(f"{status:>10}  {role}  {url}  (on {found_on})")
    missed = [t for t in pages if t.median > MEDIAN_GOAL or t.worst > WORST_GOAL]
    out(
        f"\n{len(pages)} pages, {len(downloads)} downloads; "
        f"{len(missed)} beyond {MEDIAN_GOAL * 1000:.0f} ms median "
        f"or {WORST_GOAL * 1000:.0f} ms worst"
    )
    return not (national and missed)
