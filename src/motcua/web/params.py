"""What a view reads from the query string or a form, parsed in one place (issue #16).

No input a visitor can type answers 500, and no redirect follows a URL a visitor supplied unless
it stays on this site. The rule, the same on every page:

- ``next`` (where to go after logging in, registering, a bulk action …): `next_url` keeps it only
  when it is a path on this site (`url_has_allowed_host_and_scheme` with the request's own host,
  HTTPS required on an HTTPS request, and a leading "/"); anything else is silently replaced by
  the page's default. `redirect()` never receives the visitor's string: a bare "4" would be read
  by `resolve_url` as a URL name (NoReverseMatch, a 500), "//evil.example" as another site.
- A **filter or option** of a list or report (a date, a choice, a page number): a value that
  does not parse is ignored — the page falls back to its default — and a visible message names
  the parameter, so the visitor knows why the page shows something other than what they asked.
- A **NUL character** in any query or form value answers 400 naming the parameter
  (`NulGuardMiddleware`): PostgreSQL cannot hold one in text, so no view could do anything
  sensible with it, and refusing it once, before any view, spares every search box its own check.
- An **identifier** that chooses what the page is about (`int_param`): a value that is not a
  positive whole number answers 400 with a Vietnamese message naming the parameter (there is no
  sensible default to fall back on). A well-formed identifier the user may not see stays the
  selectors' business (404, never a hint). `BadParam` is a `MotcuaError`: the refusal middleware
  shows it with status 400.
"""

from datetime import date

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from motcua.errors import BadParam

# Primary keys are bigint (DEFAULT_AUTO_FIELD): a larger number cannot name a row, and PostgreSQL
# refuses it in a query instead of answering "no row".
MAX_ID = 2**63 - 1
# Wider than any period the statistics or the log book can mean, narrow enough that the date's
# midnight converts to an aware datetime in any time zone (year 1 would overflow).
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2199, 12, 31)
# Hidden from the messages: a parameter's value is echoed at most this long.
ECHO_CHARS = 40


def _echo(value: str) -> str:
    value = "".join(ch for ch in value if ch.isprintable())
    return value if len(value) <= ECHO_CHARS else value[:ECHO_CHARS] + "…"


def _ignored(request, name: str, value: str, expected: str) -> None:
    messages.warning(request, f"Đã bỏ qua tham số «{name}» không hợp lệ ({_echo(value)!r}): {expected}.")


# --- next ------------------------------------------------------------------------------------------


def safe_url(request, url: str | None) -> str:
    """`url` when it is a path on this site, else ""."""
    if not url or not url.startswith("/"):
        return ""
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return ""
    return url


def next_url(request, default: str) -> str:
    """The `next` of the form (POST) or the query string (GET) when safe, else `default` (a URL
    name or a path of ours)."""
    given = request.POST.get("next") or request.GET.get("next") or ""
    return safe_url(request, given) or resolve_url(default)


def redirect_next(request, default: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(next_url(request, default))


# --- values ----------------------------------------------------------------------------------------


def parse_id(value: str | None) -> int | None:
    """A primary key from a string, or None when it cannot be one (a form's choice of a row
    answers "not found" through its own message)."""
    value = (value or "").strip()
    # isascii: str.isdigit() also accepts "²" and other digits that int() refuses.
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= MAX_ID:
        return None
    return int(value)


def int_param(request, name: str, *, source: str = "GET") -> int | None:
    """A positive identifier; None when absent or empty; BadParam (400) when malformed."""
    value = getattr(request, source).get(name, "").strip()
    if not value:
        return None
    parsed = parse_id(value)
    if parsed is None:
        raise BadParam(f"Tham số «{name}» phải là một số nguyên dương (nhận được {_echo(value)!r}).", name)
    return parsed


def date_param(request, name: str, default: date | None = None) -> date | None:
    """A date YYYY-MM-DD; `default` when absent; ignored with a message when malformed."""
    value = request.GET.get(name, "").strip()
    if not value:
        return default
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or not MIN_DATE <= parsed <= MAX_DATE:
        _ignored(request, name, value, "cần một ngày có thật dạng NNNN-TT-NN")
        return default
    return parsed


def choice_param(request, name: str, choices, default: str = "") -> str:
    """One of `choices`; `default` when absent; ignored with a message when not one of them."""
    value = request.GET.get(name, "")
    if not value:
        return default
    if value not in choices:
        _ignored(request, name, value, "giá trị không có trong danh sách")
        return default
    return value


class NulGuardMiddleware:
    """400 for a NUL character in any query or form value (see the module's rule). Runs in
    process_view, after CsrfViewMiddleware has parsed the form anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for data in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
            for name, values in data.lists():
                if any("\x00" in value for value in values) or "\x00" in name:
                    error = BadParam(f"Tham số «{_echo(name)}» chứa ký tự không hợp lệ (NUL).", name)
                    if "api" in getattr(request.resolver_match, "namespaces", ()):
                        # The API answers every error as a problem document (api/errors.py).
                        from motcua.api.errors import PROBLEM, TITLES

                        return JsonResponse({"type": "about:blank", "title": str(TITLES[400]), "status": 400,
                                             "detail": error.message, "field": name},
                                            status=400, content_type=PROBLEM)
                    return render(request, "web/refused.html", {"error": error}, status=400)
        return None
