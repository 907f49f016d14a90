"""Which operations a caller may use (docs/architecture.md §17).

Every API view names its operation (`operation = "dossiers.read"`, see OPERATIONS). An officer
with a session may use every operation — the policy and the selectors decide what he may do and
see. An API client (a machine account of another system) may use only the operations its token
was granted; what it may see and do is then decided, like an officer's, by the memberships of its
machine user through the same selectors and policy.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

OPERATIONS = {
    "catalog.read": _("Đọc danh mục thủ tục, lĩnh vực, quy trình"),
    "agencies.read": _("Đọc danh sách cơ quan"),
    "dossiers.read": _("Đọc hồ sơ, lịch sử, thời hạn"),
    "files.read": _("Tải giấy tờ và kết quả của hồ sơ"),
    "dossiers.create": _("Tạo hồ sơ"),
    "dossiers.act": _("Thực hiện thao tác trên hồ sơ"),
    "statistics.read": _("Đọc số liệu thống kê"),
    "interop.inbound": _("Gửi hồ sơ nộp trên hệ thống khác (Cổng DVC quốc gia) vào MộtCửa"),
    "webhooks.manage": _("Đăng ký nhận thông báo sự kiện hồ sơ (webhook)"),
}


class OperationScope(BasePermission):
    """The view's `operation` must be one the caller may use. (The API-client check is filled in
    with the clients' model; a session officer may use every operation.)"""

    message = _("Mã truy cập không được cấp quyền cho thao tác này.")

    def has_permission(self, request, view):
        # A view serving two operations on one address names them per method (`operations`).
        operation = getattr(view, "operations", {}).get(request.method) or getattr(view, "operation", None)
        if operation is None:
            return True
        allowed = getattr(request.auth, "operations", None)
        return allowed is None or operation in allowed


class SecondFactor(BasePermission):
    """An officer calling the API with his session must have passed the staff second factor where
    it is required, as on the staff pages (accounts/two_factor.py) — else the API would be a way
    around it. A token is its own factor; anonymous callers are refused by IsAuthenticated."""

    message = _("Cần xác thực hai lớp trước khi dùng API bằng phiên đăng nhập.")

    def has_permission(self, request, view):
        from rest_framework.authentication import SessionAuthentication

        from motcua.accounts import two_factor

        if not isinstance(request.successful_authenticator, SessionAuthentication):
            return True
        return not two_factor.must_use(request.user) or two_factor.is_verified(request)
