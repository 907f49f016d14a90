"""Where a read comes from: the client address and the page, for the access log.

The selectors that hand personal data to a staff member write the access record themselves
(privacy.services.record_access), so no page can forget it; but a selector has no request. The
middleware below puts the request's channel in a context variable for the length of the request,
and the selectors' signatures stay (user, what). Outside a request — a management command, a
background task — the channel is "system:<command>" with no address; code that runs elsewhere
may name its channel with `using(...)`.
"""

import ipaddress
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Channel:
    address: str | None  # REMOTE_ADDR (as accounts.lockout.client_address: never X-Forwarded-For)
    page: str  # the resolved URL name ("desk:dossier"), or "system:<command>"
    path: str  # the path that was asked for, without the query string


_current: ContextVar[Channel | None] = ContextVar("motcua_access_channel", default=None)


def _system_page() -> str:
    argv = sys.argv or [""]
    if argv[0].endswith("manage.py") and len(argv) > 1:
        return f"system:{argv[1]}"[:200]
    return "system"


def current() -> Channel:
    return _current.get() or Channel(address=None, page=_system_page(), path="")


def _address(raw: str | None) -> str | None:
    # Stored in an address column: something that is not an address (a misconfigured proxy) is
    # kept as unknown rather than failing the read it accompanies.
    try:
        return str(ipaddress.ip_address((raw or "").strip()))
    except ValueError:
        return None


@contextmanager
def using(page: str, *, address: str | None = None, path: str = ""):
    token = _current.set(Channel(address=_address(address), page=page[:200], path=path[:500]))
    try:
        yield
    finally:
        _current.reset(token)


class AccessContextMiddleware:
    """Sets the channel for the request; the page becomes the URL name once the URL is resolved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(Channel(address=_address(request.META.get("REMOTE_ADDR")),
                                     page=request.path[:200], path=request.path[:500]))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        channel = _current.get()
        if channel is not None and match is not None and match.view_name:
            _current.set(replace(channel, page=match.view_name[:200]))
        return None
