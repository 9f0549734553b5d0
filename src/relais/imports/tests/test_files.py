"""An import's files live in a storage every app server and worker reach."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from relais.imports import jobs
from relais.imports.models import ImportJob
from relais.people.models import Person

CSV = "Nom;Prénom;Année de naissance\nNouvelle;Salma;1999\n".encode()


def test_an_import_goes_through_a_storage_with_no_local_folder(world, settings):
    """Object storage has no path on disk: the file is read from a temporary
    copy, the report written to the storage, and both deleted at the end."""
    from django.core.files.storage import storages

    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    storage = storages["imports"]
    admin = world.national_admin
    job = jobs.import_job_create(
        actor=admin,
        upload=SimpleUploadedFile("liste.csv", CSV),
        organisation=world.centre_agadir,
    )
    assert storage.exists(job.stored_name)
    with TestCase.captureOnCommitCallbacks(execute=True):
        jobs.import_job_confirm_mapping(actor=admin, job=job, mapping=job.mapping)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and storage.exists(job.report)
    report, upload = job.report, job.stored_name
    with TestCase.captureOnCommitCallbacks(execute=True):
        jobs.import_job_commit(actor=admin, job=job, decisions={})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.error
    assert Person.objects.filter(first_name="Salma", birth_year=1999).exists()
    assert not storage.exists(upload) and not storage.exists(report)
