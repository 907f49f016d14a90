"""Every API error as an RFC 9457 problem document (`application/problem+json`) with a Vietnamese
`detail` and the field at fault — never a traceback (docs/architecture.md §17).

DRF calls `exception_handler` for what a view raises: the project's refusals (`MotcuaError`, the
policy's `NotPermitted` with its reason), DRF's own errors (validation, parse, authentication,
throttling, method, media type) and Django's `Http404`/`PermissionDenied`.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response

from motcua.errors import BadParam, MotcuaError, NotPermitted

PROBLEM = "application/problem+json"


def _join(prefix: str, key) -> str:
    """The path of `key` under `prefix`: "papers[0].file" (DRF keys a ListField's errors by the
    item's index, a ListSerializer's by position in a list: both read as [i])."""
    if key == "non_field_errors":
        return prefix
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else str(key)


def _first_error(detail, prefix: str = "") -> tuple[str, str]:
    """(field path, message) of the first error of a DRF ValidationError's detail."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = _join(prefix, key)
            return _first_error(value, name)
    if isinstance(detail, list) and detail:
        first = detail[0]
        if isinstance(first, (dict, list)):
            index = next((i for i, item in enumerate(detail) if item), 0)
            return _first_error(detail[index], f"{prefix}[{index}]" if prefix else f"[{index}]")
        return prefix, str(first)
    return prefix, str(detail)


def _flat(detail, prefix: str = "") -> list[dict]:
    """Every error as {"field": path, "detail": message}."""
    out = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = _join(prefix, key)
            out += _flat(value, name)
    elif isinstance(detail, list):
        for i, item in enumerate(detail):
            if isinstance(item, (dict, list)):
                out += _flat(item, f"{prefix}[{i}]")
            else:
                out.append({"field": prefix, "detail": str(item)})
    else:
        out.append({"field": prefix, "detail": str(detail)})
    return out


def problem_response(status_code: int, title: str, detail: str, *, field: str = "", errors=None,
                     headers=None, **extra) -> Response:
    body = {"type": "about:blank", "title": title, "status": status_code, "detail": detail}
    if field:
        body["field"] = field
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = Response(body, status=status_code, headers=headers, content_type=PROBLEM)
    return response


TITLES = {  # lazy: translated when an error is answered, in the request's language
    400: gettext_lazy("Yêu cầu không hợp lệ"),
    401: gettext_lazy("Chưa xác thực"),
    403: gettext_lazy("Không có quyền"),
    404: gettext_lazy("Không tìm thấy"),
    405: gettext_lazy("Phương thức không được hỗ trợ"),
    406: gettext_lazy("Định dạng trả về không được hỗ trợ"),
    409: gettext_lazy("Xung đột"),
    413: gettext_lazy("Dữ liệu quá lớn"),
    415: gettext_lazy("Kiểu dữ liệu không được hỗ trợ"),
    422: gettext_lazy("Không thực hiện được"),
    429: gettext_lazy("Quá nhiều yêu cầu"),
}


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: a problem document for everything an API view raises. Anything
    else (a bug) is left to Django, which logs it and answers 500 without a traceback in
    production; the tests and schemathesis make sure no input reaches that."""
    if isinstance(exc, MotcuaError):
        code = 403 if isinstance(exc, NotPermitted) else 400 if isinstance(exc, BadParam) else 422
        return problem_response(code, str(TITLES[code]), exc.message, field=exc.field,
                                **({"clause": exc.clause} if getattr(exc, "clause", "") else {}))
    if isinstance(exc, Http404):
        return problem_response(404, str(TITLES[404]), _("Không tìm thấy đối tượng được yêu cầu."))
    if isinstance(exc, PermissionDenied):
        return problem_response(403, str(TITLES[403]), str(exc) or _("Bạn không có quyền thực hiện thao tác này."))
    if isinstance(exc, exceptions.ValidationError):
        field, message = _first_error(exc.detail)
        detail = _("Trường “%(field)s”: %(message)s") % {"field": field, "message": message} if field else message
        return problem_response(400, str(TITLES[400]), detail, field=field, errors=_flat(exc.detail))
    if isinstance(exc, exceptions.ParseError):
        message = _("Nội dung gửi lên không đọc được (JSON hoặc biểu mẫu sai cú pháp).")
        return problem_response(400, str(TITLES[400]), message, field="body")
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # A refused token says why (api/auth.py: invalid, revoked, expired); no credentials at all
        # gets the general sentence.
        detail = str(exc.detail) if isinstance(exc, exceptions.AuthenticationFailed) else ""
        detail = detail or _("Cần đăng nhập hoặc mã truy cập (token) hợp lệ.")
        response = problem_response(401, str(TITLES[401]), detail)
        response["WWW-Authenticate"] = 'Bearer realm="motcua"'
        return response
    if isinstance(exc, exceptions.PermissionDenied):
        return problem_response(403, str(TITLES[403]), str(exc.detail))
    if isinstance(exc, exceptions.NotFound):
        return problem_response(404, str(TITLES[404]), _("Không tìm thấy đối tượng được yêu cầu."))
    if isinstance(exc, exceptions.MethodNotAllowed):
        return problem_response(405, str(TITLES[405]), _("Phương thức %(method)s không được hỗ trợ ở địa chỉ này.")
                                % {"method": context["request"].method})
    if isinstance(exc, exceptions.NotAcceptable):
        return problem_response(406, str(TITLES[406]), _("Chỉ trả về JSON (application/json)."))
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return problem_response(415, str(TITLES[415]), _("Kiểu nội dung “%(type)s” không được hỗ trợ; hãy gửi "
                                "application/json hoặc multipart/form-data.")
                                % {"type": context["request"].content_type or ""}, field="body")
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        message = _("Quá nhiều yêu cầu; hãy thử lại sau %(n)d giây.") % {"n": wait}
        return problem_response(429, str(TITLES[429]), message, headers={"Retry-After": str(wait)})
    if isinstance(exc, exceptions.APIException):
        code = exc.status_code if exc.status_code in TITLES else status.HTTP_400_BAD_REQUEST
        return problem_response(code, str(TITLES.get(code, TITLES[400])), str(exc.detail))
    return None
