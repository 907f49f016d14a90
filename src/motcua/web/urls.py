from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from motcua.accounts import views as accounts
from motcua.accounts.oidc import views as oidc

from . import csp, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.catalogue, name="catalogue"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("thu-tuc/<str:code>/mau/<int:form_id>/", views.form_download, name="form_download"),
    # Listing boards (bảng niêm yết), printable A4, one per agency (by its identifier code).
    path("niem-yet/", views.boards, name="boards"),
    path("niem-yet/<str:code>/", views.board, name="board"),
    # Citizen accounts (accounts app; here because the public site is mounted at "").
    path("tai-khoan/dang-ky/", accounts.register, name="register"),
    path("tai-khoan/dang-nhap/", accounts.login_view, name="login"),
    path("tai-khoan/dang-xuat/", accounts.logout_view, name="logout"),
    path("tai-khoan/giay-to/", accounts.papers, name="papers"),
    path("tai-khoan/giay-to/<int:pk>/", accounts.paper_download, name="paper_download"),
    path("tai-khoan/giay-to/<int:pk>/xoa/", accounts.paper_delete, name="paper_delete"),
    path("tai-khoan/oidc/dang-nhap/", oidc.OidcLoginView.as_view(), name="oidc_login"),
    path("tai-khoan/oidc/callback/", oidc.oidc_callback, name="oidc_callback"),
    # Content-Security-Policy violation reports (CSP_REPORT_URI=/csp-bao-cao/), logged.
    path("csp-bao-cao/", csp.report, name="csp_report"),
    # Browsers ask for /favicon.ico where a page names no icon (a PDF, an API answer).
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True), name="favicon"),
]
