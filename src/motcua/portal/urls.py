"""The citizen portal, mounted at /cong-dan/ (the public lookup is in `lookup_urls`, at /tra-cuu/)."""

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("nop/<str:code>/", views.submit, name="submit"),
    path("nop/<str:code>/xem-lai/<uuid:draft_id>/", views.review, name="review"),
    path("ho-so/", views.my_dossiers, name="my_dossiers"),
    path("ho-so/<int:pk>/", views.dossier_detail, name="dossier"),
    path("ho-so/<int:pk>/da-nop/", views.submitted, name="submitted"),
    path("ho-so/<int:pk>/bo-sung/", views.supplement, name="supplement"),
    path("ho-so/<int:pk>/rut/", views.withdraw, name="withdraw"),
    path("ho-so/<int:pk>/giay-to/<int:paper_pk>/", views.paper_file, name="paper"),
    path("ho-so/<int:pk>/ket-qua/<int:result_pk>/", views.result_file, name="result"),
]
