"""Who may see and change which organisations."""

from typing import NamedTuple

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.core.access import Policy
from relais.core.roles import ROLE_PERMISSIONS, Permission
from relais.core.scoping import has_permission, memberships_of, scope_for


class Placement(NamedTuple):
    """Where an organisation would go: under `parent` (None: a root), located in
    `territory`. What `OrganisationPolicy.can(user, "place", …)` is asked about."""

    parent: object
    territory: object


class OrganisationPolicy(Policy):
    actions = {
        "edit": _("You cannot change this organisation."),
        "place": _(
            "You cannot place an organisation outside the territory you manage."
        ),
    }

    @classmethod
    def readable(cls, user) -> Q:
        return scope_for(user, Permission.ORGANISATION_VIEW).q(
            territory="territory_path", organisation="path"
        )

    @staticmethod
    def _where_edit(user) -> Q:
        return scope_for(user, Permission.ORGANISATION_EDIT).q(
            territory="territory_path", organisation="path"
        )

    @staticmethod
    def _can_edit(user, organisation=None) -> bool:
        """Change this organisation; without one, change (or add) organisations
        anywhere at all (to offer the page or the button)."""
        if organisation is None:
            return has_permission(user, Permission.ORGANISATION_EDIT)
        return scope_for(user, Permission.ORGANISATION_EDIT).covers(
            territory_path=organisation.territory_path,
            organisation_path=organisation.path,
        )

    @staticmethod
    def _can_place(user, placement: Placement) -> bool:
        """May the user put an organisation under `parent`, located in `territory`?

        The new node must fall inside the user's editing scope: its territory
        inside a territory the user holds, or, for a role held on an organisation,
        its parent below that organisation and its territory inside that
        organisation's area (a centre manager adds to their centre's province, not
        anywhere because the parent is theirs).
        """
        parent, territory = placement
        scope = scope_for(user, Permission.ORGANISATION_EDIT)
        if scope.covers(territory_path=territory.path):
            return True
        return parent is not None and any(
            parent.path.startswith(node.path)
            and territory.path.startswith(node.area_path)
            for node in _organisation_nodes(user, Permission.ORGANISATION_EDIT)
        )


def _organisation_nodes(user, permission: str) -> list:
    return [
        membership.organisation
        for membership in memberships_of(user)
        if membership.organisation_id
        and permission in ROLE_PERMISSIONS.get(membership.role, ())
    ]
