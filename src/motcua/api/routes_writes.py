"""URL patterns of the API's writes endpoints, included under /api/v1/ by api/urls.py."""

urlpatterns: list = []
