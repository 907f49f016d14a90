from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("ho-so/<int:dossier_pk>/", views.rate_online, name="online"),
    path("quay/<str:token>/", views.kiosk, name="kiosk"),
    path("thiet-bi/", views.kiosk_list, name="kiosks"),
    # Before the sign-in pattern, which would take "cap-ma-moi" as its action.
    path("thiet-bi/<int:pk>/cap-ma-moi/", views.kiosk_rotate, name="kiosk_rotate"),
    path("thiet-bi/<int:pk>/<slug:action>/", views.kiosk_sign, name="kiosk_sign"),
    path("tong-hop/", views.summary, name="summary"),
]
