"""Reads of imports: one's own, and those into organisations of one's scope."""

from django.db.models import QuerySet
from django.http import Http404

from relais.core.reconcile import Reference
from relais.core.scoping import get_or_404
from relais.people.models import Person
from relais.people.policies import PersonPolicy
from relais.people.selectors import affiliable_reference
from relais.territory.selectors import territory_reference

from .models import ImportJob, ValueMapping
from .policies import ImportPolicy
from .progress import progress_of, stalled


def import_job_list(*, actor) -> QuerySet:
    return ImportJob.objects.filter(ImportPolicy.readable(actor)).select_related(
        "organisation", "created_by"
    )


def import_job_progress(*, job: ImportJob) -> dict:
    """Where the worker says the job stands (see progress.progress_of)."""
    return progress_of(job)


def import_job_stalled(*, job: ImportJob) -> bool:
    """Whether the job's worker went silent; the page says so, the worker's
    next sweep fails it (see progress.stalled)."""
    return stalled(job)


def import_job_get(*, actor, pk) -> ImportJob:
    return get_or_404(import_job_list(actor=actor), pk=pk)


def import_job_report(*, actor, pk) -> ImportJob:
    """A job whose dry-run report the actor may download: their own. The report
    names the people its author's dry run matched, within the author's reach."""
    job = import_job_get(actor=actor, pk=pk)
    if not ImportPolicy.can(actor, "read_report", job):
        raise Http404
    return job


def likely_findings(*, actor, job: ImportJob) -> list[dict]:
    """The dry run's likely duplicates as the actor may see them: the existing
    person's name only where the actor may edit that person (the dry run
    looked within its author's reach, which may be wider)."""
    likely = job.findings.get("likely", [])
    if job.created_by_id == actor.pk:
        return likely
    visible = set(
        Person.objects.filter(
            PersonPolicy.where(actor, "edit"), pk__in=[e.get("person") for e in likely]
        ).values_list("pk", flat=True)
    )
    return [
        entry if entry.get("person") in visible else {**entry, "existing": ""}
        for entry in likely
    ]


def known_places(*, organisation) -> dict[tuple[str, str], int | None]:
    """(field, key) -> territory or organisation id (None: left blank): what
    the organisation's earlier imports said their files mean by places and
    structures Relais did not know."""
    return {
        (field, key): territory or structure
        for field, key, territory, structure in ValueMapping.objects.filter(
            organisation=organisation
        ).values_list("field", "key", "territory_id", "target_organisation_id")
    }


def value_references(*, actor, fields) -> dict[str, Reference]:
    """What each kind of value may be mapped to: the places of its level, or
    the organisations the actor may affiliate people to."""
    return {
        field: affiliable_reference(actor)
        if field == "organisation"
        else territory_reference(field)
        for field in fields
    }
