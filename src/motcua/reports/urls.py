from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ho-so/", views.dossiers, name="dossiers"),
    path("bao-cao.xlsx", views.report_xlsx, name="report_xlsx"),
    path("bao-cao.pdf", views.report_pdf, name="report_pdf"),
    path("cong-khai/<str:code>/", views.public, name="public"),
]
