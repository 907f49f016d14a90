"""The one error type of MộtCửa, and the one place that turns it into what a person sees.

Every refused action and every invalid input raises `MotcuaError` (or a subclass a caller needs
to tell apart): a Vietnamese message a person can act on, and `field`, the input at fault ("" when
the refusal is about the dossier or the user rather than one input). Pages, forms and (later) the
REST API present it through the helpers below, so a message reads the same on every face.
"""

from __future__ import annotations


class MotcuaError(Exception):
    """A refused action or invalid input: `message` in Vietnamese, `field` the input at fault."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = str(message)
        self.field = field or ""

    def __str__(self) -> str:
        return self.message


class NotPermitted(MotcuaError):
    """The actor may not do this (role, agency, ownership). Pages answer it like any refusal;
    an API answers 403 instead of 422."""


class BadParam(MotcuaError):
    """A malformed query or form parameter that a page cannot do without (`web.params`): 400,
    with the message naming the parameter."""


# --- presentation: one place ----------------------------------------------------------------------


def add_to_messages(request, exc: MotcuaError) -> None:
    """A refusal after a button on a page: shown as an error message above the page."""
    from django.contrib import messages

    messages.error(request, exc.message)


def form_errors(exc: MotcuaError, *, default: str = "form") -> dict[str, str]:
    """A refusal of a form's input: {field name as the form writes it: message}. Dotted service
    fields ("applicant.phone", "papers.2.file") become the form's names ("applicant_phone")."""
    return {(exc.field or default).replace(".", "_"): exc.message}


def problem(exc: MotcuaError) -> dict:
    """RFC 9457 problem document of a refusal, for the REST API."""
    status = 403 if isinstance(exc, NotPermitted) else 422
    body = {"type": "about:blank", "title": exc.message, "status": status, "detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return body


class RefusalMiddleware:
    """The last net under every view: a `MotcuaError` no view caught becomes a page with its
    Vietnamese message (422, or 403 for `NotPermitted`) — never a server error with a traceback.
    Views still catch refusals where they can show them in place (on the form, above the page);
    this answers the ones they did not expect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, MotcuaError):
            return None
        from django.shortcuts import render

        status = 403 if isinstance(exception, NotPermitted) else 400 if isinstance(exception, BadParam) else 422
        return render(request, "web/refused.html", {"error": exception}, status=status)
