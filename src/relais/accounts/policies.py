"""Who may manage accounts and read the audit log."""

from relais.core.models import AuditEvent
from relais.core.roles import Permission
from relais.core.scoping import scope_for


class AccountPolicy:
    @staticmethod
    def can_manage(user) -> bool:
        # Accounts grant scope anywhere in the country: only the programme unit's
        # national administrators hand them out.
        return not scope_for(user, Permission.ACCOUNT_MANAGE).is_empty


class AuditPolicy:
    @staticmethod
    def readable_events(user):
        scope = scope_for(user, Permission.AUDIT_VIEW)
        return AuditEvent.objects.filter(
            scope.q(territory="territory_path", organisation="organisation_path")
        )
