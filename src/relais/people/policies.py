"""Who may see and change which people: through their affiliations' organisations."""

from django.db.models import Exists, OuterRef, Q

from relais.core.roles import Permission
from relais.core.scoping import NATIONAL_PATH, scope_for

from .models import Affiliation


def people_in_scope(user, permission: str, person=None) -> Q:
    """People with an affiliation inside the user's scope for `permission`.

    `person` points at the person from another query (an OuterRef): the test is
    then made row by row, for the rows a page shows, not for every person first.
    """
    scope = scope_for(user, permission)
    if scope.is_empty:
        return Q(pk__in=[])
    in_scope = Affiliation.objects.filter(
        person=OuterRef("pk") if person is None else person
    ).filter(
        scope.q(
            territory="organisation__territory_path", organisation="organisation__path"
        )
    )
    return Q(Exists(in_scope))


class PersonPolicy:
    @staticmethod
    def edits_everyone(user) -> bool:
        """Whether the user may edit every person: a role on the whole country."""
        return NATIONAL_PATH in scope_for(user, Permission.PERSON_EDIT).territory_paths

    @staticmethod
    def readable_by(user) -> Q:
        return people_in_scope(user, Permission.PERSON_VIEW)

    @staticmethod
    def readable_at(user, person) -> Q:
        """Whether the person another query points at (an OuterRef) is readable."""
        return people_in_scope(user, Permission.PERSON_VIEW, person=person)

    @staticmethod
    def editable_by(user) -> Q:
        return people_in_scope(user, Permission.PERSON_EDIT)

    @staticmethod
    def identifiers_readable_by(user) -> Q:
        return people_in_scope(user, Permission.PERSON_VIEW_IDENTIFIERS)

    @staticmethod
    def can_affiliate(user, organisation) -> bool:
        """May the user attach (or detach) people to this organisation?"""
        return scope_for(user, Permission.PERSON_EDIT).covers(
            territory_path=organisation.territory_path,
            organisation_path=organisation.path,
        )
