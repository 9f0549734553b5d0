"""The background half of an import from the web: the dry run and the commit.

Both run in the task worker (`manage.py db_worker`), in the language of the person
who started the import. The commit writes in one transaction, so its progress
goes to the cache, where the progress page reads it, and not to the database.
"""

import datetime
import io
import logging
import time
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from relais.core.audit import audit
from relais.core.errors import ApplicationError

from . import files
from .models import ImportJob
from .people import as_dict
from .progress import (
    PROGRESS_SECONDS,
    STALE_AFTER,
    last_sign_of_life,
    progress_key,
)
from .report import problems_workbook
from .services import people_import, people_plan, records_import, records_plan

logger = logging.getLogger(__name__)

# What the pages show of a dry run; the report has everything.
SHOWN = 200


def _beat(job_id: int, stage: str, done: int = 0, total: int = 0) -> None:
    cache.set(
        progress_key(job_id),
        {"stage": stage, "done": done, "total": total, "at": time.time()},
        PROGRESS_SECONDS,
    )


# Files uploaded but never imported are deleted after this.
KEEP_UPLOADS = datetime.timedelta(days=7)


def _birth(data: dict) -> str:
    if data.get("birth_date"):
        return data["birth_date"].isoformat()
    return str(data.get("birth_year") or "")


def _finish(job: ImportJob, status: str, **fields) -> None:
    """Record the end of the import: neither the uploaded file nor its dry
    run's report is kept after it."""
    job.refresh_from_db(fields=["report_name"])
    files.delete(job.upload, job.report)
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        finished_at=timezone.now(),
        stored_name="",
        report_name="",
        preview=[],
        **fields,
    )


@contextmanager
def _file_or_error(job: ImportJob):
    """The job's file on disk, for the time of the reading."""
    if not files.exists(job.upload):
        raise ApplicationError(_("The file is no longer here: upload it again."))
    with files.on_disk(job.upload) as path:
        yield path


@task()
def check_import(job_id: int) -> None:
    """The dry run: what the import would do, row by row; writes no person."""
    import_jobs_sweep()
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.CHECKING).first()
    if job is None:
        return
    _beat(job.pk, "checking")
    with translation.override(job.language):
        try:
            with _file_or_error(job) as path:
                plan = _dry_run(job, path, heartbeat=lambda: _beat(job.pk, "checking"))
            report = io.BytesIO()
            problems_workbook(plan, report)
            report.seek(0)
            report_name = files.keep(report, ".report.xlsx")
        except ApplicationError as error:
            _finish(job, ImportJob.Status.FAILED, error=" ".join(error.messages))
            return
        except Exception:
            logger.exception("The dry run of import %s failed.", job_id)
            _finish(
                job,
                ImportJob.Status.FAILED,
                error=_("The file could not be checked: nothing was written."),
            )
            raise
        finally:
            cache.delete(progress_key(job.pk))
    files.delete(job.report)
    problems = [
        {"row": p.row, "column": p.column, "message": p.message}
        for p in plan.problems[:SHOWN]
    ]
    if job.is_people:
        counts = {
            "new": len(plan.new),
            "update": len(plan.updates),
            "unchanged": len(plan.unchanged),
            "likely": len(plan.likely),
        }
        findings = {
            "problems": problems,
            "likely": [
                {
                    "row": number,
                    "name": f"{data['first_name']} {data['last_name']}",
                    "birth": _birth(data),
                    "existing": name,
                    "person": person,
                }
                for number, person, data, name in plan.likely[:SHOWN]
            ],
            # Row -> the existing person it looks like: a merge goes only there.
            "likely_people": {
                str(number): person for number, person, *_ in plan.likely
            },
            "likely_rows": [number for number, *_rest in plan.likely],
            "columns": plan.columns,
            "unknown": plan.unknown,
            "groups": [
                {"rows": rows, "names": names}
                for rows, names in _group_names(plan, SHOWN)
            ],
            "group_rows": [rows[0] for rows in plan.groups],
        }
    else:
        counts = plan.counts()
        findings = {"problems": problems}
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.CHECKED,
        rows=plan.rows,
        problems_count=len(plan.problems),
        report_name=report_name,
        counts=counts
        | {"problems": len(plan.problems), "invalid_rows": len(plan.problem_rows)},
        findings=findings,
    )


def _frame(job: ImportJob) -> dict:
    """Where the job's data lies, as its columns page said."""
    return {"sheet": job.sheet, "header_row": job.header_row, "encoding": job.encoding}


def _group_names(plan, count: int):
    """The first groups of rows that look like one person, with the names."""
    records = dict(plan.new)
    for rows in plan.groups[:count]:
        yield (
            rows,
            [
                f"{records[n][0]} {records[n][1]} ({_birth(as_dict(records[n]))})"
                for n in rows
            ],
        )


def _dry_run(job: ImportJob, path, heartbeat):
    if job.is_people:
        return people_plan(
            path,
            job.original_name,
            actor=job.created_by,
            organisation=job.organisation,
            mapping=job.mapping,
            frame=_frame(job),
            heartbeat=heartbeat,
        )[2]
    return records_plan(
        actor=job.created_by,
        kind=job.kind,
        path=path,
        name=job.original_name,
        mapping=job.mapping,
        frame=_frame(job),
        heartbeat=heartbeat,
    )


@task()
def run_import(job_id: int) -> None:
    """The commit: every row, or every valid row, in one transaction."""
    import_jobs_sweep()
    started = ImportJob.objects.filter(
        pk=job_id, status=ImportJob.Status.QUEUED
    ).update(status=ImportJob.Status.RUNNING, started_at=timezone.now())
    if not started:
        return
    job = ImportJob.objects.select_related("organisation", "committed_by").get(
        pk=job_id
    )
    # What the bar counts: new people (and likely duplicates created anyway), or
    # records new and changed.
    creates = sum(1 for choice in job.decisions.values() if choice == "create")
    if job.is_people:
        total = job.counts.get("new", 0) + creates
    else:
        total = job.counts.get("new", 0) + job.counts.get("update", 0)
    total = max(total, 1)
    key = progress_key(job.pk)
    _beat(job.pk, "checking", 0, total)

    def progress(done: int) -> None:
        _beat(job.pk, "writing", min(done, total), total)

    with translation.override(job.language):
        try:
            with _file_or_error(job) as path:
                counts = _commit(
                    job,
                    path,
                    progress=progress,
                    heartbeat=lambda: _beat(job.pk, "checking", 0, total),
                )
        except ApplicationError as error:
            _finish(job, ImportJob.Status.FAILED, error=" ".join(error.messages))
            return
        except Exception:
            logger.exception("Import %s failed.", job_id)
            # The import is one transaction: it left nothing behind.
            _finish(
                job,
                ImportJob.Status.FAILED,
                error=_(
                    "The import stopped on an unexpected error: nothing was written."
                ),
            )
            raise
        finally:
            cache.delete(key)
    _finish(job, ImportJob.Status.DONE, result=counts)


def _commit(job: ImportJob, path, *, progress, heartbeat) -> dict:
    options = {
        "actor": job.committed_by,
        "path": path,
        "name": job.original_name,
        "skip_invalid": job.skip_invalid,
        "mapping": job.mapping,
        "frame": _frame(job),
        "progress": progress,
        "heartbeat": heartbeat,
    }
    if job.is_people:
        return people_import(
            organisation=job.organisation,
            decisions={
                int(row): choice
                for row, choice in job.decisions.items()
                if row.isdigit()
            },
            apart={
                int(key.removeprefix("group-"))
                for key, choice in job.decisions.items()
                if key.startswith("group-") and choice == "several"
            },
            shown={
                int(row): person
                for row, person in job.findings.get("likely_people", {}).items()
            },
            **options,
        )
    return records_import(kind=job.kind, **options)


def import_jobs_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Fail the imports whose worker stopped, and delete the files never imported.

    A dry run or an import with no sign of life for STALE_AFTER was stopped with
    its worker (it wrote nothing: an import is one transaction). Files uploaded
    and never imported are deleted after KEEP_UPLOADS. Both jobs say why, and
    the user can upload the file again. Cheap when there is nothing to do: the
    task worker runs it before each import, `relais import sweep` when cron
    says (the pages only show a silent import as stopped, see progress.stalled).
    """
    now = now or timezone.now()
    S = ImportJob.Status
    swept = {"stopped": 0, "expired": 0}
    for job in ImportJob.objects.filter(
        status__in=[S.CHECKING, S.RUNNING], updated_at__lt=now - STALE_AFTER
    ):
        if last_sign_of_life(job) >= now - STALE_AFTER:
            continue
        with translation.override(job.language):
            message = _(
                "The import stopped without finishing (its worker was stopped): "
                "nothing was written. Upload the file again."
            )
        if _fail(job, message, "import.stopped", now):
            swept["stopped"] += 1
    for job in ImportJob.objects.filter(
        status__in=[S.UPLOADED, S.CHECKED], updated_at__lt=now - KEEP_UPLOADS
    ):
        with translation.override(job.language):
            message = _(
                "The file was deleted after %(days)s days without an import: "
                "upload it again."
            ) % {"days": KEEP_UPLOADS.days}
        if _fail(job, message, "import.expired", now):
            swept["expired"] += 1
    return swept


def _fail(job: ImportJob, message: str, action: str, now) -> bool:
    """Mark the job failed unless it moved meanwhile; then delete its files."""
    with transaction.atomic():
        changed = ImportJob.objects.filter(
            pk=job.pk, status=job.status, updated_at=job.updated_at
        ).update(
            status=ImportJob.Status.FAILED,
            error=message,
            finished_at=now,
            stored_name="",
            report_name="",
            preview=[],
            updated_at=now,
        )
        if changed:
            audit(None, action, job, details={"file": job.original_name})
    if changed:
        files.delete(job.upload, job.report)
    return bool(changed)
