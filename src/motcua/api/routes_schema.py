"""The contract: the OpenAPI schema (/api/v1/schema/, committed as docs/openapi.yaml) and its
documentation page (/api/v1/docs/), both public.

The docs page is Swagger UI from our own static files (drf-spectacular-sidecar) and its start-up
script is a separate request (SpectacularSwaggerSplitView): the site's CSP allows scripts and
styles from 'self' only, with nothing inline. Our template drops drf-spectacular's inline <style>.
Swagger UI draws its icons as data: images, which this page alone may show (an image runs no code;
tests/browser/test_api_docs.py sees no violation).
"""

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = "MộtCửa API"


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", csp_update({"img-src": ["data:"]})(DocsView.as_view()), name="docs"),
]
