"""Targets: set by the programme unit, read by every dashboard in scope."""

from django.db import transaction
from django.utils.translation import gettext as _

from relais.core.audit import audit
from relais.core.errors import ApplicationError
from relais.core.roles import Permission
from relais.core.scoping import scope_for

from .models import Target

TARGET_FIELDS = (
    "programme",
    "territory",
    "audience",
    "period_start",
    "period_end",
    "people",
)


def _require_manager(actor, target: Target) -> None:
    scope = scope_for(actor, Permission.TARGET_MANAGE)
    if not scope.covers(territory_path=target.territory.path):
        raise ApplicationError(_("You cannot set targets for this territory."))


@transaction.atomic
def target_save(*, actor, target: Target | None = None, **fields) -> Target:
    if target is not None:
        _require_manager(actor, target)
    target = target or Target(created_by=actor)
    for name in TARGET_FIELDS:
        if name in fields:
            setattr(target, name, fields[name])
    _require_manager(actor, target)
    if target.period_end < target.period_start:
        raise ApplicationError(_("The period ends before it starts."))
    clash = Target.objects.filter(
        programme=target.programme,
        territory=target.territory,
        audience=target.audience,
        period_start=target.period_start,
    ).exclude(pk=target.pk)
    if clash.exists():
        raise ApplicationError(
            _("A target already exists for this programme, region, audience and start.")
        )
    target.save()
    audit(actor, "target.save", target, details={"people": target.people})
    return target


@transaction.atomic
def target_delete(*, actor, target: Target) -> None:
    _require_manager(actor, target)
    audit(actor, "target.delete", target, details={"people": target.people})
    target.delete()
