"""One door for every write: a session's page and an import obey the same rules.

Each case is a sheet of one line, fed once through the session's pages (the
enrol form, the filled sign-in sheet, the score sheet) and once through an
import of records, as the Souss coordinator. Both paths must end with the same
data: what one refuses the other refuses, and what one writes the other writes
the same way.
"""

import contextlib
import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from relais.core.errors import ApplicationError
from relais.imports import services as imports
from relais.people.services import person_update
from relais.training import services
from relais.training.models import Attendance, Enrolment, Result, Session
from tests.cast import build_training

DAY = datetime.date(2026, 12, 7)


@dataclass(frozen=True)
class Case:
    kind: str  # enrolments, attendance or scores
    session: str  # a session of build_training, by name
    person: str  # a person of the cast, by name
    value: str = ""  # a presence or a score
    day: datetime.date = DAY
    prepare: str = ""  # a change to the world before the sheet comes in


CASES = {
    "enrol a person out of scope": Case("enrolments", "session_souss", "person_oujda"),
    "enrol into a full session": Case(
        "enrolments", "session_souss", "person_association", prepare="full"
    ),
    "enrol into a closed session": Case(
        "enrolments", "session_closed", "person_agadir"
    ),
    "enrol someone booked on the same days": Case(
        "enrolments", "session_souss", "person_association", prepare="booked"
    ),
    "enrol the session's own trainer": Case("enrolments", "session_souss", "trainer"),
    "enrol someone already enrolled": Case(
        "enrolments", "session_souss", "person_agadir"
    ),
    "enrol someone who may be enrolled": Case(
        "enrolments", "session_souss", "person_association"
    ),
    "mark presence in a closed session": Case(
        "attendance",
        "session_closed",
        "person_association",
        "0",
        day=datetime.date(2026, 10, 5),
    ),
    "mark a day outside the session": Case(
        "attendance", "session_souss", "person_agadir", "1", day=DAY.replace(day=20)
    ),
    "mark someone on the waiting list": Case(
        "attendance", "session_souss", "person_association", "1", prepare="waiting"
    ),
    "mark with a word that means nothing": Case(
        "attendance", "session_souss", "person_agadir", "peut-être"
    ),
    "mark a participant present": Case(
        "attendance", "session_souss", "person_agadir", "1"
    ),
    "rewrite a score in a closed session": Case(
        "scores", "session_closed", "person_association", "20"
    ),
    "score above the maximum": Case("scores", "session_souss", "person_agadir", "25"),
    "score that is not a number": Case(
        "scores", "session_souss", "person_agadir", "NaN"
    ),
    "score a participant": Case("scores", "session_souss", "person_agadir", "15,5"),
}

# What each case leaves behind, the same whichever way the sheet came in:
# None for "nothing changed".
EXPECTED = {
    "enrol into a full session": ("enrolment", "waitlisted"),
    "enrol someone who may be enrolled": ("enrolment", "confirmed"),
    "mark a participant present": ("attendance", True),
    "score a participant": ("score", 15.5),
}


@pytest.fixture
def training(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return build_training(world)


def person_of(world, training, name):
    if name != "trainer":
        return world.people[name]
    # The trainer was made without a CIN: an import names people by theirs.
    return person_update(
        actor=world.national_admin, person=training["trainer"], cin="JT445566"
    )


def prepare(world, training, case):
    admin, souss = world.national_admin, training["session_souss"]
    if case.prepare == "full":
        Session.objects.filter(pk=souss.pk).update(capacity=1)
    elif case.prepare == "booked":
        other = services.session_create(
            actor=admin,
            programme=training["programme"],
            kit=souss.kit,
            code="SOUSS-2",
            venue=world.association_agadir,
            title="Same days",
            level=Session.Level.RELAY,
            start_date=DAY,
            end_date=DAY,
            capacity=5,
        )
        services.session_set_status(actor=admin, session=other, status="open")
        services.enrolment_create(
            actor=admin, session=other, person=world.person_association
        )
    elif case.prepare == "waiting":
        Session.objects.filter(pk=souss.pk).update(capacity=1)
        services.enrolment_create(
            actor=admin, session=souss, person=world.person_association
        )


def state(session, person):
    """Everything a sheet about this person in this session could change."""
    return (
        list(
            Enrolment.objects.filter(person=person)
            .order_by("session_id")
            .values_list("session_id", "status")
        ),
        list(
            Attendance.objects.filter(enrolment__person=person)
            .order_by("enrolment_id", "date")
            .values_list("enrolment_id", "date", "present")
        ),
        list(
            Result.objects.filter(enrolment__person=person)
            .order_by("enrolment_id", "instrument_id")
            .values_list("enrolment_id", "instrument_id", "score")
        ),
    )


def through_the_page(client, world, session, person, case):
    if case.kind == "enrolments":
        return client.post(
            reverse("training:enrol", args=[session.pk]), {"person": person.pk}
        )
    enrolment = Enrolment.objects.filter(session=session, person=person).first()
    number = enrolment.pk if enrolment else 0
    if case.kind == "attendance":
        header = f"session,enrolment,{case.day.isoformat()}"
        text = f"{header}\n{session.code},{number},{case.value}"
        url = reverse("training:attendance_import", args=[session.pk])
    else:
        text = f'session,enrolment,post_test\n{session.code},{number},"{case.value}"'
        url = reverse("training:results_import", args=[session.pk])
    upload = SimpleUploadedFile("sheet.csv", text.encode())
    return client.post(url, {"sheet": upload})


def through_an_import(world, session, person, case, tmp_path):
    cin = person.cin_clear()
    text = {
        "enrolments": f"session;cin\n{session.code};{cin}\n",
        "attendance": f"session;cin;date;present\n{session.code};{cin};"
        f"{case.day:%d/%m/%Y};{case.value}\n",
        "scores": f"session;cin;instrument;score\n{session.code};{cin};post_test;"
        f"{case.value}\n",
    }[case.kind]
    path = tmp_path / "records.csv"
    path.write_text(text, encoding="utf-8")
    # A refused sheet raises: what matters here is what it left behind.
    with contextlib.suppress(ApplicationError):
        imports.records_import(
            actor=world.coord_souss, kind=case.kind, path=path, name=path.name
        )


def written(session, person, what):
    enrolment = Enrolment.objects.get(session=session, person=person)
    if what == "enrolment":
        return enrolment.status
    if what == "attendance":
        return Attendance.objects.get(enrolment=enrolment, date=DAY).present
    return float(Result.objects.get(enrolment=enrolment).score)


@pytest.mark.parametrize("path", ["page", "import"])
@pytest.mark.parametrize("name", list(CASES))
def test_the_page_and_the_import_leave_the_same_data(
    world, training, client_for, tmp_path, name, path
):
    case = CASES[name]
    prepare(world, training, case)
    session = Session.objects.get(pk=training[case.session].pk)
    person = person_of(world, training, case.person)
    before = state(session, person)
    if path == "page":
        response = through_the_page(
            client_for(world.coord_souss), world, session, person, case
        )
        assert response.status_code in (302, 404)
    else:
        through_an_import(world, session, person, case, tmp_path)
    if name in EXPECTED:
        what, value = EXPECTED[name]
        assert written(session, person, what) == value
    else:
        assert state(session, person) == before, f"{name}: the {path} wrote"
