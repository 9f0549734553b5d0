"""Writing the audit log. Every service that changes data calls `audit`, or
`audit_many` when it changes many objects at once."""

from django.db import models

from .context import request_ip
from .models import AuditEvent
from .scoping import NATIONAL_PATH


def audit(
    actor,
    action: str,
    target: models.Model | None = None,
    *,
    details: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Record one event. Targets may define `audit_paths()` to be scoped."""
    event = _event(actor, action, target, details, ip)
    event.save()
    return event


def audit_many(actor, action: str, targets, *, paths=None) -> None:
    """Record one event per (target, details) pair, written together: a batch
    of enrolments, say, is on record object by object. `paths` scopes every
    event at once, where asking each target would cost a query."""
    AuditEvent.objects.bulk_create(
        (
            _event(actor, action, target, details, None, paths)
            for target, details in targets
        ),
        batch_size=1000,
    )


def _event(actor, action, target, details, ip, paths=None) -> AuditEvent:
    territory_path, organisation_path = NATIONAL_PATH, ""
    if paths is not None:
        territory_path, organisation_path = paths
    elif target is not None and hasattr(target, "audit_paths"):
        territory_path, organisation_path = target.audit_paths()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor=actor if is_user else None,
        actor_label=actor.get_username() if is_user else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        territory_path=territory_path or "",
        organisation_path=organisation_path or "",
        ip_address=ip or request_ip.get(),
        details=details or {},
    )
