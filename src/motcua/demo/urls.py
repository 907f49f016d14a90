from django.urls import path

from . import views

app_name = "demo"
urlpatterns = [
    path("thong-bao/demo/", views.messages, name="messages"),
]
