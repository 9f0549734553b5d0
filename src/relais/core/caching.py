"""Pages that no cache may keep, not even the browser's.

Use `no_store` on views whose page shows confidential content: a listening
note, a CIN in full, a person file, an import's preview or report. Every other
page of a logged-in user is at least `private` (core.middleware).
"""

from functools import wraps

from django.utils.cache import add_never_cache_headers, patch_cache_control


def forbid_storing(response):
    """`Cache-Control: no-store` (and no-cache, private, max-age=0) on `response`."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def no_store(view):
    """A view whose pages no cache may keep."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return forbid_storing(view(request, *args, **kwargs))

    return wrapper
