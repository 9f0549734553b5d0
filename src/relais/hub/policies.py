"""Who sees what at the hub desk.

Visits and their referrals belong to the centre that received the person; the
receiving side of a referral sees it too, once it is sent: a draft has no
consent yet, so nothing of it leaves the referring centre. A listening note's
text is for its author and the centre's designated supervisors only; others
with access to the visit see that a note exists, never what it says.
"""

from django.db.models import Exists, OuterRef, Q

from relais.core.roles import Permission
from relais.core.scoping import has_permission, scope_for

from .models import ListeningNote, Referral, SupervisorDesignation


class VisitPolicy:
    @staticmethod
    def readable_by(user) -> Q:
        return scope_for(user, Permission.HUB_DESK).q(
            territory="territory_path", organisation="organisation_path"
        )

    @staticmethod
    def can_record_at(user, centre) -> bool:
        return scope_for(user, Permission.HUB_DESK).covers(
            territory_path=centre.territory_path, organisation_path=centre.path
        )


class NotePolicy:
    @staticmethod
    def is_supervisor(user, centre_id) -> bool:
        return SupervisorDesignation.objects.filter(
            centre_id=centre_id, user=user
        ).exists()

    @classmethod
    def can_read(cls, user, note: ListeningNote) -> bool:
        return note.author_id == user.pk or cls.is_supervisor(
            user, note.visit.centre_id
        )

    @staticmethod
    def readable_texts(user) -> Q:
        """Notes whose text the user may read, as a filter (for lists and exports)."""
        supervised = SupervisorDesignation.objects.filter(
            centre_id=OuterRef("visit__centre_id"), user=user
        )
        return Q(author=user) | Q(Exists(supervised))


class ReferralPolicy:
    @staticmethod
    def sender_q(user) -> Q:
        return scope_for(user, Permission.HUB_DESK).q(
            territory="territory_path", organisation="organisation_path"
        )

    @staticmethod
    def receiver_q(user) -> Q:
        """Referrals sent to the user's side: drafts stay with their sender."""
        return scope_for(user, Permission.REFERRAL_RECEIVE).q(
            territory="to_territory_path", organisation="to_organisation_path"
        ) & ~Q(status=Referral.Status.DRAFT)

    @classmethod
    def readable_by(cls, user) -> Q:
        return cls.sender_q(user) | cls.receiver_q(user)

    @staticmethod
    def is_sender(user, referral) -> bool:
        return scope_for(user, Permission.HUB_DESK).covers(
            territory_path=referral.territory_path,
            organisation_path=referral.organisation_path,
        )

    @staticmethod
    def is_receiver(user, referral) -> bool:
        if referral.status == Referral.Status.DRAFT:
            return False
        return scope_for(user, Permission.REFERRAL_RECEIVE).covers(
            territory_path=referral.to_territory_path,
            organisation_path=referral.to_organisation_path,
        )


class ServicePolicy:
    @staticmethod
    def can_edit(user, provider) -> bool:
        return scope_for(user, Permission.HUB_MANAGE).covers(
            territory_path=provider.territory_path, organisation_path=provider.path
        )


class DashboardPolicy:
    @staticmethod
    def scope(user):
        """Dashboards: the dashboard scope, and the desk staff's own centres."""
        dashboard = scope_for(user, Permission.HUB_DASHBOARD)
        desk = scope_for(user, Permission.HUB_DESK)
        return dashboard.territory_paths + desk.territory_paths, (
            dashboard.organisation_paths + desk.organisation_paths
        )

    @staticmethod
    def allowed(user) -> bool:
        return has_permission(user, Permission.HUB_DASHBOARD) or has_permission(
            user, Permission.HUB_DESK
        )
