"""Listening notes reach their audience only, and every read is on record.

Every way out is checked: the note page, the visit page, lists, search, the
person-file export, the audit log. (Relais has no admin site and no API yet.)
"""

import datetime
import json

import pytest
from django.urls import reverse

from relais.core.errors import ApplicationError
from relais.core.models import AuditEvent
from relais.core.roles import Role
from relais.hub import dataprotection, services
from relais.hub.models import HubSettings, ListeningNote
from relais.training.models import Certification, Programme
from tests.cast import make_user

SECRET = "Elle décrit des violences répétées au domicile"


@pytest.fixture
def note(world, hub):
    return services.note_write(
        actor=world.agent_dakhla, visit=hub["visit"], text=SECRET
    )


def test_a_refused_read_of_a_note_is_on_record(world, hub, note, client_for):
    """The national administrator sees the visit but not the note's text: the
    attempt answers 404 and is on the audit log, without the text."""
    response = client_for(world.national_admin).get(reverse("hub:note", args=[note.pk]))
    assert response.status_code == 404
    refused = AuditEvent.objects.get(action="listening_note.read_refused")
    assert refused.actor == world.national_admin
    assert refused.target_id == str(note.pk)
    assert SECRET not in json.dumps(refused.details) + refused.target_label


def test_author_and_supervisors_read_the_note_and_each_read_is_audited(
    world, hub, note, client_for
):
    for reader in (world.agent_dakhla, hub["supervisor"]):
        page = client_for(reader).get(reverse("hub:note", args=[note.pk]))
        assert SECRET in page.content.decode()
    reads = AuditEvent.objects.filter(action="listening_note.read")
    assert {e.actor for e in reads} == {world.agent_dakhla, hub["supervisor"]}
    assert all(SECRET not in json.dumps(e.details) + e.target_label for e in reads)


@pytest.mark.parametrize(
    "reader", ["national_admin", "coord_souss", "manager_agadir", "focal_association"]
)
def test_nobody_else_reads_it_anywhere(world, hub, note, client_for, reader):
    client = client_for(world.users[reader])
    assert client.get(reverse("hub:note", args=[note.pk])).status_code == 404
    for url in [
        reverse("hub:visit", args=[hub["visit"].pk]),
        reverse("hub:visits"),
        reverse("hub:desk"),
        reverse("hub:referrals"),
        reverse("people:list") + "?q=violences",
        reverse("audit"),
        reverse("hub:dashboard"),
    ]:
        response = client.get(url)
        assert SECRET not in response.content.decode(), url
    with pytest.raises(ApplicationError):
        services.note_read(actor=world.users[reader], note=note)
    assert not AuditEvent.objects.filter(action="listening_note.read").exists()


def test_others_with_access_to_the_visit_see_that_a_note_exists(
    world, hub, note, client_for
):

    colleague = make_user("colleague", Role.HUB_AGENT, organisation=world.centre_dakhla)
    page = client_for(colleague).get(reverse("hub:visit", args=[hub["visit"].pk]))
    content = page.content.decode()
    assert SECRET not in content
    assert reverse("hub:note", args=[note.pk]) not in content
    assert "Confidenti" in content  # the note is listed, its text is not


def test_the_author_and_the_supervisor_find_the_note_from_the_visit(
    world, hub, note, client_for
):
    """The visit page links the note for its author and the centre's
    supervisor, and offers the co-signature to the supervisor only."""
    visit_page = reverse("hub:visit", args=[hub["visit"].pk])
    link = reverse("hub:note", args=[note.pk])
    cosign = reverse("hub:note_cosign", args=[note.pk])
    author = client_for(world.agent_dakhla).get(visit_page).content.decode()
    assert link in author and cosign not in author
    supervisor = client_for(hub["supervisor"]).get(visit_page).content.decode()
    assert link in supervisor
    assert (cosign in supervisor) == note.supervised


def test_the_person_file_export_never_carries_the_text(world, hub, note):
    services.visit_open_file(
        actor=world.agent_dakhla,
        visit=hub["visit"],
        first_name="Aicha",
        last_name="Bouazza",
    )
    hub["visit"].refresh_from_db()
    # Recorded by one handler, exported by another (separation of duties).
    request = dataprotection.request_create(
        actor=world.auditor_national,
        person=hub["visit"].person,
        kind="access",
        received_on=hub["visit"].created_at.date(),
    )
    exported = dataprotection.person_file_json(
        actor=world.national_admin, data_request=request
    )
    assert SECRET not in exported
    assert len(json.loads(exported)["listening_notes"]) == 1
    pdf = dataprotection.person_file_pdf(
        actor=world.national_admin, data_request=request
    )
    assert pdf.startswith(b"%PDF")
    assert SECRET.encode() not in pdf


def test_the_note_string_never_holds_its_text(note):
    assert SECRET not in str(note)


def test_uncertified_agents_work_under_supervision(world, hub, note):
    assert note.status == ListeningNote.Status.AWAITING_COSIGNATURE
    assert note.supervised
    with pytest.raises(ApplicationError):
        services.note_cosign(actor=world.agent_dakhla, note=note)
    note = services.note_cosign(actor=hub["supervisor"], note=note)
    assert note.status == ListeningNote.Status.FINAL
    assert note.cosigned_by == hub["supervisor"]


def test_supervised_mode_can_be_switched_off(world, hub):
    services.hub_settings_update(actor=world.national_admin, supervised_mode=False)
    note = services.note_write(actor=world.agent_dakhla, visit=hub["visit"], text="RAS")
    assert note.status == ListeningNote.Status.FINAL
    with pytest.raises(ApplicationError):
        services.hub_settings_update(actor=world.coord_souss, supervised_mode=True)
    assert not HubSettings.current().supervised_mode


def test_certified_agents_write_final_notes(world, hub):
    world.agent_dakhla.person = world.person_dakhla
    world.agent_dakhla.save()
    Certification.objects.create(
        person=world.person_dakhla,
        programme=Programme.objects.create(code="P", title_fr="P"),
        level="relay_trainer",
        status="certified",
        certified_on=datetime.date(2026, 10, 1),
        expires_on=datetime.date(2028, 10, 1),
        territory_path="MA/12/",
    )
    note = services.note_write(actor=world.agent_dakhla, visit=hub["visit"], text="RAS")
    assert note.status == ListeningNote.Status.FINAL
    assert not note.supervised


def test_the_text_is_encrypted_at_rest(world, hub, note):
    """No column of the notes' table holds the text: it is sealed with the field
    key (AES-GCM) and opened only by note_read, for the note's audience."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM hub_listeningnote")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert all(SECRET not in str(value) for value in rows[0])
    assert all("violences" not in str(value) for value in rows[0])
    assert services.note_read(actor=world.agent_dakhla, note=note) == SECRET
    # Nobody finds a note by its words.
    assert not ListeningNote.objects.filter(
        text_encrypted__icontains="violences"
    ).exists()


MIGRATED_FROM = [("hub", "0003_data_request_recorded_by")]
MIGRATED_TO = [("hub", "0004_encrypt_listening_notes")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_migration_encrypts_existing_notes_and_can_be_undone(world, hub):
    """Notes written in clear before are sealed by the migration; migrating back
    restores their text."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    try:
        old = migrate(MIGRATED_FROM).get_model("hub", "ListeningNote")
        written = old.objects.create(
            visit_id=hub["visit"].pk,
            author_id=world.agent_dakhla.pk,
            text=SECRET,
            status="final",
        )
        purged = old.objects.create(
            visit_id=hub["visit"].pk,
            author_id=world.agent_dakhla.pk,
            text="",
            status="final",
        )
        migrate(MIGRATED_TO)
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM hub_listeningnote")
            assert all(SECRET not in str(v) for row in cursor.fetchall() for v in row)
        note = ListeningNote.objects.get(pk=written.pk)
        assert services.note_read(actor=world.agent_dakhla, note=note) == SECRET
        assert ListeningNote.objects.get(pk=purged.pk).text_encrypted == ""
        old = migrate(MIGRATED_FROM).get_model("hub", "ListeningNote")
        assert old.objects.get(pk=written.pk).text == SECRET
        assert old.objects.get(pk=purged.pk).text == ""
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
