"""Importing from the web: upload, columns, dry run, commit, progress."""

import datetime
import io
import time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from relais.core import protected, sheets
from relais.core.models import AuditEvent
from relais.imports import tasks
from relais.imports.mapping import PEOPLE_FIELDS
from relais.imports.models import ImportJob
from relais.people.models import Affiliation, Person
from relais.training.models import Attendance
from tests.cast import build_training

HEADER = "Nom;Prénom;Sexe;Date de naissance;CIN;Téléphone;Province"
GOOD = [
    "El Idrissi;Salma;F;12/03/1984;JB654321;06 61 23 45 67;09.001",
    "Bennani;Omar;H;1990-07-01;;0522 11 22 33;06.141",
    "Tazi;Youssef;M;;K987654;;",
]


def csv_file(lines, header=HEADER, name="beneficiaires.csv"):
    return SimpleUploadedFile(name, "\n".join([header, *lines]).encode("utf-8"))


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English, whose messages the tests read; French again after."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    yield
    translation.deactivate()


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def stored_files(var_dir):
    folder = var_dir / "imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def upload(client, organisation, file):
    return client.post(
        reverse("imports:create"),
        {"kind": "people", "file": file, "organisation": organisation.pk},
    )


def confirm(client, job, capture, **changes):
    """Post the guessed columns (with changes) and run the dry run."""
    data = {name: str(index) for name, index in job.mapping.items()}
    data.update(changes)
    with capture(execute=True):
        response = client.post(
            reverse("imports:mapping", args=[job.pk]), {**data, "confirm": "1"}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("imports:check", args=[job.pk])
    job.refresh_from_db()
    return job


def commit(client, job, capture, **data):
    with capture(execute=True):
        response = client.post(reverse("imports:commit", args=[job.pk]), data)
    job.refresh_from_db()
    return response


def import_through_the_pages(client, world, capture, lines):
    response = upload(client, world.centre_agadir, csv_file(lines))
    job = ImportJob.objects.latest("id")
    assert response["Location"] == reverse("imports:mapping", args=[job.pk])
    job = confirm(client, job, capture)
    assert job.status == ImportJob.Status.CHECKED
    response = commit(client, job, capture)
    assert response["Location"] == reverse("imports:progress", args=[job.pk])
    assert job.status == ImportJob.Status.DONE, job.error
    return job


def test_upload_columns_dry_run_and_commit_then_the_same_file_changes_nothing(
    world, client_for, var_dir, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    client = client_for(world.manager_agadir)
    people, affiliations = Person.objects.count(), Affiliation.objects.count()

    response = upload(client, world.centre_agadir, csv_file(GOOD))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.UPLOADED
    assert job.created_by == world.manager_agadir
    assert job.territory_path == world.centre_agadir.territory_path
    assert job.organisation_path == world.centre_agadir.path
    # Kept under a random name, never the uploaded one.
    assert stored_files(var_dir) == [job.stored_name]
    assert "beneficiaires" not in job.stored_name

    page = client.get(reverse("imports:mapping", args=[job.pk])).content.decode()
    assert 'name="first_name"' in page
    assert '<option value="1" selected>Prénom</option>' in page
    assert "El Idrissi" in page  # the preview
    assert job.mapping["first_name"] == 1

    job = confirm(client, job, capture)
    assert job.status == ImportJob.Status.CHECKED
    assert job.rows == 3
    assert job.counts["new"] == 3
    assert job.problems_count == 0
    page = client.get(reverse("imports:check", args=[job.pk])).content.decode()
    assert "No problem found in the file." in page
    assert reverse("imports:commit", args=[job.pk]) in page
    report = client.get(reverse("imports:report", args=[job.pk]))
    assert report.status_code == 200
    assert b"".join(report.streaming_content).startswith(b"PK")
    assert Person.objects.count() == people  # nothing written by the dry run

    response = commit(client, job, capture)
    assert response["Location"] == reverse("imports:progress", args=[job.pk])
    assert job.status == ImportJob.Status.DONE
    assert job.result["inserted"] == 3
    assert job.committed_by == world.manager_agadir
    assert job.started_at and job.finished_at
    assert Person.objects.count() == people + 3
    assert Affiliation.objects.count() == affiliations + 3
    assert (
        Person.objects.get(cin_digest=protected.digest("JB654321")).phone
        == "+212661234567"
    )
    # Neither the uploaded file nor its report is kept once the import is done.
    assert job.stored_name == job.report_name == ""
    assert stored_files(var_dir) == []
    page = client.get(reverse("imports:progress", args=[job.pk])).content.decode()
    assert "The import is done." in page
    assert "hx-trigger" not in page
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "import.upload",
        "import.mapping",
        "import.commit",
        "import.people",
    } <= actions

    again = import_through_the_pages(client, world, capture, GOOD)
    assert again.counts["new"] == 0
    assert again.counts["unchanged"] == 3
    assert again.result == {
        "inserted": 0,
        "updated": 0,
        "unchanged": 3,
        "skipped": 0,
        "joined": 0,
        "invalid_rows": [],
    }
    assert Person.objects.count() == people + 3
    assert Affiliation.objects.count() == affiliations + 3


def test_columns_can_be_corrected_and_are_checked(
    world, client_for, var_dir, django_capture_on_commit_callbacks
):
    client = client_for(world.coord_souss)
    upload(client, world.centre_agadir, csv_file(GOOD, header="A;B;C;D;E;F;G"))
    job = ImportJob.objects.get()
    assert job.mapping == {}
    url = reverse("imports:mapping", args=[job.pk])
    # The same column twice, and the first name missing: refused.
    response = client.post(url, {"last_name": "0", "sex": "0", "confirm": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This column already goes to" in page
    assert str(PEOPLE_FIELDS["first_name"][0]) in page
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED
    job = confirm(
        client,
        job,
        django_capture_on_commit_callbacks,
        last_name="0",
        first_name="1",
        birth_date="3",
        cin="4",
    )
    assert job.mapping == {"last_name": 0, "first_name": 1, "birth_date": 3, "cin": 4}
    assert job.counts["new"] == 3


def test_invalid_rows_are_shown_and_skipped_only_when_asked(
    world, client_for, var_dir, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    client = client_for(world.manager_agadir)
    bad = "Sans;Date;F;31/02/1990;;;"
    upload(client, world.centre_agadir, csv_file([*GOOD, bad]))
    job = confirm(client, ImportJob.objects.get(), capture)
    assert job.problems_count == 1
    page = client.get(reverse("imports:check", args=[job.pk])).content.decode()
    assert "31/02/1990" in page
    assert "Date de naissance" in page
    assert 'name="skip_invalid"' in page

    people = Person.objects.count()
    response = commit(client, job, capture)
    assert response["Location"] == reverse("imports:check", args=[job.pk])
    assert job.status == ImportJob.Status.CHECKED
    assert Person.objects.count() == people
    page = client.get(response["Location"]).content.decode()
    assert "Skip the invalid rows" in page

    commit(client, job, capture, skip_invalid="on")
    assert job.status == ImportJob.Status.DONE
    assert job.result["inserted"] == 3
    assert job.result["invalid_rows"] == [5]
    page = client.get(reverse("imports:progress", args=[job.pk])).content.decode()
    assert "Rows left out" in page


def test_likely_duplicates_follow_the_choice_made_for_each_row(
    world, client_for, var_dir, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    client = client_for(world.manager_agadir)
    # The cast's Mohamed El Amrani was born in 1985 and has a CIN.
    header = "Nom;Prénom;Sexe;Date de naissance;CIN;Téléphone;Année de naissance"
    lines = ["El Amrani;Mohammed;H;;;;1985", "Bennani;Omar;H;1990-07-01;;;"]
    upload(client, world.centre_agadir, csv_file(lines, header=header))
    job = confirm(client, ImportJob.objects.get(), capture)
    assert job.counts["likely"] == 1, job.counts
    page = client.get(reverse("imports:check", args=[job.pk])).content.decode()
    assert 'name="likely-2" id="likely-2-skip" value="skip"' in page
    people = Person.objects.count()
    commit(client, job, capture, **{"likely-2": "create"})
    assert job.decisions == {"2": "create"}
    assert job.result["inserted"] == 2
    assert Person.objects.count() == people + 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("liste.xlsx", b"<html>not a workbook</html>", "not a real XLSX workbook"),
        ("liste.csv", b"PK\x03\x04 zipped", "not a real CSV file"),
        ("liste.pdf", b"%PDF-1.7", "Send a CSV, XLSX, XLS or ODS file."),
        ("liste.csv", b"", "file is empty"),
    ],
)
def test_a_hostile_file_is_refused_with_a_message_and_nothing_is_kept(
    world, client_for, var_dir, name, content, message
):
    client = client_for(world.manager_agadir)
    response = upload(client, world.centre_agadir, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()
    assert stored_files(var_dir) == []


def test_a_file_too_large_is_refused_before_anything_else(
    world, client_for, var_dir, monkeypatch
):
    monkeypatch.setattr(sheets, "MAX_BYTES", 100)
    client = client_for(world.manager_agadir)
    response = upload(client, world.centre_agadir, csv_file(GOOD))
    assert "The file is larger than" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert stored_files(var_dir) == []


def test_only_organisations_of_ones_scope_can_receive_an_import(
    world, client_for, var_dir
):
    client = client_for(world.manager_agadir)
    response = upload(client, world.centre_oujda, csv_file(GOOD))
    assert response.status_code == 200
    assert not ImportJob.objects.exists()
    assert stored_files(var_dir) == []


def test_an_import_out_of_scope_answers_404(
    world, client_for, var_dir, django_capture_on_commit_callbacks
):
    oriental = client_for(world.coord_oriental)
    upload(oriental, world.centre_oujda, csv_file(GOOD))
    job = confirm(oriental, ImportJob.objects.get(), django_capture_on_commit_callbacks)
    client = client_for(world.coord_souss)
    for name in ("mapping", "check", "report", "progress"):
        url = reverse(f"imports:{name}", args=[job.pk])
        assert client.get(url).status_code == 404, name
    assert client.post(reverse("imports:commit", args=[job.pk])).status_code == 404
    listed = client.get(reverse("imports:list")).content.decode()
    assert job.original_name not in listed
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED


def test_the_progress_bar_reads_the_cache_and_refreshes_itself(
    world, client_for, var_dir
):
    job = ImportJob.objects.create(
        created_by=world.manager_agadir,
        organisation=world.centre_agadir,
        original_name="grand.xlsx",
        status=ImportJob.Status.RUNNING,
        rows=300_000,
        territory_path=world.centre_agadir.territory_path,
        organisation_path=world.centre_agadir.path,
    )
    cache.set(
        tasks.progress_key(job.pk),
        {"stage": "writing", "done": 120_000, "total": 300_000},
    )
    client = client_for(world.manager_agadir)
    url = reverse("imports:progress", args=[job.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert 'aria-valuenow="40"' in partial
    assert f'hx-get="{url}"' in partial
    job.status = ImportJob.Status.DONE
    job.result = {"inserted": 3, "updated": 0, "unchanged": 0, "skipped": 0}
    job.result["invalid_rows"] = []
    job.save()
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial
    assert "The import is done." in partial
    cache.delete(tasks.progress_key(job.pk))


def test_the_list_shows_ones_imports_with_their_status(world, client_for, var_dir):
    client = client_for(world.manager_agadir)
    upload(client, world.centre_agadir, csv_file(GOOD))
    job = ImportJob.objects.get()
    page = client.get(reverse("imports:list")).content.decode()
    assert reverse("imports:mapping", args=[job.pk]) in page
    assert "beneficiaires.csv" in page
    assert reverse("imports:list") in client.get(reverse("home")).content.decode()
    trainer = client_for(world.trainer_agadir)
    assert reverse("imports:list") not in trainer.get(reverse("home")).content.decode()


def test_imports_whose_worker_stopped_fail_and_old_uploads_are_deleted(
    world, client_for, var_dir
):
    """Silent for half an hour, a dry run or an import lost its worker: the list
    shows it stopped (a page changes nothing), and the sweep fails it and
    deletes its file. An upload never imported goes after a week. A worker that
    still reports progress, or a recent upload, is left alone."""
    client = client_for(world.manager_agadir)
    for _n in range(5):
        upload(client, world.centre_agadir, csv_file(GOOD))
    stuck_check, stuck_run, alive, old_upload, recent = ImportJob.objects.order_by("id")
    S = ImportJob.Status
    hours_ago = timezone.now() - datetime.timedelta(hours=2)
    for job, status, when in [
        (stuck_check, S.CHECKING, hours_ago),
        (stuck_run, S.RUNNING, hours_ago),
        (alive, S.RUNNING, hours_ago),
        (old_upload, S.CHECKED, timezone.now() - datetime.timedelta(days=8)),
    ]:
        ImportJob.objects.filter(pk=job.pk).update(status=status, updated_at=when)
    cache.set(tasks.progress_key(alive.pk), {"stage": "writing", "at": time.time()})

    page = client.get(reverse("imports:list")).content.decode()
    assert page.count("Stopped") == 2
    assert ImportJob.objects.filter(status=S.FAILED).count() == 0
    call_command("import", "sweep", stdout=io.StringIO())

    for job in (stuck_check, stuck_run, old_upload):
        job.refresh_from_db()
        assert job.status == S.FAILED
        assert job.upload == ""
    assert "worker was stopped" in stuck_run.error
    assert "after 7 days" in old_upload.error
    for job, status in ((alive, S.RUNNING), (recent, S.UPLOADED)):
        job.refresh_from_db()
        assert job.status == status
    assert stored_files(var_dir) == sorted([alive.stored_name, recent.stored_name])
    assert AuditEvent.objects.filter(action="import.stopped").count() == 2
    assert AuditEvent.objects.filter(action="import.expired").count() == 1
    cache.delete(tasks.progress_key(alive.pk))
    # Once its worker has been silent as long, the last one goes too.
    ImportJob.objects.filter(pk=alive.pk).update(updated_at=hours_ago)
    out = io.StringIO()
    call_command("import", "sweep", stdout=out)
    assert "marked failed: 1" in out.getvalue()
    alive.refresh_from_db()
    assert alive.status == S.FAILED


def test_the_list_writes_nothing_even_with_stopped_imports(world, client_for, var_dir):
    """A GET changes no data: the list shows a silent import as stopped and
    leaves failing it to the worker's sweep. (The log-in session, which the
    framework keeps fresh, is not data.)"""
    client = client_for(world.manager_agadir)
    upload(client, world.centre_agadir, csv_file(GOOD))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        updated_at=timezone.now() - datetime.timedelta(hours=2),
    )
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("imports:list")).content.decode()
    assert "Stopped" in page
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")
        and '"django_session"' not in q["sql"]
    ]
    assert writes == []
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING


def test_a_worker_starting_an_import_fails_the_stopped_ones(
    world, client_for, var_dir, django_capture_on_commit_callbacks
):
    """The sweep runs on the worker's side, when a task starts: an import whose
    worker went silent is marked failed by the next dry run, not by a page."""
    client = client_for(world.manager_agadir)
    upload(client, world.centre_agadir, csv_file(GOOD))
    upload(client, world.centre_agadir, csv_file(GOOD))
    stuck, fresh = ImportJob.objects.order_by("id")
    ImportJob.objects.filter(pk=stuck.pk).update(
        status=ImportJob.Status.RUNNING,
        updated_at=timezone.now() - datetime.timedelta(hours=2),
    )
    fresh = confirm(client, fresh, django_capture_on_commit_callbacks)
    assert fresh.status == ImportJob.Status.CHECKED
    stuck.refresh_from_db()
    assert stuck.status == ImportJob.Status.FAILED
    assert "worker was stopped" in stuck.error
    assert AuditEvent.objects.filter(action="import.stopped").count() == 1


def test_a_page_watching_a_stopped_import_stops_waiting(world, client_for, var_dir):
    client = client_for(world.manager_agadir)
    upload(client, world.centre_agadir, csv_file(GOOD))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.CHECKING,
        updated_at=timezone.now() - datetime.timedelta(hours=1),
    )
    url = reverse("imports:check", args=[job.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    page = client.get(url, follow=True).content.decode()
    assert "worker was stopped" in page


def test_attendance_goes_through_the_same_steps_for_a_session_manager(
    world, client_for, var_dir, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    build_training(world)
    client = client_for(world.coord_souss)
    assert (
        'value="attendance"' in client.get(reverse("imports:create")).content.decode()
    )
    lines = ["SOUSS-1;JB123456;07/12/2026;oui", "SOUSS-1;JB123456;08/12/2026;2"]
    response = client.post(
        reverse("imports:create"),
        {
            "kind": "attendance",
            "file": csv_file(lines, header="Session;CIN;Jour;Présence"),
        },
    )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:mapping", args=[job.pk])
    assert job.organisation is None
    assert job.mapping == {"session": 0, "cin": 1, "date": 2, "present": 3}
    page = client.get(reverse("imports:mapping", args=[job.pk])).content.decode()
    assert 'name="present"' in page and 'name="first_name"' not in page
    assert "beneficiaires.csv: Attendance" in page

    before = Attendance.objects.count()
    job = confirm(client, job, capture)
    assert job.status == ImportJob.Status.CHECKED
    assert (job.counts["new"], job.problems_count) == (1, 1)
    page = client.get(reverse("imports:check", args=[job.pk])).content.decode()
    assert "new records" in page and "Write 1 (present) or 0 (absent)." in page
    assert "likely duplicates" not in page

    commit(client, job, capture)  # refused: a row has a problem
    assert job.status == ImportJob.Status.CHECKED
    commit(client, job, capture, skip_invalid="on")
    assert job.status == ImportJob.Status.DONE, job.error
    assert job.result == {
        "inserted": 1,
        "updated": 0,
        "unchanged": 0,
        "invalid_rows": [3],
    }
    assert Attendance.objects.count() == before + 1
    page = client.get(reverse("imports:progress", args=[job.pk])).content.decode()
    assert "records added" in page
    assert "import.attendance" in AuditEvent.objects.values_list("action", flat=True)
    # Seen by its author alone; refused to whoever may not manage sessions.
    other = client_for(world.coord_oriental)
    assert other.get(reverse("imports:progress", args=[job.pk])).status_code == 404
    manager = client_for(world.manager_agadir)
    response = manager.post(
        reverse("imports:create"),
        {"kind": "attendance", "file": csv_file(lines, header="Session;CIN;Jour;P")},
    )
    assert response.status_code == 200
    assert ImportJob.objects.count() == 1


def test_the_dry_run_shows_others_only_the_people_they_may_edit(
    world, client_for, var_dir, django_capture_on_commit_callbacks
):
    """The national administrator's dry run into a Souss association finds a
    likely duplicate in Dakhla. The Souss coordinator, who may follow that
    import, sees the row but not who it looks like, and not the report; the
    report is written for Relais alone to read."""
    capture = django_capture_on_commit_callbacks
    admin = client_for(world.national_admin)
    upload(
        admin,
        world.association_agadir,
        csv_file(["Ould Sidy;Khadija;1985"], header="Nom;Prénom;Année de naissance"),
    )
    job = ImportJob.objects.latest("id")
    job = confirm(admin, job, capture)
    assert job.counts["likely"] == 1
    assert (var_dir / "imports" / job.report).stat().st_mode & 0o077 == 0
    page = admin.get(reverse("imports:check", args=[job.pk])).content.decode()
    assert "Khadija Ould Sidi" in page
    coordinator = client_for(world.coord_souss)
    page = coordinator.get(reverse("imports:check", args=[job.pk])).content.decode()
    assert "Ould Sidy" in page  # the file's own row
    assert "Khadija Ould Sidi" not in page
    assert "someone outside your reach" in page
    report = coordinator.get(reverse("imports:report", args=[job.pk]))
    assert report.status_code == 404
