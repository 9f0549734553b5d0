"""Where the current request came from, for the audit log, the rate limits and
the log-in lock-out.

A context variable rather than a thread-local: it is set per request by
RequestContextMiddleware and is empty in commands and tasks.
"""

import ipaddress
from contextvars import ContextVar

from django.conf import settings

request_ip: ContextVar[str | None] = ContextVar("request_ip", default=None)


def client_ip(request) -> str | None:
    """The client's address: the one place that decides it.

    With RELAIS_TRUSTED_PROXIES = 0 (nothing in front of the app) the socket's
    address is the client and X-Forwarded-For is ignored: anyone can write it.
    Behind N reverse proxies, each appends the address it received the request
    from, so the client is the N-th entry from the right; whatever stands left
    of it was written by the client and is not believed. A header too short to
    have been written by N proxies, or an entry that is not an address, falls
    back to the socket's address.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.RELAIS_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    entries = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(entries) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-proxies]))
    except ValueError:
        return remote
