"""Reads of imports: one's own, and those into organisations of one's scope."""

from django.db.models import Q, QuerySet

from relais.core.roles import Permission
from relais.core.scoping import get_or_404, scope_for

from .models import ImportJob


def import_job_list(*, actor) -> QuerySet:
    scope = scope_for(actor, Permission.PERSON_EDIT)
    return ImportJob.objects.filter(
        Q(created_by=actor)
        | scope.q(territory="territory_path", organisation="organisation_path")
    ).select_related("organisation", "created_by")


def import_job_get(*, actor, pk) -> ImportJob:
    return get_or_404(import_job_list(actor=actor), pk=pk)
