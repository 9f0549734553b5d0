"""Who may see and do what in the training cascade.

Scope comes from the trees, as everywhere, with two additions: a trainer sees the
sessions they facilitate and the people enrolled in them, and an association's
focal point sees the sessions open for enrolment in their association's region.
"""

from django.db.models import Exists, OuterRef, Q

from relais.core.roles import Permission, Role
from relais.core.scoping import memberships_of, scope_for

from .models import Enrolment, Facilitation, Session


def _region_path(territory_path: str) -> str:
    """ "MA/09/09.001/" -> "MA/09/"."""
    return "/".join(territory_path.split("/")[:2]) + "/"


class SessionPolicy:
    @staticmethod
    def readable_by(user) -> Q:
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
    def can_manage(user, session: Session) -> bool:
        """Plan, edit, assign facilitators, approve, close: coordinators and up."""
        return scope_for(user, Permission.SESSION_MANAGE).covers(
            territory_path=session.territory_path,
            organisation_path=session.organisation_path,
        )

    @staticmethod
    def can_plan_at(user, venue) -> bool:
        return scope_for(user, Permission.SESSION_MANAGE).covers(
            territory_path=venue.territory_path, organisation_path=venue.path
        )

    @staticmethod
    def is_facilitator(user, session: Session, roles=None) -> bool:
        if not getattr(user, "person_id", None):
            return False
        facilitations = session.facilitations.filter(person_id=user.person_id)
        if roles:
            facilitations = facilitations.filter(role__in=roles)
        return facilitations.exists()

    @classmethod
    def can_record(cls, user, session: Session) -> bool:
        """Take attendance and record results: the session's trainers, or managers."""
        return cls.can_manage(user, session) or cls.is_facilitator(
            user,
            session,
            roles=[Facilitation.Role.LEAD, Facilitation.Role.CO_FACILITATOR],
        )


class TraineePolicy:
    """People a trainer may see because they enrolled in the trainer's sessions."""

    @staticmethod
    def trainees_of(user) -> Q:
        if not getattr(user, "person_id", None):
            return Q(pk__in=[])
        taught = Enrolment.objects.filter(
            person=OuterRef("pk"),
            session__facilitations__person_id=user.person_id,
        )
        return Q(Exists(taught))
