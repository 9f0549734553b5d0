"""Bad input never ends in a server error, on any page of Relais.

Every page of the permission matrix is opened by a member of the cast allowed
to open it; every form it holds is then sent back with hostile values in every
field (text for numbers, huge numbers, NaN, digits Python reads but databases
do not, impossible dates, markup, NUL bytes, very long text, empty values), and
every page is asked again with the same values in the query parameters the
pages read. Each answer may refuse, redirect or show a message; none may be a
5xx. POST-only URLs whose form lives on no page get the same values under the
names the views read.
"""

from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.test_permission_matrix import CAST, MATRIX

HOSTILE = [
    "abc",
    "-1",
    "99999999999999999999",
    "NaN",
    "²",
    "١٢٣",
    "2026-13-45",
    "",
    "<script>alert(1)</script>'\"",
    "nul\x00byte",
    "x" * 3000,
]
# Query parameters the pages read (filters, pagination, choices).
PARAMETERS = [
    "page",
    "q",
    "status",
    "box",
    "need",
    "place",
    "language",
    "days",
    "centre",
    "region",
    "months",
    "programme",
    "kind",
    "online",
    "generation",
    "sex",
    "level",
    "audience",
    "territory",
    "month",
    "date",
    "action",
]
# Names the views read from POST data without a form of their own on a page.
POSTED = [
    "action",
    "reason",
    "note",
    "date",
    "percent",
    "person",
    "role",
    "status",
    "user",
    "remove",
    "consent",
    "referral",
    "override_reason",
    "text",
    "purpose",
    "recipient",
    "default",
    "skip_invalid",
    "organisation",
    "territory",
    "membership",
]
SKIPPED = {"logout"}  # it would end the session the next requests need


class Forms(HTMLParser):
    """The forms of a page: method, action and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (attrs.get("method") or "get").lower(),
                    "action": attrs.get("action") or "",
                    "fields": set(),
                    "files": set(),
                }
            )
        elif tag in ("input", "select", "textarea") and self.forms:
            name = attrs.get("name")
            if not name or name == "csrfmiddlewaretoken":
                return
            if attrs.get("type") == "file":
                self.forms[-1]["files"].add(name)
            else:
                self.forms[-1]["fields"].add(name)


def allowed(expected: dict) -> str | None:
    """A member of the cast the matrix lets through, the national administrator
    first."""
    members = [m for m in CAST if m != "anonymous" and expected[m] in (200, 302)]
    if "national_admin" in members:
        return "national_admin"
    return members[0] if members else None


def requests_of(world):
    """(member, method, url) for every case of the matrix someone may open."""
    for name, cases in MATRIX.items():
        if name.split(":")[-1] in SKIPPED:
            continue
        for method, kwargs, expected in cases:
            member = allowed(expected)
            if member is not None:
                yield member, method, reverse(name, kwargs=kwargs(world))


def send(client, method, url, data, files=()):
    if method == "get":
        return client.get(url, data)
    payload = dict(data)
    for name in files:
        payload[name] = SimpleUploadedFile("hostile.csv", b"\x00<script>;;;\n" * 3)
    return client.post(url, payload)


@pytest.mark.parametrize(
    "member", [m for m in CAST if m != "anonymous"], ids=lambda m: m
)
def test_no_hostile_value_makes_a_server_error(matrix_world, client_for, member):
    world = matrix_world
    client = client_for(world.users[member])
    # A view's exception becomes the 500 a user would get, to list them all.
    client.raise_request_exception = False
    errors = []
    sent_forms = set()
    # The URLs first: the hostile forms change the world they are made from.
    for who, method, url in list(requests_of(world)):
        if who != member:
            continue
        client = client_for(world.users[member])
        if method == "get":
            page = client.get(url)
            parser = Forms()
            if page.status_code == 200 and "html" in page.get("Content-Type", ""):
                parser.feed(page.content.decode())
            for value in HOSTILE:
                response = client.get(
                    f"{url}?{urlencode(dict.fromkeys(PARAMETERS, value))}"
                )
                if response.status_code >= 500:
                    errors.append(f"GET {url} params={value!r}")
            forms = parser.forms
        else:
            forms = [
                {"method": "post", "action": url, "fields": set(POSTED), "files": set()}
            ]
        for form in forms:
            target = urljoin(url, form["action"]) if form["action"] else url
            key = (form["method"], target.split("?")[0], frozenset(form["fields"]))
            if key in sent_forms or target.endswith(reverse("logout")):
                continue
            sent_forms.add(key)
            for value in HOSTILE:
                data = dict.fromkeys(form["fields"], value)
                response = send(client, form["method"], target, data, form["files"])
                if response.status_code >= 500:
                    errors.append(f"{form['method'].upper()} {target} {value!r}")
    assert not errors, errors
