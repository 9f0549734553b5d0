"""Who may see and change which organisations."""

from django.db.models import Q

from relais.core.roles import ROLE_PERMISSIONS, Permission
from relais.core.scoping import memberships_of, scope_for


class OrganisationPolicy:
    @staticmethod
    def readable_by(user) -> Q:
        return scope_for(user, Permission.ORGANISATION_VIEW).q(
            territory="territory_path", organisation="path"
        )

    @staticmethod
    def editable_by(user) -> Q:
        return scope_for(user, Permission.ORGANISATION_EDIT).q(
            territory="territory_path", organisation="path"
        )

    @staticmethod
    def can_edit(user, organisation) -> bool:
        return scope_for(user, Permission.ORGANISATION_EDIT).covers(
            territory_path=organisation.territory_path,
            organisation_path=organisation.path,
        )

    @staticmethod
    def can_place(user, *, parent, territory) -> bool:
        """May the user put an organisation under `parent`, located in `territory`?

        The new node must fall inside the user's editing scope: its territory
        inside a territory the user holds, or, for a role held on an organisation,
        its parent below that organisation and its territory inside that
        organisation's area (a centre manager adds to their centre's province, not
        anywhere because the parent is theirs).
        """
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
