"""A fixed-window counter in the cache, for the public lookup (docs/architecture.md §13).

`cache.add` + `cache.incr` are atomic on Redis and Memcached, so several web processes sharing
one cache share the counts. With Django's default local-memory cache each process counts alone
(the embedded single-process mode); a multi-process installation should point
`LOOKUP_RATE_CACHE` at a shared cache.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches


@dataclass(frozen=True)
class Limit:
    attempts: int
    seconds: int


def _cache():
    return caches[settings.LOOKUP_RATE_CACHE]


def _window() -> int:
    return settings.LOOKUP_RATE_WINDOW_SECONDS


def ip_limit() -> Limit:
    """Attempts per client address and window (all lookups count)."""
    return Limit(settings.LOOKUP_RATE_IP_ATTEMPTS, _window())


def code_limit() -> Limit:
    """Failed attempts per dossier code and window, whatever the address (guessing one code's
    second factor from many addresses)."""
    return Limit(settings.LOOKUP_RATE_CODE_ATTEMPTS, _window())


def hit(key: str, limit: Limit) -> int:
    """Count one attempt in the current window; returns the count including this one."""
    cache = _cache()
    cache.add(key, 0, timeout=limit.seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=limit.seconds)
        return 1


def count(key: str) -> int:
    return _cache().get(key, 0)
