"""Who may read the territory: the places are public reference data (the HCP's
regions, provinces and communes), the same for everyone logged in.

Honest and small: no role narrows them, since every scope is cut from them; the
log-in itself is asked for by the middleware, and this says the same in rows.
"""

from django.db.models import Q

from relais.core.access import Policy


class TerritoryPolicy(Policy):
    @classmethod
    def readable(cls, user) -> Q:
        if getattr(user, "is_authenticated", False):
            return Q()
        return Q(pk__in=[])
