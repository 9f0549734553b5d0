"""Who may read the cascade's figures, and who sets its targets.

The figures (dashboards, drill-downs, projections, the report to the minister)
are read within the dashboard scope; the names behind them only where the
people's own policy lets the reader see them. Targets are set by those who
manage targets, on the country or the regions of their scope.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.core.access import Policy
from relais.core.roles import Permission
from relais.core.scoping import Scope, has_permission, scope_for


class CascadePolicy(Policy):
    """The cascade's figures: a page refused is not found, like any other."""

    actions = {
        "read": _("Page not found"),
        "report": _("Page not found"),
    }

    @staticmethod
    def scope(user) -> Scope:
        """The dashboard scope itself, not a filter: the figures come from a
        dozen tables whose paths have as many names, and each selector cuts
        the scope with its own (see monitoring.selectors)."""
        return scope_for(user, Permission.CASCADE_DASHBOARD)

    @staticmethod
    def _can_read(user, obj=None) -> bool:
        return has_permission(user, Permission.CASCADE_DASHBOARD)

    @staticmethod
    def _can_report(user, obj=None) -> bool:
        """The note to the minister and its workbook."""
        return has_permission(user, Permission.MINISTER_REPORT)

    @staticmethod
    def sees_people(user) -> bool:
        """Whether the drill-downs list rows with names for `user`, or counts
        only; each name is then shown where PersonPolicy lets `user` see it."""
        return has_permission(user, Permission.PERSON_VIEW)


class TargetPolicy(Policy):
    actions = {"manage": _("You cannot set targets for this territory.")}

    @staticmethod
    def territories(user) -> Q:
        """The places the user may set targets for, as a filter on Territory."""
        return scope_for(user, Permission.TARGET_MANAGE).q(
            territory="path", organisation=None
        )

    @staticmethod
    def _can_manage(user, target=None) -> bool:
        """Set or delete this target; without one, set targets anywhere at all."""
        scope = scope_for(user, Permission.TARGET_MANAGE)
        if target is None:
            return not scope.is_empty
        return scope.covers(territory_path=target.territory.path)
