"""The person's file of an access request (law 09-08), as JSON and PDF.

Identifiers (CIN, phone, e-mail) appear in clear only to a handler allowed to see
them for that person, and that view is on record; everyone else gets them
masked. The handler who recorded a request does not export its file: a second
handler does, so that no one both opens and serves a request alone.
"""

import datetime
import json
import shutil
import subprocess

import pytest
from django.urls import reverse

from relais.core.errors import ApplicationError
from relais.core.models import AuditEvent
from relais.hub import dataprotection
from relais.hub.models import DataRequest

CIN, PHONE, EMAIL = "SH98765", "612345678", "khadija.ouldsidi@example.ma"


@pytest.fixture
def person(world):
    person = world.person_dakhla
    person.email = EMAIL
    person.save(update_fields=["email"])
    return person


def record(actor, person) -> DataRequest:
    return dataprotection.request_create(
        actor=actor,
        person=person,
        kind="access",
        received_on=datetime.date(2026, 11, 2),
    )


def pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing: apt-get install poppler-utils")
    source = tmp_path / "file.pdf"
    source.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(source), "-"], check=True, capture_output=True, text=True
    ).stdout


def export(client, data_request, fmt):
    return client.get(reverse("hub:person_file", args=[data_request.pk, fmt]))


def test_a_handler_who_may_not_see_identifiers_gets_them_masked(
    world, person, client_for, tmp_path
):
    """The auditor handles requests but may not see identifiers in clear: its
    export masks the CIN, the phone and the e-mail, and records no view of them."""
    data_request = record(world.national_admin, person)
    client = client_for(world.auditor_national)
    response = export(client, data_request, "json")
    assert response.status_code == 200
    body = response.content.decode()
    for clear in (CIN, PHONE, EMAIL):
        assert clear not in body
    identity = json.loads(body)["person"]
    assert identity["cin"] == person.cin_masked
    assert identity["phone"].endswith("78") and "•" in identity["phone"]
    assert identity["email"].endswith("@example.ma") and "•" in identity["email"]
    assert identity["last_name"] == "Ould Sidi"  # whose file it is stays clear
    text = pdf_text(export(client, data_request, "pdf").content, tmp_path)
    assert "Ould Sidi" in text
    for clear in (CIN, PHONE, EMAIL):
        assert clear not in text
    assert person.cin_masked in text
    assert not AuditEvent.objects.filter(action="person.view_identifiers").exists()
    assert (
        AuditEvent.objects.filter(
            action="dataprotection.export", actor=world.auditor_national
        ).count()
        == 2
    )


def test_a_handler_who_may_see_identifiers_gets_them_in_clear_on_record(
    world, person, client_for, tmp_path
):
    """The programme unit sees identifiers in clear; like on the person's page,
    that view is on record against the person."""
    data_request = record(world.auditor_national, person)
    client = client_for(world.national_admin)
    body = export(client, data_request, "json").content.decode()
    identity = json.loads(body)["person"]
    assert identity["cin"] == CIN
    assert PHONE in identity["phone"]
    assert identity["email"] == EMAIL
    assert CIN in pdf_text(export(client, data_request, "pdf").content, tmp_path)
    views = AuditEvent.objects.filter(action="person.view_identifiers")
    assert views.count() == 2
    assert {(e.actor, e.target_id) for e in views} == {
        (world.national_admin, str(person.pk))
    }


@pytest.mark.parametrize("fmt", ["json", "pdf"])
def test_the_handler_who_recorded_a_request_does_not_export_its_file(
    world, person, client_for, fmt
):
    """Refused with a message, back on the request's page; nothing is exported."""
    data_request = record(world.national_admin, person)
    assert data_request.recorded_by == world.national_admin
    client = client_for(world.national_admin)
    response = export(client, data_request, fmt)
    page = reverse("hub:data_request", args=[data_request.pk])
    assert response.status_code == 302 and response["Location"] == page
    shown = client.get(page).content.decode()
    assert "another handler" in shown.lower() or "autre" in shown.lower()
    with pytest.raises(ApplicationError):
        dataprotection.person_file_json(
            actor=world.national_admin, data_request=data_request
        )
    assert not AuditEvent.objects.filter(action="dataprotection.export").exists()
    assert not AuditEvent.objects.filter(action="person.view_identifiers").exists()


def test_requests_recorded_before_recorders_were_kept_stay_exportable(
    world, person, client_for
):
    """A request without a recorder (recorded before Relais kept it) is exported
    by any handler."""
    data_request = record(world.national_admin, person)
    DataRequest.objects.filter(pk=data_request.pk).update(recorded_by=None)
    response = export(client_for(world.national_admin), data_request, "json")
    assert response.status_code == 200
    assert json.loads(response.content)["person"]["cin"] == CIN
