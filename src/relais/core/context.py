"""Where the current request came from, for the audit log.

A context variable rather than a thread-local: it is set per request by
RequestContextMiddleware and is empty in commands and tasks.
"""

from contextvars import ContextVar

request_ip: ContextVar[str | None] = ContextVar("request_ip", default=None)


def client_ip(request) -> str | None:
    """The client address as the reverse proxy or the socket saw it."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None
