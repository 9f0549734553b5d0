"""Scopes: which part of the territory and organisation trees a user may act on.

A role membership sits on one node, of the territory tree or of the organisation
tree, and covers every node below it. Both trees keep a materialised path
("MA/09/09.001/" or "4/17/"), so "below this node" is one indexed prefix test.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from .roles import ROLE_PERMISSIONS

# The root of the territory tree: a role granted there covers the whole country.
NATIONAL_PATH = "MA/"


@dataclass(frozen=True)
class Scope:
    territory_paths: tuple[str, ...] = ()
    organisation_paths: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.territory_paths or self.organisation_paths)

    def q(self, *, territory: str | None, organisation: str | None) -> Q:
        """A filter on the given path fields; matches nothing for an empty scope."""
        condition = Q(pk__in=[])
        if territory:
            for path in self.territory_paths:
                condition |= Q(**{f"{territory}__startswith": path})
        if organisation:
            for path in self.organisation_paths:
                condition |= Q(**{f"{organisation}__startswith": path})
        return condition

    def covers(self, *, territory_path: str = "", organisation_path: str = "") -> bool:
        return any(
            territory_path.startswith(p) for p in self.territory_paths if territory_path
        ) or any(
            organisation_path.startswith(p)
            for p in self.organisation_paths
            if organisation_path
        )


def memberships_of(user) -> list:
    """The user's role memberships, read once per request and kept on the user."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_relais_memberships", None)
    if cached is None:
        cached = list(
            user.memberships.select_related("territory", "organisation").all()
        )
        user._relais_memberships = cached
    return cached


def scope_for(user, permission: str) -> Scope:
    """The union of the nodes on which the user holds a role granting `permission`."""
    territory_paths, organisation_paths = [], []
    for membership in memberships_of(user):
        if permission not in ROLE_PERMISSIONS.get(membership.role, ()):
            continue
        if membership.territory_id:
            territory_paths.append(membership.territory.path)
        else:
            organisation_paths.append(membership.organisation.path)
    return Scope(
        tuple(sorted(set(territory_paths))), tuple(sorted(set(organisation_paths)))
    )


def has_permission(user, permission: str) -> bool:
    """Whether the user holds `permission` anywhere at all (to show a menu, say)."""
    return not scope_for(user, permission).is_empty


def roles_of(user) -> set[str]:
    return {m.role for m in memberships_of(user)}


def get_or_404(queryset, **lookup):
    """One object of a scoped queryset: missing and out of scope look the same."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as error:
        raise Http404 from error
