"""Error pages: 400, 403, 404, 500 and a refused CSRF token, in the site's layout and in
Vietnamese, each with a way back — never Django's bare "403 Forbidden". Under /api/ the same
errors are RFC 9457 problem documents (motcua.api.errors), since an API client cannot read a page.

Wired in motcua/urls.py (handler400/403/404/500) and settings.CSRF_FAILURE_VIEW.
"""

import json

from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _problem(status: int, title: str, detail: str) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status,
                        content_type="application/problem+json; charset=utf-8")


def _page(request, status: int, title: str, detail: str, *, staff_login: bool = False) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _problem(status, title, detail)
    html = loader.render_to_string(
        "web/error.html",
        {"status": status, "title": title, "detail": detail, "staff_login": staff_login},
        request=request,
    )
    return HttpResponse(html, status=status)


def bad_request(request, exception=None):
    return _page(request, 400, _("Yêu cầu không hợp lệ"),
                 _("Trang không hiểu được yêu cầu này (địa chỉ hoặc dữ liệu gửi lên không đúng)."))


def forbidden(request, exception=None):
    # The reason given where access was refused ("Tài khoản không phải cán bộ.") when there is one.
    reason = str(exception) if exception and str(exception) else _("Tài khoản của bạn không được xem trang này.")
    staff = request.path.startswith(("/can-bo/", "/thong-ke/", "/danh-gia/", "/thanh-toan/"))
    return _page(request, 403, _("Không có quyền truy cập"), reason, staff_login=staff)


def not_found(request, exception=None):
    return _page(request, 404, _("Không tìm thấy trang"),
                 _("Trang hoặc hồ sơ này không tồn tại, đã bị xóa, hoặc bạn không được xem."))


def server_error(request):
    # No template context beyond the request's path: whatever broke may be what the layout uses.
    if request.path.startswith(API_PREFIX):
        return _problem(500, _("Lỗi hệ thống"), _("Hệ thống gặp lỗi; lỗi đã được ghi lại. Vui lòng thử lại sau."))
    html = loader.render_to_string("web/error_500.html")
    return HttpResponse(html, status=500)


def csrf_failure(request, reason=""):
    return _page(request, 403, _("Phiên làm việc đã hết hạn"),
                 _("Trang đã mở quá lâu hoặc phiên đăng nhập đã thay đổi, nên biểu mẫu chưa được gửi. "
                   "Hãy tải lại trang, nhập lại nếu cần và gửi lại."))
