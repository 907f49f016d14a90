from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("demo/", views.demo_inbox, name="demo"),
]
