"""A fixed-window rate limit per client address, kept in the shared cache.

The cache, not process memory, holds the counters, so the limit holds across
requests and workers that share it.
"""

import time
from functools import wraps

from django.core.cache import cache
from django.shortcuts import render

from .context import client_ip


def rate_limited(*, per_minute: int, scope: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            window = int(time.time() // 60)
            key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
            cache.add(key, 0, timeout=120)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=120)
                count = 1
            if count > per_minute:
                response = render(request, "core/rate_limited.html", status=429)
                response["Retry-After"] = "60"
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
