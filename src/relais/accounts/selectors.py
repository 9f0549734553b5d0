from django.db.models import Q, QuerySet
from django.http import Http404

from relais.core.models import AuditEvent
from relais.core.scoping import get_or_404

from .models import RoleMembership, User
from .policies import AccountPolicy, AuditPolicy


def user_list(*, actor, search: str = "") -> QuerySet:
    if not AccountPolicy.can(actor, "manage"):
        raise Http404
    qs = User.objects.select_related("person").prefetch_related(
        "memberships__territory", "memberships__organisation"
    )
    if search:
        qs = qs.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
    return qs.order_by("username")


def user_get(*, actor, pk) -> User:
    return get_or_404(user_list(actor=actor), pk=pk)


def membership_get(*, user: User, pk) -> RoleMembership:
    """One of the account's role memberships (the account already read)."""
    return get_or_404(user.memberships.all(), pk=pk)


def audit_event_list(*, actor) -> QuerySet:
    """The audit log as far as the actor may read it (everything outside is not
    there for them)."""
    return AuditEvent.objects.filter(AuditPolicy.readable(actor))
