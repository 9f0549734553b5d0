"""Who sees what at the hub desk.

Visits and their referrals belong to the centre that received the person; the
receiving side of a referral sees it too, once it is sent: a draft has no
consent yet, so nothing of it leaves the referring centre. A listening note's
text is for its author and the centre's designated supervisors only; others
with access to the visit see that a note exists, never what it says.

Every policy has the shape of `relais.core.access.Policy`. The actions marked so
may be asked with no object: whether the user may do it anywhere at all (to offer
a page or a button before there is an object to ask about).
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from relais.core.access import Policy
from relais.core.roles import Permission
from relais.core.scoping import NATIONAL_PATH, Scope, has_permission, scope_for

from .models import Referral, SupervisorDesignation


def _desk_covers(user, centre) -> bool:
    return scope_for(user, Permission.HUB_DESK).covers(
        territory_path=centre.territory_path, organisation_path=centre.path
    )


class VisitPolicy(Policy):
    """Visits, and what is written on them, belong to the receiving centre's desk."""

    actions = {
        # Record a visit at a centre; with no centre, at any centre at all.
        "record": _("You cannot record visits at this centre."),
        # The others take the visit.
        "open_file": _("You cannot change this visit."),
        "write_note": _("You cannot write notes for this visit."),
        "record_consent": _("You cannot record consent for this visit."),
        "refer": _("You cannot refer from this visit."),
    }

    @staticmethod
    def readable(user) -> Q:
        return scope_for(user, Permission.HUB_DESK).q(
            territory="territory_path", organisation="organisation_path"
        )

    @staticmethod
    def _can_record(user, centre=None) -> bool:
        if centre is None:
            return has_permission(user, Permission.HUB_DESK)
        return _desk_covers(user, centre)

    @staticmethod
    def _where_record(user) -> Q:
        """The organisations (centres among them) where the user records visits."""
        return scope_for(user, Permission.HUB_DESK).q(
            territory="territory_path", organisation="path"
        )

    @staticmethod
    def _can_open_file(user, visit) -> bool:
        return _desk_covers(user, visit.centre)

    @staticmethod
    def _can_write_note(user, visit) -> bool:
        return _desk_covers(user, visit.centre)

    @staticmethod
    def _can_record_consent(user, visit) -> bool:
        return _desk_covers(user, visit.centre)

    @staticmethod
    def _can_refer(user, visit) -> bool:
        return _desk_covers(user, visit.centre)


class ConsentPolicy(Policy):
    actions = {"withdraw": _("You cannot change this consent.")}

    @staticmethod
    def _can_withdraw(user, consent) -> bool:
        return bool(consent.visit_id) and _desk_covers(user, consent.visit.centre)


class NotePolicy(Policy):
    """A note's text: its author and the centre's designated supervisors."""

    actions = {
        "read_text": _("Only the author and the centre's supervisors read this note."),
        # Supervise a centre's notes (see and co-sign them), given the centre.
        "supervise": _("Only a designated supervisor of the centre co-signs notes."),
        "cosign": _("Only a designated supervisor of the centre co-signs notes."),
    }

    @staticmethod
    def _is_supervisor(user, centre_id) -> bool:
        return SupervisorDesignation.objects.filter(
            centre_id=centre_id, user=user
        ).exists()

    @classmethod
    def _can_read_text(cls, user, note) -> bool:
        return note.author_id == user.pk or cls._is_supervisor(
            user, note.visit.centre_id
        )

    @staticmethod
    def _where_read_text(user) -> Q:
        """Notes whose text the user may read, as a filter (for lists and exports)."""
        supervised = SupervisorDesignation.objects.filter(
            centre_id=OuterRef("visit__centre_id"), user=user
        )
        return Q(author=user) | Q(Exists(supervised))

    @classmethod
    def _can_supervise(cls, user, centre) -> bool:
        return cls._is_supervisor(user, centre.pk)

    @classmethod
    def _can_cosign(cls, user, note) -> bool:
        return cls._is_supervisor(user, note.visit.centre_id)


class ReferralPolicy(Policy):
    """A referral has two sides: the referring centre's desk and, once it is
    sent, the receiving organisation."""

    actions = {
        # Never refused in words: who may open the list of referrals at all.
        "list": _("Page not found"),
        # The referring side's: send the draft, see the visit and its consents.
        "send": _("You cannot send this referral."),
        # Never refused in words: `referral_send` names the missing consent.
        "override_consent": _("Page not found"),
        # The receiving side's: accept, decline, start, complete.
        "answer": _("Only the receiving side can do this."),
        # Either side's.
        "close": _("You cannot close this referral."),
        "follow": _("You cannot follow this referral."),
    }

    @classmethod
    def readable(cls, user) -> Q:
        return cls.readable_as_sender(user) | cls.readable_as_receiver(user)

    @staticmethod
    def readable_as_sender(user) -> Q:
        """The referring side's half of `readable` (the "sent" box)."""
        return scope_for(user, Permission.HUB_DESK).q(
            territory="territory_path", organisation="organisation_path"
        )

    @staticmethod
    def readable_as_receiver(user) -> Q:
        """The receiving side's half of `readable` (the "received" box): drafts
        stay with their sender."""
        return scope_for(user, Permission.REFERRAL_RECEIVE).q(
            territory="to_territory_path", organisation="to_organisation_path"
        ) & ~Q(status=Referral.Status.DRAFT)

    @staticmethod
    def _can_list(user, referral=None) -> bool:
        return has_permission(user, Permission.HUB_DESK) or has_permission(
            user, Permission.REFERRAL_RECEIVE
        )

    @staticmethod
    def _can_send(user, referral) -> bool:
        return scope_for(user, Permission.HUB_DESK).covers(
            territory_path=referral.territory_path,
            organisation_path=referral.organisation_path,
        )

    @staticmethod
    def _can_override_consent(user, referral) -> bool:
        return scope_for(user, Permission.CONSENT_OVERRIDE).covers(
            territory_path=referral.territory_path,
            organisation_path=referral.organisation_path,
        )

    @staticmethod
    def _can_answer(user, referral) -> bool:
        if referral.status == Referral.Status.DRAFT:
            return False
        return scope_for(user, Permission.REFERRAL_RECEIVE).covers(
            territory_path=referral.to_territory_path,
            organisation_path=referral.to_organisation_path,
        )

    @classmethod
    def _can_close(cls, user, referral) -> bool:
        return cls._can_send(user, referral) or cls._can_answer(user, referral)

    @classmethod
    def _can_follow(cls, user, referral) -> bool:
        return cls._can_send(user, referral) or cls._can_answer(user, referral)


class ServicePolicy(Policy):
    """The catalogue, and who supervises a centre's notes: the hub's managers of
    the providing organisation."""

    actions = {
        # Edit a provider's services; with no provider, any provider's at all.
        "edit": _("You cannot edit the services of this organisation."),
        "designate_supervisors": _("You cannot designate supervisors for this centre."),
    }

    @staticmethod
    def _can_edit(user, provider=None) -> bool:
        if provider is None:
            return has_permission(user, Permission.HUB_MANAGE)
        return scope_for(user, Permission.HUB_MANAGE).covers(
            territory_path=provider.territory_path, organisation_path=provider.path
        )

    @staticmethod
    def _where_edit(user) -> Q:
        """The organisations whose services (and supervisors) the user manages."""
        return scope_for(user, Permission.HUB_MANAGE).q(
            territory="territory_path", organisation="path"
        )

    @classmethod
    def _can_designate_supervisors(cls, user, centre) -> bool:
        return cls._can_edit(user, centre)


def dashboard_scope(user) -> Scope:
    """The dashboards' reach: the dashboard scope, and the desk staff's own centres."""
    dashboard = scope_for(user, Permission.HUB_DASHBOARD)
    desk = scope_for(user, Permission.HUB_DESK)
    return Scope(
        tuple(set(dashboard.territory_paths + desk.territory_paths)),
        tuple(set(dashboard.organisation_paths + desk.organisation_paths)),
    )


class DashboardPolicy(Policy):
    """The hub's figures: visits and referrals within `dashboard_scope`."""

    # Never refused in words: who may open the dashboard at all.
    actions = {"view": _("Page not found")}

    @staticmethod
    def readable(user) -> Q:
        return dashboard_scope(user).q(
            territory="territory_path", organisation="organisation_path"
        )

    @staticmethod
    def _can_view(user, obj=None) -> bool:
        return has_permission(user, Permission.HUB_DASHBOARD) or has_permission(
            user, Permission.HUB_DESK
        )


class HubSettingsPolicy(Policy):
    actions = {
        # Never refused in words: who may open the settings page at all.
        "view": _("Page not found"),
        "change": _("Only the programme unit sets the hub's rules."),
    }

    @staticmethod
    def _can_view(user, obj=None) -> bool:
        return has_permission(user, Permission.HUB_SETTINGS)

    @staticmethod
    def _can_change(user, obj=None) -> bool:
        return scope_for(user, Permission.HUB_SETTINGS).covers(
            territory_path=NATIONAL_PATH
        )


class DataRequestPolicy(Policy):
    """Requests under law 09-08, handled where the person belongs."""

    actions = {
        # Record a request for a person; with no person, for anyone at all.
        "record": _("You cannot handle data-protection requests here."),
        "handle": _("You cannot handle data-protection requests here."),
        # Export the person's file: a handler other than the one who recorded
        # the request (`handle` is required first, for its own message).
        "export": _(
            "You recorded this request: another handler exports the person's file."
        ),
    }

    @staticmethod
    def readable(user) -> Q:
        return scope_for(user, Permission.DATA_PROTECTION).q(
            territory="territory_path", organisation=None
        )

    @staticmethod
    def _can_record(user, person=None) -> bool:
        scope = scope_for(user, Permission.DATA_PROTECTION)
        if person is None:
            return not scope.is_empty
        path, _organisation = person.home_paths()
        return scope.covers(territory_path=path)

    @staticmethod
    def _can_handle(user, data_request) -> bool:
        return scope_for(user, Permission.DATA_PROTECTION).covers(
            territory_path=data_request.territory_path
        )

    @classmethod
    def _can_export(cls, user, data_request) -> bool:
        return cls._can_handle(user, data_request) and (
            data_request.recorded_by_id is None
            or data_request.recorded_by_id != user.pk
        )
