from django.db.models import Q, QuerySet
from django.http import Http404

from relais.core.scoping import get_or_404

from .models import User
from .policies import AccountPolicy


def user_list(*, actor, search: str = "") -> QuerySet:
    if not AccountPolicy.can_manage(actor):
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
