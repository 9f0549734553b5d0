"""Targets: set by the programme unit, read by every dashboard in scope."""

from django.db import transaction
from django.utils.translation import gettext as _

from relais.core.audit import audit
from relais.core.errors import ApplicationError
from relais.core.services import model_update

from .models import Target
from .policies import TargetPolicy

TARGET_FIELDS = (
    "programme",
    "territory",
    "audience",
    "period_start",
    "period_end",
    "people",
)


@transaction.atomic
def target_save(*, actor, target: Target | None = None, **fields) -> Target:
    if target is not None:
        TargetPolicy.require(actor, "manage", target)
    target = target or Target(created_by=actor)
    model_update(target, TARGET_FIELDS, fields)
    TargetPolicy.require(actor, "manage", target)
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
    TargetPolicy.require(actor, "manage", target)
    audit(actor, "target.delete", target, details={"people": target.people})
    target.delete()
