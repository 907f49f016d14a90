"""Login throttling: a counter of failed attempts per (identifier, client address) in the cache.

Keyed on the pair, as asked for a citizen login: a guesser is stopped on one account from one
address, while someone else's wrong guesses cannot lock the real owner out from their own
address (a per-identifier-only counter would let anyone lock any account). The window is fixed
from the first failure (the counter's expiry is not pushed back by further failures).

The default cache is per process (LocMemCache): with several web processes each keeps its own
count, so production should configure a shared cache (Redis) — see README.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _limit() -> int:
    return settings.LOGIN_THROTTLE_ATTEMPTS


def window_seconds() -> int:
    return settings.LOGIN_THROTTLE_SECONDS


def _key(identifier: str, address: str) -> str:
    # Hashed: the cache (possibly a shared Redis) should not hold phone numbers in clear.
    digest = hashlib.sha256(f"{identifier}\n{address}".encode()).hexdigest()
    return f"motcua:login-fail:{digest}"


def is_blocked(identifier: str, address: str) -> bool:
    return cache.get(_key(identifier, address), 0) >= _limit()


def record_failure(identifier: str, address: str) -> None:
    key = _key(identifier, address)
    cache.add(key, 0, timeout=window_seconds())
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds())


def reset(identifier: str, address: str) -> None:
    cache.delete(_key(identifier, address))


def client_address(request) -> str:
    """REMOTE_ADDR only: X-Forwarded-For is whatever the client writes unless a trusted proxy
    sets it, and trusting it would let a guesser pick a fresh "address" per attempt. Behind a
    proxy, the proxy (or a middleware configured for it) must put the real address here."""
    return request.META.get("REMOTE_ADDR", "")
