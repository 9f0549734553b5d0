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
    "me_national",
    "auditor_national",
    "anonymous",
]
EVERYONE = {name: 200 for name in CAST if name != "anonymous"} | {"anonymous": 302}


def only(*names, ok=200, denied=404):
    """Those named get `ok`, the other members of the cast `denied`; anonymous 302."""
    expected = {name: (ok if name in names else denied) for name in CAST}
    expected["anonymous"] = 302
    return expected


# The auditor reads, everywhere, what the roles that may act there read.
AUDITOR = "auditor_national"
ME = "me_national"
NATIONAL_READERS = ("national_admin", ME, AUDITOR)
SOUSS_PEOPLE_READERS = ("national_admin", "coord_souss", "manager_agadir", AUDITOR)
SOUSS_PEOPLE_EDITORS = ("national_admin", "coord_souss", "manager_agadir")
PEOPLE_VIEWERS = (
    "national_admin",
    AUDITOR,
    "coord_souss",
    "coord_oriental",
    "manager_agadir",
    "agent_dakhla",
    "focal_association",
)
# Every role that sees people may add them too (within its scope), but the
# auditor, who only reads.
PEOPLE_EDITORS = tuple(name for name in PEOPLE_VIEWERS if name != AUDITOR)
ORG_EDITORS = ("national_admin", "coord_souss", "coord_oriental", "manager_agadir")

# Reachable without logging in.
PUBLIC = {"login", "logout", "set_language", "verify", "health"}

SOUSS_SESSION_READERS = (
    "national_admin",
    ME,
    AUDITOR,
    "coord_souss",
    "manager_agadir",
    "trainer_agadir",
    "focal_association",
)
SOUSS_SESSION_MANAGERS = ("national_admin", "coord_souss")
SOUSS_RECORDERS = ("national_admin", "coord_souss", "trainer_agadir")
SOUSS_PEOPLE = ("national_admin", "coord_souss", "manager_agadir")


DESK = ("national_admin", "manager_agadir", "agent_dakhla")
CASCADE_VIEWERS = ("national_admin", "coord_souss", "coord_oriental", ME, AUDITOR)
DAKHLA_DESK = ("national_admin", "agent_dakhla")
REFERRAL_SIDES = ("national_admin", "agent_dakhla", "focal_association")


def h(name):
    """A hub object of the matrix world, by name."""
    return lambda w: {"pk": w.hub[name].pk}


def t(name):
    """A training object of the matrix world, by name."""
    return lambda w: {"pk": w.training[name].pk}


def i(name):
    """An import of the matrix world, by name."""
    return lambda w: {"pk": w.imports[name].pk}


def person_file(name, fmt):
    """The person's file of a data-protection request of the matrix world."""
    return lambda w: {"pk": w.hub[name].pk, "fmt": fmt}


def session_and(name, key, obj):
    return lambda w: {
        "pk": w.training[name].pk,
        key: w.training[obj].pk,
    }


# url name -> list of (method, kwargs builder, expected status per cast member)
MATRIX = {
    "home": [("get", lambda w: {}, EVERYONE)],
    "login": [("get", lambda w: {}, dict.fromkeys(CAST, 302) | {"anonymous": 200})],
    "logout": [("post", lambda w: {}, dict.fromkeys(CAST, 302))],
    "set_language": [("post", lambda w: {}, dict.fromkeys(CAST, 302))],
    "audit": [("get", lambda w: {}, only("national_admin", AUDITOR))],
    "health": [("get", lambda w: {}, dict.fromkeys(CAST, 200))],
    "territory:list": [("get", lambda w: {}, EVERYONE)],
    "territory:map": [("get", lambda w: {}, EVERYONE)],
    "territory:detail": [("get", lambda w: {"code": "09"}, EVERYONE)],
    "organisations:list": [("get", lambda w: {}, EVERYONE)],
    "organisations:create": [("get", lambda w: {}, only(*ORG_EDITORS))],
    "organisations:detail": [
        (
            "get",
            lambda w: {"pk": w.centre_agadir.pk},
            only(*NATIONAL_READERS, "coord_souss", "manager_agadir", "trainer_agadir"),
        ),
        (
            "get",
            lambda w: {"pk": w.centre_oujda.pk},
            only(*NATIONAL_READERS, "coord_oriental"),
        ),
        (
            "get",
            lambda w: {"pk": w.association_agadir.pk},
            only(*NATIONAL_READERS, "coord_souss", "focal_association"),
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
    "people:create": [("get", lambda w: {}, only(*PEOPLE_EDITORS))],
    "people:detail": [
        ("get", lambda w: {"pk": w.person_agadir.pk}, only(*SOUSS_PEOPLE_READERS)),
        (
            "get",
            lambda w: {"pk": w.person_oujda.pk},
            only("national_admin", "coord_oriental", AUDITOR),
        ),
        (
            "get",
            lambda w: {"pk": w.person_association.pk},
            only("national_admin", "coord_souss", "focal_association", AUDITOR),
        ),
        (
            "get",
            lambda w: {"pk": w.person_dakhla.pk},
            only("national_admin", "agent_dakhla", AUDITOR),
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
    "training:programmes": [("get", lambda w: {}, EVERYONE)],
    "training:programme": [("get", t("programme"), EVERYONE)],
    "training:programme_create": [("get", lambda w: {}, only("national_admin"))],
    "training:programme_update": [("get", t("programme"), only("national_admin"))],
    "training:module_create": [
        ("post", t("programme"), only("national_admin", ok=302))
    ],
    "training:kit_release": [("post", t("programme"), only("national_admin", ok=302))],
    "training:sessions": [
        (
            "get",
            lambda w: {},
            only(
                *NATIONAL_READERS,
                "coord_souss",
                "coord_oriental",
                "manager_agadir",
                "trainer_agadir",
                "focal_association",
            ),
        )
    ],
    "training:my_sessions": [("get", lambda w: {}, only("trainer_agadir"))],
    "training:session_create": [
        ("get", lambda w: {}, only("national_admin", "coord_souss", "coord_oriental"))
    ],
    "training:session": [
        ("get", t("session_souss"), only(*SOUSS_SESSION_READERS)),
        (
            "get",
            t("session_oriental"),
            # The trainer of Agadir leads the Oriental session too.
            only(*NATIONAL_READERS, "coord_oriental", "trainer_agadir"),
        ),
    ],
    "training:session_update": [
        ("get", t("session_souss"), only(*SOUSS_SESSION_MANAGERS))
    ],
    "training:session_status": [
        ("post", t("session_souss"), only(*SOUSS_SESSION_MANAGERS, ok=302))
    ],
    "training:facilitation_add": [
        ("post", t("session_souss"), only(*SOUSS_SESSION_MANAGERS, ok=302))
    ],
    "training:facilitation_remove": [
        (
            "post",
            session_and("session_souss", "facilitation_pk", "lead_souss"),
            only(*SOUSS_SESSION_MANAGERS, ok=302),
        )
    ],
    "training:fidelity": [
        (
            "post",
            session_and("session_souss", "facilitation_pk", "lead_souss"),
            only(*SOUSS_SESSION_MANAGERS, ok=302),
        )
    ],
    "training:enrol": [
        (
            "get",
            t("session_souss"),
            only(
                "national_admin", "coord_souss", "manager_agadir", "focal_association"
            ),
        )
    ],
    "training:enrolment_action": [
        (
            "post",
            session_and("session_souss", "enrolment_pk", "enrolment_souss"),
            # Those who may enrol the person may act on the enrolment.
            only(*SOUSS_PEOPLE, ok=302),
        )
    ],
    "training:attendance": [
        (
            "get",
            lambda w: {"pk": w.training["session_souss"].pk, "day": "2026-12-07"},
            only(*SOUSS_RECORDERS),
        )
    ],
    "training:signin_sheet": [
        (
            "get",
            lambda w: {"pk": w.training["session_souss"].pk, "day": "2026-12-08"},
            only(*SOUSS_RECORDERS),
        )
    ],
    "training:attendance_template": [
        ("get", t("session_souss"), only(*SOUSS_RECORDERS))
    ],
    "training:attendance_import": [
        ("post", t("session_souss"), only(*SOUSS_RECORDERS, ok=302))
    ],
    "training:results": [("get", t("session_souss"), only(*SOUSS_RECORDERS))],
    "training:results_template": [("get", t("session_souss"), only(*SOUSS_RECORDERS))],
    "training:results_import": [
        ("post", t("session_souss"), only(*SOUSS_RECORDERS, ok=302))
    ],
    "training:session_certificates": [
        ("get", t("session_closed"), only(*SOUSS_SESSION_MANAGERS))
    ],
    # The certificate names a person (of the association): for those who run or
    # record the session and those who may see the person, not for all who see
    # the session (the M&E officer, the manager of the venue).
    "training:completion_certificate": [
        (
            "get",
            session_and("session_closed", "enrolment_pk", "enrolment_completed"),
            only("national_admin", AUDITOR, "coord_souss", "trainer_agadir"),
        )
    ],
    "training:person_history": [
        (
            "get",
            lambda w: {"pk": w.person_agadir.pk},
            # The trainer sees a trainee of their session.
            only(*SOUSS_PEOPLE, "trainer_agadir", AUDITOR),
        ),
        (
            "get",
            lambda w: {"pk": w.person_oujda.pk},
            only("national_admin", "coord_oriental", AUDITOR),
        ),
    ],
    "training:trainer": [
        ("get", t("trainer"), only(*SOUSS_PEOPLE, "trainer_agadir", AUDITOR))
    ],
    "training:trainer_children": [
        ("get", t("trainer"), only(*SOUSS_PEOPLE, "trainer_agadir", AUDITOR))
    ],
    "training:certifications": [
        ("get", lambda w: {}, only("national_admin", "coord_souss", "coord_oriental"))
    ],
    "training:certification": [
        ("get", t("certification"), only(*SOUSS_SESSION_MANAGERS))
    ],
    "training:certification_action": [
        ("post", t("certification"), only(*SOUSS_SESSION_MANAGERS, ok=302))
    ],
    "training:trainer_certificate": [
        ("get", t("certification"), only(*SOUSS_SESSION_MANAGERS))
    ],
    "hub:desk": [("get", lambda w: {}, only(*DESK))],
    "hub:visits": [("get", lambda w: {}, only(*DESK))],
    "hub:visit": [("get", h("visit"), only(*DAKHLA_DESK))],
    "hub:visit_open_file": [("post", h("visit"), only(*DAKHLA_DESK, ok=302))],
    "hub:note_create": [("post", h("visit"), only(*DAKHLA_DESK, ok=302))],
    "hub:consent_create": [
        ("get", h("visit"), only(*DAKHLA_DESK)),
        ("post", h("visit"), only(*DAKHLA_DESK, ok=302)),
    ],
    "hub:consent_withdraw": [
        (
            "post",
            lambda w: {"pk": w.hub["visit"].pk, "consent_pk": w.hub["consent"].pk},
            only(*DAKHLA_DESK, ok=302),
        )
    ],
    "hub:referral_create": [("get", h("visit"), only(*DAKHLA_DESK))],
    # The note's text: its author only (no supervisor is designated here).
    "hub:note": [("get", h("note"), only("agent_dakhla"))],
    "hub:note_cosign": [("post", h("note"), only())],
    "hub:referrals": [("get", lambda w: {}, only(*DESK, "focal_association"))],
    # A draft (no consent, not sent) stays with the referring centre: the
    # receiving association sees it only once it is sent.
    "hub:referral": [
        ("get", h("referral"), only(*REFERRAL_SIDES)),
        ("get", h("draft_referral"), only(*DAKHLA_DESK)),
    ],
    "hub:referral_action": [
        ("post", h("referral"), only(*REFERRAL_SIDES, ok=302)),
        ("post", h("draft_referral"), only(*DAKHLA_DESK, ok=302)),
    ],
    "hub:follow_up_add": [
        ("post", h("referral"), only(*REFERRAL_SIDES, ok=302)),
        ("post", h("draft_referral"), only(*DAKHLA_DESK, ok=302)),
    ],
    "hub:services": [("get", lambda w: {}, EVERYONE)],
    "hub:service_create": [
        (
            "get",
            lambda w: {},
            only("national_admin", "manager_agadir", "focal_association"),
        )
    ],
    "hub:service_update": [
        ("get", h("service"), only("national_admin", "focal_association"))
    ],
    "hub:supervisors": [
        ("get", lambda w: {"pk": w.centre_dakhla.pk}, only("national_admin"))
    ],
    "hub:dashboard": [
        (
            "get",
            lambda w: {},
            only(
                "national_admin",
                "coord_souss",
                "coord_oriental",
                "manager_agadir",
                "agent_dakhla",
                ME,
            ),
        )
    ],
    "hub:settings": [("get", lambda w: {}, only("national_admin"))],
    "hub:data_requests": [("get", lambda w: {}, only("national_admin", AUDITOR))],
    "hub:data_request": [
        ("get", h("data_request"), only("national_admin", AUDITOR)),
        ("get", h("audited_request"), only("national_admin", AUDITOR)),
    ],
    # The handler who recorded a request does not export its file: refused with
    # a message (302 back to the request). The auditor's export masks the
    # identifiers (see relais/hub/tests/test_person_file.py).
    "hub:person_file": [
        (
            "get",
            person_file("data_request", fmt),
            only(AUDITOR) | {"national_admin": 302},
        )
        for fmt in ("json", "pdf")
    ]
    + [
        (
            "get",
            person_file("audited_request", fmt),
            only("national_admin") | {AUDITOR: 302},
        )
        for fmt in ("json", "pdf")
    ],
    # Imports: anyone who may add people somewhere starts one; a job is seen by
    # its author and by those who may add people to its organisation; an import
    # of records (into no organisation) by its author alone.
    "imports:list": [("get", lambda w: {}, only(*PEOPLE_EDITORS))],
    "imports:create": [("get", lambda w: {}, only(*PEOPLE_EDITORS))],
    "imports:mapping": [
        ("get", i("uploaded"), only(*SOUSS_PEOPLE_EDITORS)),
        ("get", i("oujda"), only("national_admin", "coord_oriental")),
        ("get", i("attendance"), only("coord_souss")),
    ],
    "imports:check": [("get", i("checked"), only(*SOUSS_PEOPLE_EDITORS))],
    # No place to map in this file: the page sends its viewers back to the check.
    "imports:places": [("get", i("checked"), only(*SOUSS_PEOPLE_EDITORS, ok=302))],
    # The report names the people its author's dry run matched: its author's.
    "imports:report": [("get", i("checked"), only("manager_agadir"))],
    # The checked import has a problem: committing it without skipping the
    # invalid rows is refused, with a message.
    "imports:commit": [
        ("post", i("checked"), only(*SOUSS_PEOPLE_EDITORS, ok=302)),
        ("post", i("people_outside"), only(*SOUSS_PEOPLE_EDITORS, ok=302)),
        ("post", i("records_outside"), only("coord_souss", ok=302)),
    ],
    "imports:progress": [("get", i("done"), only(*SOUSS_PEOPLE_EDITORS))],
    # Cascade monitoring: the dashboards' viewers see their scope (the figures and
    # lists are cut to it: see relais/monitoring/tests/test_pages.py); the
    # programme unit alone sets targets.
    **{
        f"monitoring:{name}": [("get", lambda w: {}, only(*CASCADE_VIEWERS))]
        for name in (
            "dashboard",
            "people",
            "sessions",
            "trainers",
            "projection",
            "dilution",
            "targets",
        )
    },
    # The note to the minister: not the auditor's.
    **{
        f"monitoring:{name}": [
            ("get", lambda w: {}, only(*(v for v in CASCADE_VIEWERS if v != AUDITOR)))
        ]
        for name in ("report_pdf", "report_xlsx")
    },
    "monitoring:target_create": [("get", lambda w: {}, only("national_admin"))],
    "monitoring:target_update": [("get", t("target"), only("national_admin"))],
    "monitoring:target_delete": [("post", t("target"), only("national_admin", ok=302))],
    "verify": [
        (
            "get",
            lambda w: {"token": w.training["certification"].certificates.get().token},
            dict.fromkeys(CAST, 200),
        )
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
def test_matrix(matrix_world, client_for, name, index, member):
    world = matrix_world
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
    # Every page, whoever asks and whatever the answer, says what the browser may
    # run and use; a logged-in user's pages are for them alone.
    assert response["Content-Security-Policy"] == CSP
    assert response["Permissions-Policy"].startswith("accelerometer=()")
    if member != "anonymous":
        assert "private" in response["Cache-Control"], f"{member} {url}"


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "style-src-elem 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)


def reach():
    """What an import's commit could change: every person's phone and
    affiliations, and every enrolment."""
    from relais.people.models import Person
    from relais.training.models import Enrolment

    return (
        {
            p.pk: (
                p.phone,
                sorted(p.affiliations.values_list("organisation", flat=True)),
            )
            for p in Person.objects.all()
        },
        sorted(Enrolment.objects.values_list("session_id", "person_id", "status")),
    )


@pytest.mark.parametrize("member", [m for m in CAST if m != "anonymous"])
@pytest.mark.parametrize("name", ["people_outside", "records_outside"])
def test_an_import_commit_changes_nothing_out_of_its_committers_reach(
    matrix_world, client_for, django_capture_on_commit_callbacks, member, name
):
    """Every member of the cast commits, skipping the invalid rows, a file that
    names people and sessions out of reach: only what the member may edit and
    enrol changes."""
    from relais.core.roles import Permission
    from relais.people.models import Person
    from relais.people.policies import PersonPolicy, people_in_scope
    from relais.training.models import Session
    from relais.training.policies import SessionPolicy

    world = matrix_world
    user = world.users[member]
    job = world.imports[name]
    people_before, enrolments_before = reach()
    client = client_for(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:commit", args=[job.pk]), {"skip_invalid": "on"}
        )
    assert response.status_code in (302, 404)
    job.refresh_from_db()
    committed = job.status == job.Status.DONE
    assert committed == (response.status_code == 302), (job.status, job.error)
    people_after, enrolments_after = reach()
    editable = set(
        Person.objects.filter(PersonPolicy.where(user, "edit")).values_list(
            "pk", flat=True
        )
    )
    for pk, before in people_before.items():
        if pk not in editable:
            assert people_after[pk] == before, f"{member} changed person {pk}"
    visible = set(
        Session.objects.filter(SessionPolicy.readable(user)).values_list(
            "pk", flat=True
        )
    )
    enrollable = set(
        Person.objects.filter(
            people_in_scope(user, Permission.ENROLMENT_MANAGE)
        ).values_list("pk", flat=True)
    )
    for session_id, person_id, _status in set(enrolments_after) - set(
        enrolments_before
    ):
        assert session_id in visible and person_id in enrollable, (
            f"{member} enrolled {person_id} in {session_id}"
        )
