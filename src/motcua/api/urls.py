"""/api/v1/ (docs/architecture.md §17). Each area's routes live in its own module."""

from django.http import JsonResponse
from django.urls import include, path
from django.utils.translation import gettext as _

app_name = "api"


def not_found(request, rest):
    """Any other address under /api/v1/: a 404 problem document, not the site's HTML page (a
    client reads the body as JSON whatever the status)."""
    return JsonResponse(
        {"type": "about:blank", "title": _("Không tìm thấy"), "status": 404,
         "detail": _("Không có địa chỉ này trong API; xem /api/v1/docs/.")},
        status=404, content_type="application/problem+json", json_dumps_params={"ensure_ascii": False},
    )


urlpatterns = [
    path("", include("motcua.api.routes_catalog")),
    path("", include("motcua.api.routes_reads")),
    path("", include("motcua.api.routes_writes")),
    path("", include("motcua.api.routes_interop")),
    path("", include("motcua.api.routes_webhooks")),
    path("", include("motcua.api.routes_schema")),
    # Last: only what no route above matched.
    path("<path:rest>", not_found, name="not_found"),
]
