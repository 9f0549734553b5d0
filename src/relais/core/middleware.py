"""Middleware of Relais: where a request came from, and what may cache its answer."""

from django.conf import settings
from django.utils.cache import patch_cache_control

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
            from .caching import forbid_storing

            forbid_storing(response)
        elif not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True)
        return response
