"""Who may see and change which organisations."""

from django.db.models import Q

from relais.core.roles import Permission
from relais.core.scoping import scope_for


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

        The new node must fall inside the user's editing scope, by its place in the
        territory or by its parent in the organisation tree.
        """
        scope = scope_for(user, Permission.ORGANISATION_EDIT)
        if territory is not None and scope.covers(territory_path=territory.path):
            return True
        return parent is not None and scope.covers(organisation_path=parent.path)
