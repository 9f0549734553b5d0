"""Log-in lock-out: django-axes's rule per account and address, and one per address.

Axes counts failed log-ins per (account, address) and locks that pair after
AXES_FAILURE_LIMIT failures: someone guessing one account's password is stopped
without locking its owner out from elsewhere. It does not stop one address
trying a few passwords on each of many accounts (password spraying), so this
handler adds a second rule: an address whose failed log-ins, all accounts
together, reach RELAIS_ADDRESS_FAILURE_LIMIT within the cool-off period is
locked as a whole for the cool-off period. Both rules read axes's own table of
attempts, in the database that every app server shares.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


class LockoutHandler(AxesDatabaseHandler):
    def address_failures(self, request) -> int:
        """Failed log-ins from the request's address within the cool-off period."""
        total = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        return total or 0

    def address_locked(self, request) -> bool:
        return self.address_failures(request) >= settings.RELAIS_ADDRESS_FAILURE_LIMIT

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out:
            return
        if self.address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=credentials.get("username"),
                ip_address=request.axes_ip_address,
            )
