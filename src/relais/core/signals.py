"""Log-ins and failed log-ins go to the audit log; a log-in starts its
session's idle period."""

from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from .audit import audit
from .context import client_ip
from .middleware import SessionRenewalMiddleware


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit(user, "auth.login", ip=client_ip(request) if request else None)


@receiver(user_logged_in)
def start_idle_period(sender, request, user, **kwargs):
    # The new session is saved with a whole idle period: no renewal is due.
    if request is not None and hasattr(request, "session"):
        SessionRenewalMiddleware.renew(request.session)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit(user, "auth.logout", ip=client_ip(request) if request else None)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # The password never reaches the log; the user name tried does.
    audit(
        None,
        "auth.login_failed",
        details={"username": str(credentials.get("username", ""))[:150]},
        ip=client_ip(request) if request else None,
    )
