"""Every file Relais hands out: a safe name, and an audit event saying what."""

from email.message import Message

import pytest
from django.urls import reverse

from relais.core.errors import ApplicationError
from relais.core.models import AuditEvent
from relais.training import services
from relais.training.models import Session
from tests.cast import build_training

HOSTILE = 'X.html"; filename="evil.html'


@pytest.fixture
def trained(world):
    world.training = build_training(world)
    return world


def filename(response) -> str:
    """The file name as a browser reads it from Content-Disposition."""
    header = Message()
    header["Content-Disposition"] = response["Content-Disposition"]
    return header.get_filename()


def downloads(w):
    souss, closed = w.training["session_souss"], w.training["session_closed"]
    return [
        ("training:signin_sheet", {"pk": souss.pk, "day": "2026-12-08"}, "session"),
        ("training:attendance_template", {"pk": souss.pk}, "session"),
        ("training:results_template", {"pk": souss.pk}, "session"),
        ("training:session_certificates", {"pk": closed.pk}, "session"),
        (
            "training:completion_certificate",
            {"pk": closed.pk, "enrolment_pk": w.training["enrolment_completed"].pk},
            "certificate",
        ),
        (
            "training:trainer_certificate",
            {"pk": w.training["certification"].pk},
            "certificate",
        ),
        ("people:export", {}, ""),
        ("monitoring:report_pdf", {}, "programme"),
        ("monitoring:report_xlsx", {}, "programme"),
    ]


def test_every_download_is_audited_with_the_file_it_gave(trained, client_for):
    """Who took which file, about what: one audit event per download."""
    client = client_for(trained.national_admin)
    for name, kwargs, target in downloads(trained):
        before = AuditEvent.objects.count()
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
        if response.streaming:
            b"".join(response.streaming_content)
        events = list(AuditEvent.objects.order_by("id")[before:])
        assert len(events) == 1, (name, [e.action for e in events])
        event = events[0]
        assert event.actor == trained.national_admin
        assert event.details["file"] == filename(response), name
        assert event.target_type.endswith(target), name


def test_a_hostile_session_code_cannot_rename_a_download(trained, client_for):
    """A code written before codes were checked cannot end the header early or
    turn a PDF, a CSV or a ZIP into an HTML page."""
    Session.objects.filter(pk=trained.training["session_souss"].pk).update(code=HOSTILE)
    Session.objects.filter(pk=trained.training["session_closed"].pk).update(
        code=HOSTILE + "0"
    )
    client = client_for(trained.national_admin)
    for name, kwargs, _target in downloads(trained):
        response = client.get(reverse(name, kwargs=kwargs))
        name_given = filename(response)
        assert name_given.rsplit(".", 1)[-1] in {"pdf", "csv", "zip", "xlsx"}, name
        assert response["Content-Disposition"].startswith("attachment;"), name


@pytest.mark.parametrize(
    "code", [HOSTILE, "SOUSS 2", "SOUSS/2", "<b>S</b>", "S\u00a0S", "É-1"]
)
def test_a_session_code_keeps_to_letters_digits_dash_underscore_and_dot(trained, code):
    session = trained.training["session_souss"]
    with pytest.raises(ApplicationError) as error:
        services.session_create(
            actor=trained.national_admin,
            programme=session.programme,
            kit=session.kit,
            code=code,
            venue=session.venue,
            title="T",
            level=session.level,
            start_date=session.start_date,
            end_date=session.end_date,
            capacity=5,
        )
    assert "code" in error.value.message_dict
    assert not Session.objects.filter(title="T").exists()


def test_a_plain_session_code_is_accepted(trained):
    session = trained.training["session_souss"]
    created = services.session_create(
        actor=trained.national_admin,
        programme=session.programme,
        kit=session.kit,
        code="rel-09_2026.1",
        venue=session.venue,
        title="T",
        level=session.level,
        start_date=session.start_date,
        end_date=session.end_date,
        capacity=5,
    )
    assert created.code == "REL-09_2026.1"
