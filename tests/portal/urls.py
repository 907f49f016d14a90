"""The project's URLs plus the public lookup at /tra-cuu/, until the root URLconf includes it."""

from django.urls import include, path

from motcua.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(str(p.pattern) == "tra-cuu/" for p in urlpatterns):
    urlpatterns.insert(0, path("tra-cuu/", include("motcua.portal.lookup_urls")))
