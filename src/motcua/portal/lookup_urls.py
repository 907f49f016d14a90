"""The public lookup, to be mounted at /tra-cuu/: e-mails and the QR codes on issued papers print
`{PUBLIC_BASE_URL}/tra-cuu/<code>` (without the second factor, which the visitor types)."""

from django.urls import path, re_path

from . import views

app_name = "lookup"
urlpatterns = [
    path("", views.lookup, name="form"),
    # With or without the trailing slash: printed links end with the bare code.
    re_path(r"^(?P<code>[^/]{1,64})/?$", views.lookup, name="code"),
]
