from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("theo/<str:by>/", views.breakdown, name="breakdown"),
    path("xu-huong/", views.trend, name="trend"),
    path("can-bo/", views.officers, name="officers"),
    path("can-bo/ho-so/", views.officer_dossiers, name="officer_dossiers"),
    path("chi-so/", views.index_766, name="index_766"),
    path("ho-so/", views.dossiers, name="dossiers"),
    path("bao-cao.xlsx", views.report_xlsx, name="report_xlsx"),
    path("bao-cao.pdf", views.report_pdf, name="report_pdf"),
    path("cong-khai/<str:code>/", views.public, name="public"),
]
