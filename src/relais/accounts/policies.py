"""Who may manage accounts and read the audit log."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.core.access import Policy
from relais.core.roles import Permission
from relais.core.scoping import scope_for


class AccountPolicy(Policy):
    actions = {"manage": _("You cannot manage accounts.")}

    @staticmethod
    def _can_manage(user, account=None) -> bool:
        # Accounts grant scope anywhere in the country: only the programme unit's
        # national administrators hand them out. Whoever may manage one account
        # may manage them all, so `account` (which one, if any) changes nothing.
        return not scope_for(user, Permission.ACCOUNT_MANAGE).is_empty


class AuditPolicy(Policy):
    @classmethod
    def readable(cls, user) -> Q:
        """The audit events the user may read, as a filter on AuditEvent."""
        return scope_for(user, Permission.AUDIT_VIEW).q(
            territory="territory_path", organisation="organisation_path"
        )
