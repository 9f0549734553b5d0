"""Middleware of Relais: where a request came from, what the browser may run,
when a session is renewed, what may cache an answer, and which pages not found
the audit log hears of."""

import time

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control

from . import counters
from .audit import audit
from .caching import forbid_storing
from .context import client_ip, request_ip


class RequestContextMiddleware:
    """The client address of the current request, for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            request_ip.reset(token)


class NullCharacterMiddleware:
    """A request with a NUL character in a parameter gets a 400 with a message.

    No one types one, and PostgreSQL refuses it in text: a search or a filter
    that passed it on would end in a server error instead of an answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for data in (request.GET, request.POST):
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return render(request, "core/bad_request.html", status=400)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    A few lines of our own rather than a package: the policy is one fixed string
    (no nonce, since no page has an inline script), built once from the settings.
    The CSP setting has the shape of Django 6's SECURE_CSP, so that moving to
    Django's own middleware later is a change of one line in MIDDLEWARE.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = "; ".join(
            " ".join([directive, *sources])
            for directive, sources in settings.SECURE_CSP.items()
        )
        self.permissions = ", ".join(
            f"{feature}=()" for feature in settings.RELAIS_DENIED_FEATURES
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


class SessionRenewalMiddleware:
    """A session ends after SESSION_IDLE_MINUTES without a request; a request
    renews it, at most once every RELAIS_SESSION_RENEW_SECONDS.

    Renewing on every request (SESSION_SAVE_EVERY_REQUEST) wrote the session
    row on every page, a database write and commit per read. Marking the session
    changed once a minute keeps the idle limit to within that minute and leaves
    the other requests read-only. A session with nothing in it (a visitor not
    logged in) is not created for this.
    """

    RENEWED = "renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        if session.is_empty() or session.modified:
            return response
        due = session.get(self.RENEWED, 0) + settings.RELAIS_SESSION_RENEW_SECONDS
        if time.time() >= due:
            self.renew(session)
        return response

    @classmethod
    def renew(cls, session) -> None:
        """Mark the session changed: Django saves it with a new expiry."""
        session[cls.RENEWED] = int(time.time())


class PrivateCacheMiddleware:
    """Whatever a logged-in user sees is for them alone: a response to them that
    says nothing about caching gets `Cache-Control: private`, so that no shared
    cache (a proxy of a ministry office, say) keeps it for the next person.

    Pages of confidential content say more with relais.core.caching.no_store;
    so does every page of the namespaces in RELAIS_NO_STORE_NAMESPACES (imports:
    previews of uploaded files and their reports).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.user.is_authenticated:
            return response
        match = request.resolver_match
        if match is not None and set(match.namespaces) & set(
            settings.RELAIS_NO_STORE_NAMESPACES
        ):
            forbid_storing(response)
        elif not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True)
        return response


class NotFoundWalkMiddleware:
    """Count, per user, the pages not found on URLs that name an object.

    Someone trying ids one after another (`/people/101/`, `/people/102/`…) gets
    404 after 404, for people out of their scope as for people who do not exist.
    Each such 404 (a URL whose pattern has a `pk` or `…_pk` argument) adds one to
    the user's counter of the current clock hour, kept in the shared cache
    (relais.core.counters): no database write per request. When the counter
    reaches one of RELAIS_NOT_FOUND_THRESHOLDS (10, 100, 1,000), one audit event
    `navigation.not_found` is written with the count, the hour and the last URL.
    A user who mistypes a link now and then writes nothing; one who walks
    through ids writes at most a few events an hour, each saying how far they
    went. Mistyped addresses (no pattern matched) are not counted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and self._names_an_object(request):
            self._count(request)
        return response

    @staticmethod
    def _names_an_object(request) -> bool:
        match = request.resolver_match
        return (
            match is not None
            and request.user.is_authenticated
            and any(name == "pk" or name.endswith("_pk") for name in match.kwargs)
        )

    @staticmethod
    def _count(request) -> None:
        count = counters.hit(f"not-found:{request.user.pk}", window=counters.HOUR)
        if count not in settings.RELAIS_NOT_FOUND_THRESHOLDS:
            return
        hour = timezone.now().replace(minute=0, second=0, microsecond=0)
        audit(
            request.user,
            "navigation.not_found",
            request.user,
            details={
                "count": count,
                "since": hour.isoformat(),
                "last": request.path[:255],
            },
        )
