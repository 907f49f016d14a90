"""/api/v1/ (docs/architecture.md §17). Each area's routes live in its own module."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("motcua.api.routes_catalog")),
    path("", include("motcua.api.routes_reads")),
    path("", include("motcua.api.routes_writes")),
    path("", include("motcua.api.routes_schema")),
]
