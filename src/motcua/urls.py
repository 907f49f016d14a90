from django.apps import apps
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("MộtCửa — Quản trị hệ thống")
admin.site.site_title = _("MộtCửa")
admin.site.index_title = _("Quản trị danh mục, cơ quan và hồ sơ")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("motcua.api.urls")),
    path("can-bo/nhat-ky-truy-cap/", include("motcua.privacy.urls")),
    path("can-bo/", include("motcua.desk.urls")),
    path("cong-dan/", include("motcua.portal.urls")),
    path("tra-cuu/", include("motcua.portal.lookup_urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("danh-gia/", include("motcua.ratings.urls")),
    path("thong-ke/", include("motcua.reports.urls")),
]
if apps.is_installed("motcua.demo"):
    # The demo's own pages (the SMS/Zalo mailbox) exist only where the demo is installed.
    urlpatterns.append(path("", include("motcua.demo.urls")))
urlpatterns.append(path("", include("motcua.web.urls")))

# Error pages in the site's layout, in Vietnamese (problem documents under /api/): web/errors.py.
handler400 = "motcua.web.errors.bad_request"
handler403 = "motcua.web.errors.forbidden"
handler404 = "motcua.web.errors.not_found"
handler500 = "motcua.web.errors.server_error"
