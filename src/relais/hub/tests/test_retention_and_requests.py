"""Retention with frozen time, the person's file, and requests under law 09-08."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from relais.core.errors import ApplicationError
from relais.hub import dataprotection, jobs, services
from relais.hub.models import DataRequest, ListeningNote, Need, Referral, Visit
from relais.territory.models import Territory

NOW = timezone.make_aware(datetime.datetime(2026, 11, 29, 10, 0))


def at(moment):
    """Freeze the clock of everything that asks Django for the time."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def record(world, when, **fields):
    with at(when):
        return services.visit_record(
            actor=world.agent_dakhla,
            centre=world.centre_dakhla,
            channel="walk_in",
            needs=[Need.objects.get(code="digital")],
            **fields,
        )


def test_retention_purges_only_what_outlived_its_purpose(world, hub):
    commune = Territory.objects.filter(
        level="commune", path__startswith="MA/12/"
    ).first()
    old = record(
        world,
        NOW - datetime.timedelta(days=400),
        sex="F",
        age_group="18-29",
        commune=commune,
    )
    recent = record(
        world,
        NOW - datetime.timedelta(days=30),
        sex="M",
        age_group="60+",
        commune=commune,
    )
    with at(NOW - datetime.timedelta(days=400)):
        identified = services.visit_record(
            actor=world.agent_dakhla,
            centre=world.centre_dakhla,
            channel="phone",
            needs=[Need.objects.get(code="health")],
            person=world.person_dakhla,
            sex="F",
        )
        old_note = services.note_write(
            actor=world.agent_dakhla, visit=old, text="x" * 10
        )
    with at(NOW - datetime.timedelta(days=4 * 365)):
        ancient_note = services.note_write(
            actor=world.agent_dakhla, visit=old, text="Très ancien"
        )
    with at(NOW):
        report = jobs.retention_run()
    assert report == {"anonymous_visits": 1, "listening_notes": 1, "referrals": 0}
    old.refresh_from_db()
    recent.refresh_from_db()
    identified.refresh_from_db()
    assert (old.sex, old.age_group, old.commune) == ("", "", None)
    assert old.needs.count() == 1 and old.channel == "walk_in"  # statistics stay
    assert (recent.sex, recent.age_group, recent.commune) == ("M", "60+", commune)
    assert identified.sex == "F"  # a person's file follows its own category
    assert ListeningNote.objects.get(pk=ancient_note.pk).text_encrypted == ""
    kept = ListeningNote.objects.get(pk=old_note.pk)
    assert services.note_read(actor=world.agent_dakhla, note=kept) == "x" * 10
    # Running it again changes nothing more.
    with at(NOW):
        assert jobs.retention_run() == {
            "anonymous_visits": 0,
            "listening_notes": 0,
            "referrals": 0,
        }


def test_retention_command_reports(world, hub, capsys):
    call_command("retention", "apply")
    assert "anonymous_visits" in capsys.readouterr().out


def test_an_anonymous_visit_becomes_a_file_without_retyping(world, hub):
    visit = hub["visit"]
    given = services.consent_record(
        actor=world.agent_dakhla,
        visit=visit,
        recipient=world.association_agadir,
        purpose="Orientation",
    )
    referral = services.referral_create(
        actor=world.agent_dakhla, visit=visit, service=hub["legal_aid"]
    )
    visit = services.visit_open_file(
        actor=world.agent_dakhla,
        visit=visit,
        first_name="Aicha",
        last_name="Bouazza",
        phone="0661234567",
    )
    person = visit.person
    assert person.sex == "F"  # taken from the visit
    assert person.affiliations.get().organisation == world.centre_dakhla
    given.refresh_from_db()
    referral.refresh_from_db()
    assert given.person == person and referral.person == person
    with pytest.raises(ApplicationError):
        services.visit_open_file(
            actor=world.agent_dakhla, visit=visit, first_name="X", last_name="Y"
        )


def test_requests_are_tracked_with_their_due_date(world, hub):
    request = dataprotection.request_create(
        actor=world.national_admin,
        person=world.person_dakhla,
        kind="rectification",
        received_on=datetime.date(2026, 11, 2),
        details="Nom mal orthographié",
    )
    assert request.due_on == datetime.date(2026, 12, 2)
    assert request.status == DataRequest.Status.OPEN
    with pytest.raises(ApplicationError):
        dataprotection.request_answer(
            actor=world.national_admin,
            data_request=request,
            status="answered",
            answer="",
        )
    dataprotection.request_answer(
        actor=world.national_admin,
        data_request=request,
        status="answered",
        answer="Nom corrigé le 3 novembre.",
    )
    request.refresh_from_db()
    assert request.status == DataRequest.Status.ANSWERED


def test_only_data_protection_handlers_take_requests(world, hub):
    with pytest.raises(ApplicationError):
        dataprotection.request_create(
            actor=world.coord_souss,
            person=world.person_agadir,
            kind="access",
            received_on=datetime.date(2026, 11, 2),
        )
    with pytest.raises(ApplicationError):
        dataprotection.request_create(
            actor=world.auditor_national,
            person=world.person_agadir,
            kind="access",
            received_on=timezone.localdate() + datetime.timedelta(days=3),
        )
    assert not DataRequest.objects.exists()


def test_dashboard_figures(world, hub):
    from relais.hub.selectors import dashboard

    services.referral_send(
        actor=world.agent_dakhla,
        referral=services.referral_create(
            actor=world.agent_dakhla, visit=hub["visit"], service=hub["e_services"]
        ),
    )
    figures = dashboard(actor=world.national_admin, centre=world.centre_dakhla)
    assert figures["visits"] == 1 and figures["anonymous"] == 1
    assert dict(figures["by_status"])[Referral.Status.SENT.label] == 1
    assert figures["needs"][0].code == "violence"
    shares = {
        row["centre"]: (row["certified"], row["agents"]) for row in figures["centres"]
    }
    assert shares[world.centre_dakhla] == (0, 2)
    assert Visit.objects.count() == 1


def test_the_person_file_pdf_is_drawn_like_the_certificates(world, hub, tmp_path):
    """The person's file goes through Relais's one PDF renderer: only the Amiri
    files are fetched (through the restricted fetcher), and Arabic names are
    drawn with Amiri."""
    import shutil
    import subprocess

    from relais.core import pdf

    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts is missing: apt-get install poppler-utils")
    request = dataprotection.request_create(
        actor=world.auditor_national,
        person=world.person_dakhla,
        kind="access",
        received_on=datetime.date(2026, 11, 2),
    )
    fetched = []
    original = pdf.LocalFetcher.fetch

    def spy(fetcher, url, headers=None):
        fetched.append(url)
        return original(fetcher, url, headers)

    with mock.patch.object(pdf.LocalFetcher, "fetch", spy):
        document = dataprotection.person_file_pdf(
            actor=world.national_admin, data_request=request
        )
    assert fetched
    assert all(url.startswith(pdf.font_dir().as_uri()) for url in fetched)
    source = tmp_path / "file.pdf"
    source.write_bytes(document)
    fonts = subprocess.run(
        ["pdffonts", str(source)], check=True, capture_output=True, text=True
    ).stdout
    assert "Amiri" in fonts
