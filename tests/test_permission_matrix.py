"""Every URL of Relais, for every member of the cast: exactly what their scope allows.

A URL without an entry in MATRIX fails `test_every_url_has_a_matrix_entry`, so a
new page cannot ship without someone deciding who may open it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

CAST = [
    "national_admin",
    "coord_souss",
    "coord_oriental",
    "manager_agadir",
    "trainer_agadir",
    "agent_dakhla",
    "focal_association",
    "anonymous",
]
EVERYONE = {name: 200 for name in CAST if name != "anonymous"} | {"anonymous": 302}


def only(*names, ok=200, denied=404):
    """Those named get `ok`, the other members of the cast `denied`; anonymous 302."""
    expected = {name: (ok if name in names else denied) for name in CAST}
    expected["anonymous"] = 302
    return expected


SOUSS_PEOPLE_READERS = ("national_admin", "coord_souss", "manager_agadir")
SOUSS_PEOPLE_EDITORS = ("national_admin", "coord_souss", "manager_agadir")
PEOPLE_VIEWERS = (
    "national_admin",
    "coord_souss",
    "coord_oriental",
    "manager_agadir",
    "agent_dakhla",
    "focal_association",
)
ORG_EDITORS = ("national_admin", "coord_souss", "coord_oriental", "manager_agadir")

# Reachable without logging in.
PUBLIC = {"login", "logout", "set_language"}

# url name -> list of (method, kwargs builder, expected status per cast member)
MATRIX = {
    "home": [("get", lambda w: {}, EVERYONE)],
    "login": [("get", lambda w: {}, dict.fromkeys(CAST, 302) | {"anonymous": 200})],
    "logout": [("post", lambda w: {}, dict.fromkeys(CAST, 302))],
    "set_language": [("post", lambda w: {}, dict.fromkeys(CAST, 302))],
    "audit": [("get", lambda w: {}, only("national_admin"))],
    "territory:list": [("get", lambda w: {}, EVERYONE)],
    "territory:map": [("get", lambda w: {}, EVERYONE)],
    "territory:detail": [("get", lambda w: {"code": "09"}, EVERYONE)],
    "organisations:list": [("get", lambda w: {}, EVERYONE)],
    "organisations:create": [("get", lambda w: {}, only(*ORG_EDITORS))],
    "organisations:detail": [
        (
            "get",
            lambda w: {"pk": w.centre_agadir.pk},
            only("national_admin", "coord_souss", "manager_agadir", "trainer_agadir"),
        ),
        (
            "get",
            lambda w: {"pk": w.centre_oujda.pk},
            only("national_admin", "coord_oriental"),
        ),
        (
            "get",
            lambda w: {"pk": w.association_agadir.pk},
            only("national_admin", "coord_souss", "focal_association"),
        ),
    ],
    "organisations:update": [
        (
            "get",
            lambda w: {"pk": w.centre_agadir.pk},
            only("national_admin", "coord_souss", "manager_agadir"),
        ),
        (
            "get",
            lambda w: {"pk": w.centre_oujda.pk},
            only("national_admin", "coord_oriental"),
        ),
    ],
    "people:list": [("get", lambda w: {}, only(*PEOPLE_VIEWERS))],
    "people:export": [("get", lambda w: {}, only(*PEOPLE_VIEWERS))],
    "people:create": [("get", lambda w: {}, only(*PEOPLE_VIEWERS))],
    "people:detail": [
        ("get", lambda w: {"pk": w.person_agadir.pk}, only(*SOUSS_PEOPLE_READERS)),
        (
            "get",
            lambda w: {"pk": w.person_oujda.pk},
            only("national_admin", "coord_oriental"),
        ),
        (
            "get",
            lambda w: {"pk": w.person_association.pk},
            only("national_admin", "coord_souss", "focal_association"),
        ),
        (
            "get",
            lambda w: {"pk": w.person_dakhla.pk},
            only("national_admin", "agent_dakhla"),
        ),
    ],
    "people:update": [
        ("get", lambda w: {"pk": w.person_agadir.pk}, only(*SOUSS_PEOPLE_EDITORS)),
        (
            "get",
            lambda w: {"pk": w.person_oujda.pk},
            only("national_admin", "coord_oriental"),
        ),
    ],
    "people:affiliation_add": [
        (
            "post",
            lambda w: {"pk": w.person_agadir.pk},
            only(*SOUSS_PEOPLE_EDITORS, ok=302),
        ),
    ],
    "people:affiliation_remove": [
        (
            "post",
            lambda w: {
                "pk": w.person_agadir.pk,
                "affiliation_pk": w.person_agadir.affiliations.get().pk,
            },
            only(*SOUSS_PEOPLE_EDITORS, ok=302),
        ),
    ],
    "accounts:list": [("get", lambda w: {}, only("national_admin"))],
    "accounts:create": [("get", lambda w: {}, only("national_admin"))],
    "accounts:detail": [
        ("get", lambda w: {"pk": w.coord_souss.pk}, only("national_admin"))
    ],
    "accounts:update": [
        ("get", lambda w: {"pk": w.coord_souss.pk}, only("national_admin"))
    ],
    "accounts:membership_add": [
        ("post", lambda w: {"pk": w.coord_souss.pk}, only("national_admin", ok=302))
    ],
    "accounts:membership_remove": [
        (
            "post",
            lambda w: {
                "pk": w.coord_souss.pk,
                "membership_pk": w.coord_souss.memberships.get().pk,
            },
            only("national_admin", ok=302),
        )
    ],
}


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_a_matrix_entry():
    """A new URL must say who may open it before it can ship."""
    missing = sorted(set(url_names()) - set(MATRIX))
    assert not missing, f"URLs without a permission-matrix entry: {missing}"
    unnamed = [
        p.pattern
        for p in get_resolver().url_patterns
        if isinstance(p, URLPattern) and not p.name
    ]
    assert not unnamed


CASES = [
    (name, index, member)
    for name, cases in MATRIX.items()
    for index in range(len(cases))
    for member in CAST
]


@pytest.mark.parametrize(("name", "index", "member"), CASES)
def test_matrix(world, client_for, name, index, member):
    method, kwargs, expected = MATRIX[name][index]
    client = client_for(None if member == "anonymous" else world.users[member])
    url = reverse(name, kwargs=kwargs(world))
    response = getattr(client, method)(url)
    assert response.status_code == expected[member], (
        f"{member} {method.upper()} {url}: {response.status_code}, "
        f"expected {expected[member]}"
    )
    if member == "anonymous" and name not in PUBLIC:
        assert response["Location"].startswith(reverse("login"))
