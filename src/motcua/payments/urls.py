from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("bat-dau/<int:dossier_pk>/", views.start, name="start"),
    path("cong/<slug:gateway>/ket-qua/", views.return_page, name="return"),
    path("cong/<slug:gateway>/goi-lai/", views.callback, name="callback"),
    path("giao-dich/<int:pk>/xac-nhan-thanh-toan.pdf", views.receipt, name="receipt"),
    path("tien-mat/<int:dossier_pk>/", views.cash, name="cash"),
]
