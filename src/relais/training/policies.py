"""Who may see and do what in the training cascade.

Scope comes from the trees, as everywhere, with two additions: a trainer sees the
sessions they facilitate and the people enrolled in them, and an association's
focal point sees the sessions open for enrolment in their association's region.

Every policy has the shape of `relais.core.access.Policy`. The actions marked so
may be asked with no object: whether the user may do it anywhere at all (to offer
a page or a button before there is an object to ask about).
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from relais.core.access import Policy
from relais.core.roles import Permission, Role
from relais.core.scoping import (
    NATIONAL_PATH,
    has_permission,
    memberships_of,
    scope_for,
)
from relais.people.models import Person
from relais.people.policies import people_in_scope

from .models import Enrolment, Facilitation, Session

# Those who run a session and those who teach in it.
TEACHING = (Facilitation.Role.LEAD, Facilitation.Role.CO_FACILITATOR)


def _region_path(territory_path: str) -> str:
    """ "MA/09/09.001/" -> "MA/09/"."""
    return "/".join(territory_path.split("/")[:2]) + "/"


def _facilitates(user, session: Session, roles) -> bool:
    if not getattr(user, "person_id", None):
        return False
    return session.facilitations.filter(
        person_id=user.person_id, role__in=roles
    ).exists()


class ProgrammePolicy(Policy):
    """Programmes, modules, kits and tests: the programme unit's."""

    actions = {"manage": _("Only the programme unit manages programmes.")}

    @staticmethod
    def _can_manage(user, programme=None) -> bool:
        return has_permission(user, Permission.PROGRAMME_MANAGE)


class SessionPolicy(Policy):
    actions = {
        # Never refused in words: who may open the list of sessions at all; the
        # others find no page, like any other out of reach.
        "list": _("Page not found"),
        # Plan at a venue (an organisation); with no venue, plan anywhere at all.
        "plan": _("You cannot plan a session at a venue outside your territory."),
        # Edit, assign facilitators, change status: coordinators and up.
        "manage": _("You cannot change this session."),
        "close": _("You cannot close this session."),
        # Take attendance and record results: the session's trainers, or managers.
        "record": _("Only the session's trainers record its results."),
        # Score the facilitators' fidelity: the session's observer, or managers.
        "record_fidelity": _("Only the session's observer records fidelity."),
    }

    @staticmethod
    def readable(user) -> Q:
        condition = scope_for(user, Permission.SESSION_VIEW).q(
            territory="territory_path", organisation="organisation_path"
        )
        if getattr(user, "person_id", None):
            condition |= Q(
                Exists(
                    Facilitation.objects.filter(
                        session=OuterRef("pk"), person_id=user.person_id
                    )
                )
            )
        for membership in memberships_of(user):
            if membership.role == Role.ASSOCIATION_FOCAL_POINT:
                region = _region_path(membership.organisation.territory_path)
                condition |= Q(
                    territory_path__startswith=region, status=Session.Status.OPEN
                )
        return condition

    @staticmethod
    def _can_list(user, session=None) -> bool:
        return bool(
            has_permission(user, Permission.SESSION_VIEW)
            or has_permission(user, Permission.ENROLMENT_MANAGE)
            or getattr(user, "person_id", None)
        )

    @staticmethod
    def _can_plan(user, venue=None) -> bool:
        scope = scope_for(user, Permission.SESSION_MANAGE)
        if venue is None:
            return not scope.is_empty
        return scope.covers(
            territory_path=venue.territory_path, organisation_path=venue.path
        )

    @staticmethod
    def _where_plan(user) -> Q:
        """The venues (organisations) where the user may plan a session."""
        return scope_for(user, Permission.SESSION_MANAGE).q(
            territory="territory_path", organisation="path"
        )

    @staticmethod
    def _can_manage(user, session: Session) -> bool:
        return scope_for(user, Permission.SESSION_MANAGE).covers(
            territory_path=session.territory_path,
            organisation_path=session.organisation_path,
        )

    @classmethod
    def _can_close(cls, user, session: Session) -> bool:
        return cls._can_manage(user, session)

    @classmethod
    def _can_record(cls, user, session: Session) -> bool:
        return cls._can_manage(user, session) or _facilitates(user, session, TEACHING)

    @classmethod
    def _can_record_fidelity(cls, user, session: Session) -> bool:
        return _facilitates(
            user, session, [Facilitation.Role.OBSERVER]
        ) or cls._can_manage(user, session)


class EnrolmentPolicy(Policy):
    """Enrolling people, and approving, confirming or withdrawing an enrolment."""

    actions = {
        # Enrol a person (within the user's enrolment scope, through an
        # affiliation); with no person, enrol anyone at all.
        "enrol": _("You cannot enrol this person in this session."),
        "approve": _("You cannot approve enrolments here."),
        "confirm": _("You cannot confirm enrolments here."),
        # The widest of the three: the session's managers, and those who may
        # enrol the person.
        "withdraw": _("You cannot withdraw this person."),
    }

    @classmethod
    def _can_enrol(cls, user, person=None) -> bool:
        if person is None:
            return has_permission(user, Permission.ENROLMENT_MANAGE)
        return Person.objects.filter(cls._where_enrol(user), pk=person.pk).exists()

    @staticmethod
    def _where_enrol(user) -> Q:
        """The people (Person rows) the user may enrol."""
        return people_in_scope(user, Permission.ENROLMENT_MANAGE)

    @staticmethod
    def _can_approve(user, enrolment: Enrolment) -> bool:
        return SessionPolicy.can(user, "manage", enrolment.session)

    @staticmethod
    def _can_confirm(user, enrolment: Enrolment) -> bool:
        return SessionPolicy.can(user, "manage", enrolment.session)

    @classmethod
    def _can_withdraw(cls, user, enrolment: Enrolment) -> bool:
        return SessionPolicy.can(user, "manage", enrolment.session) or cls._can_enrol(
            user, enrolment.person
        )


class CertificationPolicy(Policy):
    """Deciding on trainers' certifications: coordinators within their territory;
    naming master trainers: the programme unit."""

    actions = {
        # With no certification, decide on any at all.
        "decide": _("You cannot decide on this certification."),
        "name_master": _("Only the programme unit names master trainers."),
    }

    @staticmethod
    def readable(user) -> Q:
        return scope_for(user, Permission.SESSION_MANAGE).q(
            territory="territory_path", organisation=None
        )

    @staticmethod
    def _can_decide(user, certification=None) -> bool:
        scope = scope_for(user, Permission.SESSION_MANAGE)
        if certification is None:
            return not scope.is_empty
        return scope.covers(territory_path=certification.territory_path)

    @staticmethod
    def _can_name_master(user, person=None) -> bool:
        return scope_for(user, Permission.PROGRAMME_MANAGE).covers(
            territory_path=NATIONAL_PATH
        )


class TraineePolicy(Policy):
    """People a trainer may see because they enrolled in the trainer's sessions."""

    @staticmethod
    def readable(user) -> Q:
        if not getattr(user, "person_id", None):
            return Q(pk__in=[])
        taught = Enrolment.objects.filter(
            person=OuterRef("pk"),
            session__facilitations__person_id=user.person_id,
        )
        return Q(Exists(taught))
