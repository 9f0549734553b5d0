"""Imports from the web, step by step: upload, mapping, dry run, commit.

Each step is a service that checks the actor may import into the organisation,
writes the job, audits it, and hands the long work to a task once the
transaction has committed.
"""

import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from relais.core.audit import audit
from relais.core.errors import ApplicationError
from relais.core.reconcile import reference_key
from relais.core.services import model_update

from . import files
from . import mapping as columns
from .layout import Layout, read_layout
from .models import ImportJob, ValueMapping
from .policies import ImportPolicy
from .selectors import value_references
from .tasks import check_import, run_import

CHOICES = ("merge", "skip", "create")


def _may_import(actor, kind: str, organisation) -> None:
    # For records, each row's session is checked again against the actor's reach.
    ImportPolicy.require(actor, ImportPolicy.action_for(kind), organisation)


@contextmanager
def _on_disk(upload):
    """The upload as a file on disk, where the checks can read it."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    suffix = Path(upload.name).suffix.lower()[:8]
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def import_job_create(
    *, actor, upload, kind: str = ImportJob.Kind.PEOPLE, organisation=None
) -> ImportJob:
    """Check the uploaded file, keep it under a random name, guess its columns.

    People go into `organisation`; enrolments, attendance and scores name their
    session on each row. A file that is too large or not what it claims to be is
    refused before anything is kept.
    """
    _may_import(actor, kind, organisation)
    with _on_disk(upload) as received:
        layout = read_layout(received, upload.name, kind)
        stored_name = files.keep(received, f".{layout.fmt}")
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                kind=kind,
                created_by=actor,
                organisation=organisation,
                original_name=Path(upload.name).name[:255],
                stored_name=stored_name,
                language=translation.get_language() or "fr",
                **_framed(layout, kind),
                territory_path=organisation.territory_path if organisation else "",
                organisation_path=organisation.path if organisation else "",
            )
            audit(
                actor,
                "import.upload",
                job,
                details={
                    "file": job.original_name,
                    "kind": kind,
                    "organisation": organisation.code if organisation else "",
                    "bytes": files.size(stored_name),
                },
            )
    except BaseException:
        files.delete(stored_name)
        raise
    return job


def _check_mapping(job: ImportJob, mapping: dict[str, int]) -> dict[str, int]:
    clean = {}
    for field, index in mapping.items():
        if field not in columns.FIELDS[job.kind] or index is None:
            continue
        if not isinstance(index, int) or not 0 <= index < len(job.headers):
            raise ApplicationError(_("Choose the columns among those of the file."))
        clean[field] = index
    if len(set(clean.values())) != len(clean):
        raise ApplicationError(_("A column of the file can go to one field only."))
    if missing := columns.missing(job.kind, clean):
        raise ApplicationError(
            _("No column was chosen for: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    return clean


def _framed(layout: Layout, kind: str) -> dict:
    """The fields of a job that say where its data lies, and the columns
    guessed from the header."""
    return {
        "sheets": layout.sheets,
        "sheet": layout.sheet,
        "encoding": layout.encoding,
        "header_row": layout.header_row,
        "headers": layout.headers,
        "preview": layout.head,
        "mapping": columns.guess(layout.headers, columns.FIELDS[kind]),
    }


@transaction.atomic
def import_job_reframe(
    *, actor, job: ImportJob, sheet: int, header_row: int, encoding: str
) -> ImportJob:
    """Read the file again from another sheet, encoding or header row.

    The columns are guessed again from the new header when it changes, and a
    dry run already made no longer holds.
    """
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    _may_import(actor, job.kind, job.organisation)
    if job.status not in (ImportJob.Status.UPLOADED, ImportJob.Status.CHECKED):
        raise ApplicationError(_("This import can no longer be changed."))
    if not files.exists(job.upload):
        raise ApplicationError(_("The file is no longer here: upload it again."))
    moved = (sheet, encoding or job.encoding) != (job.sheet, job.encoding)
    with files.on_disk(job.upload) as path:
        layout = read_layout(
            path,
            job.original_name,
            job.kind,
            sheet=sheet,
            encoding=encoding or job.encoding,
            header_row=None if moved and header_row == job.header_row else header_row,
        )
    framed = _framed(layout, job.kind)
    if layout.headers == job.headers:
        framed["mapping"] = job.mapping
    model_update(job, framed, framed)
    job.status = ImportJob.Status.UPLOADED
    job.save(update_fields=[*framed, "status", "updated_at"])
    audit(
        actor,
        "import.layout",
        job,
        details={
            "sheet": layout.sheet,
            "header_row": layout.header_row,
            "encoding": layout.encoding,
        },
    )
    return job


@transaction.atomic
def import_job_confirm_mapping(*, actor, job: ImportJob, mapping: dict) -> ImportJob:
    """Keep the columns the user confirmed and start the dry run."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    _may_import(actor, job.kind, job.organisation)
    if job.status not in (ImportJob.Status.UPLOADED, ImportJob.Status.CHECKED):
        raise ApplicationError(_("This import can no longer be changed."))
    if not files.exists(job.upload):
        raise ApplicationError(_("The file is no longer here: upload it again."))
    job.mapping = _check_mapping(job, mapping)
    job.status = ImportJob.Status.CHECKING
    job.error = ""
    job.save(update_fields=["mapping", "status", "error", "updated_at"])
    audit(
        actor,
        "import.mapping",
        job,
        details={"mapping": {f: job.headers[i] for f, i in job.mapping.items()}},
    )
    transaction.on_commit(lambda: check_import.enqueue(job.pk))
    return job


@transaction.atomic
def import_job_map_places(
    *, actor, job: ImportJob, chosen: dict[tuple[str, str], int | None]
) -> ImportJob:
    """Remember what the organisation's files mean by places and structures
    Relais did not recognise, then check the file again with them.

    `chosen`: (field, the value as written) -> the territory or organisation
    id, or None to leave it blank; a structure must be one the actor may
    affiliate people to. The mappings hold for the organisation's next imports.
    """
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    _may_import(actor, job.kind, job.organisation)
    if not job.is_people or job.status != ImportJob.Status.CHECKED:
        raise ApplicationError(_("This import can no longer be changed."))
    fields = {field for field, _value in chosen}
    if not fields <= set(ValueMapping.Field.values):
        raise ApplicationError(_("Choose a place from the list."))
    allowed = value_references(actor=actor, fields=fields)
    for (field, value), target in chosen.items():
        if target is not None and target not in allowed[field].labels:
            raise ApplicationError(_("Choose a place from the list."))
        structure = field == ValueMapping.Field.ORGANISATION
        ValueMapping.objects.update_or_create(
            organisation=job.organisation,
            field=field,
            key=reference_key(value),
            defaults={
                "value": value[:200],
                "territory_id": None if structure else target,
                "target_organisation_id": target if structure else None,
                "created_by": actor,
            },
        )
    job.status = ImportJob.Status.CHECKING
    job.error = ""
    job.save(update_fields=["status", "error", "updated_at"])
    audit(
        actor,
        "import.places",
        job,
        details={"mapped": len(chosen), "organisation": job.organisation.code},
    )
    transaction.on_commit(lambda: check_import.enqueue(job.pk))
    return job


@transaction.atomic
def import_job_commit(
    *,
    actor,
    job: ImportJob,
    decisions: dict[int, str],
    default: str = "skip",
    apart: set[int] | None = None,
    skip_invalid: bool = False,
) -> ImportJob:
    """Queue the import, with a choice for every likely duplicate.

    `decisions` are the choices made row by row; every other likely duplicate
    gets `default`. The groups of rows that look like one person (named by
    their first row) become one person each, but those in `apart`.
    """
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    _may_import(actor, job.kind, job.organisation)
    if job.status != ImportJob.Status.CHECKED:
        raise ApplicationError(_("This import was already started."))
    if default not in CHOICES or any(c not in CHOICES for c in decisions.values()):
        raise ApplicationError(_("Choose merge, skip or create."))
    if job.problems_count and not skip_invalid:
        raise ApplicationError(
            _(
                "%(count)s problems in the file: correct it and upload it again, "
                "or tick “Skip the invalid rows”."
            )
            % {"count": job.problems_count}
        )
    job.decisions = {
        str(row): decisions.get(row, default)
        for row in job.findings.get("likely_rows", [])
    } | {
        f"group-{row}": "several" if row in (apart or ()) else "one"
        for row in job.findings.get("group_rows", [])
    }
    job.skip_invalid = skip_invalid
    job.committed_by = actor
    job.status = ImportJob.Status.QUEUED
    job.save(
        update_fields=[
            "decisions",
            "skip_invalid",
            "committed_by",
            "status",
            "updated_at",
        ]
    )
    chosen = [c for key, c in job.decisions.items() if key.isdigit()]
    audit(
        actor,
        "import.commit",
        job,
        details={
            "file": job.original_name,
            "skip_invalid": skip_invalid,
            **{choice: chosen.count(choice) for choice in CHOICES},
        },
    )
    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job
