"""Who may see and change which people: through their affiliations' organisations."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from relais.core.access import Policy
from relais.core.roles import Permission
from relais.core.scoping import NATIONAL_PATH, has_permission, scope_for

from .models import Affiliation, Person


def people_in_scope(user, permission: str) -> Q:
    """People with an affiliation inside the user's scope for `permission`.

    Other apps' policies build on it for their own permissions (enrolling people
    in a session is ENROLMENT_MANAGE on the people's organisations).
    """
    scope = scope_for(user, permission)
    if scope.is_empty:
        return Q(pk__in=[])
    in_scope = Affiliation.objects.filter(person=OuterRef("pk")).filter(
        scope.q(
            territory="organisation__territory_path", organisation="organisation__path"
        )
    )
    return Q(Exists(in_scope))


class PersonPolicy(Policy):
    """People, read and changed through the organisations they are affiliated to.

    `can(user, "view")` and `can(user, "edit")` without a person say whether
    the user reads or changes people anywhere at all (to offer a page or a
    button). `where(user, "edit")` and `where(user, "view_identifiers")` filter
    people;
    `where(user, "affiliate")` filters organisations (those the user may attach
    people to).
    """

    actions = {
        # Refused, a page of people is not found, like a person out of reach.
        "view": _("Page not found"),
        "edit": _("You cannot change this person."),
        # Never refused in words: an identifier out of reach is shown masked,
        # and a page that would show it in full is not found, like any other.
        "view_identifiers": _("Page not found"),
        "affiliate": _("You cannot add people to this organisation."),
    }

    @classmethod
    def readable(cls, user) -> Q:
        return people_in_scope(user, Permission.PERSON_VIEW)

    @staticmethod
    def edits_everyone(user) -> bool:
        """Whether the user may edit every person: a role on the whole country."""
        return NATIONAL_PATH in scope_for(user, Permission.PERSON_EDIT).territory_paths

    @classmethod
    def _can_view(cls, user, person=None) -> bool:
        """Read this person; without one, read people anywhere at all."""
        if person is None:
            return has_permission(user, Permission.PERSON_VIEW)
        return Person.objects.filter(cls.readable(user), pk=person.pk).exists()

    @staticmethod
    def _where_edit(user) -> Q:
        return people_in_scope(user, Permission.PERSON_EDIT)

    @classmethod
    def _can_edit(cls, user, person=None) -> bool:
        """Change this person; without one, change (or add) people anywhere."""
        if person is None:
            return has_permission(user, Permission.PERSON_EDIT)
        return Person.objects.filter(cls._where_edit(user), pk=person.pk).exists()

    @staticmethod
    def _where_view_identifiers(user) -> Q:
        return people_in_scope(user, Permission.PERSON_VIEW_IDENTIFIERS)

    @classmethod
    def _can_view_identifiers(cls, user, person) -> bool:
        return Person.objects.filter(
            cls._where_view_identifiers(user), pk=person.pk
        ).exists()

    @staticmethod
    def _where_affiliate(user) -> Q:
        """The organisations the user may attach (or detach) people to."""
        return scope_for(user, Permission.PERSON_EDIT).q(
            territory="territory_path", organisation="path"
        )

    @staticmethod
    def _can_affiliate(user, organisation) -> bool:
        """May the user attach (or detach) people to this organisation?"""
        return scope_for(user, Permission.PERSON_EDIT).covers(
            territory_path=organisation.territory_path,
            organisation_path=organisation.path,
        )
