"""Attendance and scores: idempotent saves; sheets go in whole or not at all."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.core.errors import ApplicationError
from relais.core.sheets import read_table
from relais.training import services
from relais.training.models import Attendance, Facilitation, ItemScore, Result

from .conftest import make_person, open_session, plan

DAY = datetime.date(2026, 12, 7)


@pytest.fixture
def session(world, programme, masters):
    session = open_session(world, plan(world, programme, "REL-1", DAY, days=2))
    services.facilitation_assign(
        actor=world.national_admin,
        session=session,
        person=masters[0],
        role=Facilitation.Role.LEAD,
    )
    return session


@pytest.fixture
def enrolments(world, session):
    return [
        services.enrolment_create(
            actor=world.coord_souss,
            session=session,
            person=make_person(world, f"P{i}", "Souss"),
        )
        for i in range(3)
    ]


def sheet(name, text):
    return SimpleUploadedFile(name, text.encode("utf-8"))


def test_saving_attendance_twice_leaves_one_row_per_person_and_day(
    world, session, enrolments
):
    for _ in range(2):
        services.attendance_save(
            actor=world.national_admin,
            session=session,
            day=DAY,
            absent={enrolments[0].pk},
        )
    services.attendance_save(
        actor=world.national_admin, session=session, day=DAY, absent=set()
    )
    assert Attendance.objects.filter(date=DAY).count() == 3
    assert Attendance.objects.filter(present=True).count() == 3


def test_attendance_on_a_day_outside_the_session_is_refused(world, session, enrolments):
    with pytest.raises(ApplicationError):
        services.attendance_save(
            actor=world.national_admin,
            session=session,
            day=DAY + datetime.timedelta(days=5),
            absent=set(),
        )
    assert not Attendance.objects.exists()


def test_only_the_sessions_trainers_or_managers_record(world, session, enrolments):
    with pytest.raises(ApplicationError):
        services.attendance_save(
            actor=world.trainer_agadir, session=session, day=DAY, absent=set()
        )
    with pytest.raises(ApplicationError):
        services.attendance_save(
            actor=world.coord_oriental, session=session, day=DAY, absent=set()
        )


def attendance_csv(session, enrolments, day_columns, values, code=None):
    lines = ["session,enrolment,last_name," + ",".join(day_columns)]
    for enrolment, value in zip(enrolments, values, strict=True):
        lines.append(f"{code or session.code},{enrolment},x,{value}")
    return "\n".join(lines)


def test_a_filled_sheet_is_imported(world, session, enrolments):
    ids = [e.pk for e in enrolments]
    text = attendance_csv(
        session, ids, ["2026-12-07", "2026-12-08"], ["1,1", "P,A", "0,x"]
    )
    rows = read_table(sheet("sheet.csv", text))
    count = services.attendance_import(
        actor=world.national_admin, session=session, rows=rows
    )
    assert count == 6
    assert Attendance.objects.filter(present=False).count() == 2
    # Importing the same sheet again changes nothing.
    services.attendance_import(actor=world.national_admin, session=session, rows=rows)
    assert Attendance.objects.count() == 6


@pytest.mark.parametrize(
    ("problem", "ids", "days", "values", "code", "expected"),
    [
        ("not enrolled", [999999], ["2026-12-07"], ["1"], None, "999999"),
        ("outside dates", None, ["2026-12-09"], ["1", "1", "1"], None, "2026-12-09"),
        ("wrong session", None, ["2026-12-07"], ["1", "1", "1"], "REL-2", "REL-2"),
        ("bad value", None, ["2026-12-07"], ["1", "peut-être", "1"], None, "Row 3"),
    ],
)
def test_bad_attendance_sheets_are_refused_whole(
    world, session, enrolments, problem, ids, days, values, code, expected
):
    ids = ids or [e.pk for e in enrolments]
    text = attendance_csv(session, ids, days, values, code)
    with pytest.raises(ApplicationError) as error:
        services.attendance_import(
            actor=world.national_admin,
            session=session,
            rows=read_table(sheet("sheet.csv", text)),
        )
    assert any(
        expected in m or expected.replace("Row", "Ligne") in m
        for m in error.value.messages
    )
    assert not Attendance.objects.exists()


def test_scores_above_the_maximum_are_refused_and_nothing_is_written(
    world, session, enrolments
):
    values = {
        (enrolments[0].pk, "pre_test"): "12",
        (enrolments[1].pk, "post_test"): "21",
    }
    with pytest.raises(ApplicationError) as error:
        services.results_save(
            actor=world.national_admin, session=session, values=values
        )
    assert "21" in error.value.messages[0]
    assert not Result.objects.exists()


def test_score_grid_saves_updates_and_clears(world, session, enrolments):
    key = (enrolments[0].pk, "post_test")
    services.results_save(
        actor=world.national_admin, session=session, values={key: "14,5"}
    )
    services.results_save(
        actor=world.national_admin, session=session, values={key: "15"}
    )
    assert Result.objects.get().score == 15
    services.results_save(actor=world.national_admin, session=session, values={key: ""})
    assert not Result.objects.exists()


def test_a_score_sheet_is_imported_from_xlsx(world, session, enrolments):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet_ = workbook.active
    sheet_.append(["session", "enrolment", "pre_test", "post_test"])
    for enrolment in enrolments:
        sheet_.append([session.code, enrolment.pk, 8, 16])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("scores.xlsx", buffer.getvalue())
    count = services.results_import(
        actor=world.national_admin, session=session, rows=read_table(upload)
    )
    assert count == 6
    assert Result.objects.filter(instrument__kind="post_test", score=16).count() == 3


def test_a_score_sheet_may_score_the_post_test_question_by_question(
    world, session, enrolments
):
    first, second = enrolments[0].pk, enrolments[1].pk
    text = (
        "session,enrolment,post_test,post_test.Q1/4,post_test.Q2/6\n"
        f'{session.code},{first},14,4,\n{session.code},{second},9,"1,5",3'
    )
    services.results_import(
        actor=world.national_admin,
        session=session,
        rows=read_table(sheet("scores.csv", text)),
    )
    items = {
        (i.result.enrolment_id, i.item): (i.score, i.max_score)
        for i in ItemScore.objects.select_related("result")
    }
    assert items == {
        (first, "Q1"): (4, 4),
        (second, "Q1"): (Decimal("1.5"), 4),
        (second, "Q2"): (3, 6),
    }
    # Importing the same sheet again changes nothing.
    services.results_import(
        actor=world.national_admin,
        session=session,
        rows=read_table(sheet("scores.csv", text)),
    )
    assert ItemScore.objects.count() == 3


@pytest.mark.parametrize(
    ("row", "problem"),
    [("14,5,", "5"), (",3,", "post-test")],
)
def test_question_scores_are_checked_and_nothing_is_written(
    world, session, enrolments, row, problem
):
    text = (
        "session,enrolment,post_test,post_test.Q1/4,post_test.Q2/6\n"
        f"{session.code},{enrolments[0].pk},{row}"
    )
    with pytest.raises(ApplicationError) as error:
        services.results_import(
            actor=world.national_admin,
            session=session,
            rows=read_table(sheet("scores.csv", text)),
        )
    assert problem in " ".join(error.value.messages)
    assert not Result.objects.exists() and not ItemScore.objects.exists()


def test_a_score_sheet_naming_someone_not_enrolled_is_refused(
    world, session, enrolments
):
    text = (
        "session,enrolment,post_test\n"
        f"{session.code},{enrolments[0].pk},12\n{session.code},424242,12"
    )
    with pytest.raises(ApplicationError):
        services.results_import(
            actor=world.national_admin,
            session=session,
            rows=read_table(sheet("scores.csv", text)),
        )
    assert not Result.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scores.xlsx", b"session,enrolment\n1,2"),
        ("scores.csv", b"PK\x03\x04 not a csv"),
        ("scores.csv", b"session,enrolment\n\x00"),
        ("scores.pdf", b"%PDF-1.7"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(name, content):
    with pytest.raises(ApplicationError):
        read_table(SimpleUploadedFile(name, content))


def test_learning_gain():
    assert services.normalised_gain(40, 70) == 0.5
    assert services.normalised_gain(100, 100) is None
    assert services.normalised_gain(None, 70) is None


def test_a_closed_sessions_records_and_fidelity_are_final(world, session, enrolments):
    """Once closed, neither scores, presence nor fidelity change any more."""
    from relais.training.models import Session

    services.results_save(
        actor=world.national_admin,
        session=session,
        values={(enrolments[0].pk, "post_test"): "10.30"},
    )
    lead = session.facilitations.get()
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CLOSED)
    session.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.results_save(
            actor=world.national_admin,
            session=session,
            values={(enrolments[0].pk, "post_test"): "20"},
        )
    with pytest.raises(ApplicationError):
        services.attendance_save(
            actor=world.national_admin, session=session, day=DAY, absent=set()
        )
    with pytest.raises(ApplicationError):
        services.fidelity_record(
            actor=world.national_admin, facilitation=lead, percent=Decimal(90)
        )
    assert Result.objects.get().score == Decimal("10.30")
    assert not Attendance.objects.exists()
    assert lead.fidelity_percent is None


@pytest.mark.parametrize("value", ["NaN", "nan", "Infinity", "-inf", "sNaN", "1e999"])
def test_scores_that_are_not_finite_numbers_are_refused(
    world, session, enrolments, value
):
    with pytest.raises(ApplicationError):
        services.results_save(
            actor=world.national_admin,
            session=session,
            values={(enrolments[0].pk, "post_test"): value},
        )
    assert not Result.objects.exists()


def test_scores_keep_two_decimals(world, session, enrolments):
    services.results_save(
        actor=world.national_admin,
        session=session,
        values={(enrolments[0].pk, "post_test"): "13.3333333"},
    )
    assert Result.objects.get().score == Decimal("13.33")
