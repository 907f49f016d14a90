from django.contrib.auth.views import LogoutView
from django.urls import path

from . import sync, two_factor_views, views

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", LogoutView.as_view(next_page="desk:login"), name="logout"),
    # Staff second factor (accounts/two_factor.py): reachable before the session is verified.
    path("xac-thuc/", two_factor_views.verify, name="two_factor_verify"),
    path("xac-thuc/dang-ky/", two_factor_views.enrol, name="two_factor_enrol"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("tiep-nhan/thu-tuc/", views.intake_procedures, name="intake_procedures"),
    path("tiep-nhan/thu-tuc/<str:code>/", views.intake_checklist, name="intake_checklist"),
    path("cong-dan/", views.applicant_lookup, name="applicant_lookup"),
    path("ho-so/<int:pk>/", views.dossier_detail, name="dossier"),
    path("ho-so/<int:pk>/thao-tac/<str:action>/", views.dossier_action, name="action"),
    path("ho-so/<int:pk>/giay-to/<int:paper_pk>/", views.paper_file, name="paper"),
    path("ho-so/<int:pk>/ket-qua/<int:result_pk>/", views.result_file, name="result"),
    path("ho-so/<int:pk>/van-ban/<str:kind>/", views.dossier_document, name="document"),
    path("so-theo-doi/", views.log_book, name="log_book"),
    path("hang-loat/", views.bulk, name="bulk"),
    path("dong-bo/", sync.sync_page, name="sync"),
    path("dong-bo/gui-lai/", sync.sync_retry, name="sync_retry"),
    path("dong-bo/dong-bo-lai/", sync.sync_resync_many, name="sync_resync_many"),
    path("ho-so/<int:pk>/dong-bo-lai/", sync.dossier_resync, name="resync"),
]
