"""Who may import which kind of file, and which imports they may read.

People go into an organisation the importer may affiliate people to; the
records of sessions (enrolments, attendance, scores) are for session managers,
and each row's session is checked again against the importer's reach. An
import is read by its author and by those who may edit people where it went.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.core.access import Policy
from relais.core.roles import Permission
from relais.core.scoping import has_permission, scope_for
from relais.people.policies import PersonPolicy

from .models import ImportJob


class ImportPolicy(Policy):
    actions = {
        # The import pages at all; refused, they are not found.
        "use": _("Page not found"),
        "import_people": _("You cannot add people to this organisation."),
        "import_records": _("You cannot import the records of sessions."),
        # A dry run's report names the people its author's dry run matched,
        # within the author's reach: for the author only.
        "read_report": _("Page not found"),
    }

    @classmethod
    def readable(cls, user) -> Q:
        """One's own imports, and those into organisations of one's scope."""
        return Q(created_by=user) | scope_for(user, Permission.PERSON_EDIT).q(
            territory="territory_path", organisation="organisation_path"
        )

    @staticmethod
    def action_for(kind: str) -> str:
        """The action importing a file of this kind is."""
        return "import_people" if kind == ImportJob.Kind.PEOPLE else "import_records"

    @staticmethod
    def _can_use(user, obj=None) -> bool:
        return has_permission(user, Permission.PERSON_EDIT)

    @staticmethod
    def _can_import_people(user, organisation) -> bool:
        return organisation is not None and PersonPolicy.can(
            user, "affiliate", organisation
        )

    @staticmethod
    def _can_import_records(user, obj=None) -> bool:
        """Enrolments, attendance and scores across sessions: session managers."""
        return has_permission(user, Permission.SESSION_MANAGE)

    @staticmethod
    def _can_read_report(user, job) -> bool:
        return job.created_by_id == user.pk
