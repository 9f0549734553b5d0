"""Importing enrolments, attendance and scores across sessions."""

import pytest

from relais.core.errors import ApplicationError
from relais.imports import services
from relais.training.models import Attendance, Enrolment, Result
from tests.cast import build_training


@pytest.fixture
def training(world):
    return build_training(world)


def sheet(tmp_path, text, name="records.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(world, kind, path, actor=None, **options):
    return services.records_import(
        actor=actor or world.national_admin,
        kind=kind,
        path=path,
        name=path.name,
        **options,
    )


def test_enrolments_are_upserted_on_session_and_person(world, training, tmp_path):
    path = sheet(tmp_path, "session,cin\nSOUSS-1,J111222\nSOUSS-1,JB123456\n")
    before = Enrolment.objects.count()
    assert run(world, "enrolments", path)["written"] == 2
    assert Enrolment.objects.count() == before + 1  # one was already enrolled
    run(world, "enrolments", path)
    assert Enrolment.objects.count() == before + 1


def test_attendance_twice_leaves_one_row_and_bad_rows_are_refused(
    world, training, tmp_path
):
    good = sheet(tmp_path, "session;cin;date;present\nSOUSS-1;JB123456;07/12/2026;1\n")
    run(world, "attendance", good)
    run(world, "attendance", good)
    assert Attendance.objects.filter(enrolment__session__code="SOUSS-1").count() == 1
    bad = sheet(
        tmp_path,
        "session;cin;date;present\n"
        "SOUSS-1;JB123456;2026-12-20;1\n"  # outside the session
        "SOUSS-1;F654321;2026-12-07;1\n"  # not enrolled
        "NOPE;JB123456;2026-12-07;1\n"  # unknown session
        "SOUSS-1;JB123456;2026-12-08;peut-être\n",
        name="bad.csv",
    )
    plan, _ready = services.records_plan(
        actor=world.national_admin, kind="attendance", path=bad, name=bad.name
    )
    assert [p.row for p in plan.problems] == [2, 3, 4, 5]
    before = Attendance.objects.count()
    with pytest.raises(ApplicationError):
        run(world, "attendance", bad)
    assert Attendance.objects.count() == before


def test_scores_above_the_maximum_are_refused(world, training, tmp_path):
    path = sheet(
        tmp_path,
        "session,cin,instrument,score\nSOUSS-1,JB123456,post_test,25\n",
    )
    with pytest.raises(ApplicationError):
        run(world, "scores", path)
    assert not Result.objects.filter(enrolment__session__code="SOUSS-1").exists()
    path.write_text(
        "session,cin,instrument,score\nSOUSS-1,JB123456,post_test,15\n",
        encoding="utf-8",
    )
    run(world, "scores", path)
    assert Result.objects.get(enrolment__session__code="SOUSS-1").score == 15


def test_sessions_out_of_reach_are_refused(world, training, tmp_path):
    path = sheet(tmp_path, "session,cin\nSOUSS-1,J111222\n")
    before = Enrolment.objects.count()
    with pytest.raises(ApplicationError):
        run(world, "enrolments", path, actor=world.coord_oriental)
    assert Enrolment.objects.count() == before


def test_missing_columns_are_named(world, training, tmp_path):
    path = sheet(tmp_path, "session,cin\nSOUSS-1,JB123456\n")
    with pytest.raises(ApplicationError) as error:
        run(world, "attendance", path)
    assert "date" in str(error.value)
