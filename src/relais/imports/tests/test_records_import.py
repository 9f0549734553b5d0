"""Importing enrolments, attendance and scores across sessions."""

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    counts = run(world, "enrolments", path)
    # One was already enrolled: left as it is.
    assert (counts["inserted"], counts["unchanged"]) == (1, 1)
    assert Enrolment.objects.count() == before + 1
    counts = run(world, "enrolments", path)
    assert (counts["inserted"], counts["unchanged"]) == (0, 2)
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
    plan = services.records_plan(
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
    with translation.override("en"), pytest.raises(ApplicationError) as error:
        run(world, "attendance", path)
    assert "Day, Present (1 or 0)" in str(error.value)


def test_a_changed_record_is_updated_and_an_unchanged_one_is_not_written(
    world, training, tmp_path
):
    path = sheet(tmp_path, "session;cin;date;present\nSOUSS-1;JB123456;07/12/2026;1\n")
    assert run(world, "attendance", path)["inserted"] == 1
    recorded = Attendance.objects.get(enrolment__session__code="SOUSS-1")
    again = run(world, "attendance", path)
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 1)
    assert Attendance.objects.get(pk=recorded.pk).recorded_at == recorded.recorded_at
    path.write_text(
        "session;cin;date;present\nSOUSS-1;JB123456;07/12/2026;0\n", encoding="utf-8"
    )
    plan = services.records_plan(
        actor=world.national_admin, kind="attendance", path=path, name=path.name
    )
    assert (plan.new, plan.changed, plan.unchanged) == (0, 1, 0)
    assert run(world, "attendance", path)["updated"] == 1
    assert Attendance.objects.get(pk=recorded.pk).present is False


def test_two_rows_for_one_record_are_reported_and_arabic_headers_are_read(
    world, training, tmp_path
):
    path = sheet(
        tmp_path,
        "الدورة;رقم البطاقة الوطنية;الاختبار;النقطة\n"
        "SOUSS-1;JB123456;post_test;15\n"
        "souss-1;jb123456;post_test;12\n",
    )
    with translation.override("en"):
        plan = services.records_plan(
            actor=world.national_admin, kind="scores", path=path, name=path.name
        )
    assert [(p.row, p.message) for p in plan.problems] == [(3, "Same record as row 2.")]
    before = Result.objects.count()
    with pytest.raises(ApplicationError):
        run(world, "scores", path)
    assert Result.objects.count() == before


CELLS = st.one_of(
    st.text(max_size=10),
    st.sampled_from(
        ["SOUSS-1", "souss-1", "JB123456", "J111222", "07/12/2026", "2026-12-08"]
        + ["1", "0", "oui", "post_test", "pre_test", "15", "12,5", "-3", "99"]
    ),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.sampled_from(["enrolments", "attendance", "scores"]),
    st.lists(st.lists(CELLS, min_size=0, max_size=5), min_size=1, max_size=6),
)
def test_random_rows_never_crash_and_never_half_write(
    world, training, tmp_path, kind, rows
):
    lines = [
        ";".join(c.replace(";", "").replace("\n", "").replace("\r", "") for c in r)
        for r in rows
    ]
    header = {
        "enrolments": "session;cin",
        "attendance": "session;cin;date;present",
        "scores": "session;cin;instrument;score",
    }[kind]
    path = sheet(tmp_path, "\n".join([header, *lines]) + "\n", name="random.csv")
    tables = (Enrolment, Attendance, Result)
    before = [model.objects.count() for model in tables]
    try:
        counts = run(world, kind, path, skip_invalid=True)
    except ApplicationError:
        assert [model.objects.count() for model in tables] == before
    else:
        written = {"enrolments": 0, "attendance": 1, "scores": 2}[kind]
        after = [model.objects.count() for model in tables]
        assert after[written] == before[written] + counts["inserted"]
        assert [n for i, n in enumerate(after) if i != written] == [
            n for i, n in enumerate(before) if i != written
        ]
