"""A fixed-window rate limit per client address (relais.core.counters)."""

from functools import wraps

from django.shortcuts import render

from . import counters
from .context import client_ip


def rate_limited(*, per_minute: int, scope: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            count = counters.hit(f"ratelimit:{scope}:{client_ip(request)}", window=60)
            if count > per_minute:
                response = render(request, "core/rate_limited.html", status=429)
                response["Retry-After"] = "60"
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
