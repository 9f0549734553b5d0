"""Counters per fixed window of time, kept in the shared cache.

The cache, not process memory, holds them, so a count holds across requests and
across the app servers and workers that share the cache. A window is a slice of
clock time (this minute, this hour); its counter expires soon after it ends.
"""

import time

from django.core.cache import cache

HOUR = 3600


def _key(name: str, window: int) -> str:
    return f"count:{name}:{window}:{int(time.time() // window)}"


def hit(name: str, *, window: int) -> int:
    """Add one to the counter `name` of the current window; return its new value."""
    key = _key(name, window)
    cache.add(key, 0, timeout=2 * window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=2 * window)
        return 1


def value(name: str, *, window: int) -> int:
    """The counter `name` of the current window, without changing it."""
    return cache.get(_key(name, window), 0)
