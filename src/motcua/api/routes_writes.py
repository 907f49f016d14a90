"""URL patterns of the API's writes endpoints, included under /api/v1/ by api/urls.py.

One path per action (not one view switching on a name), so the OpenAPI schema shows each
action's own input; any other action name answers a 404 problem."""

from django.urls import path

from . import dossier_writes as views

urlpatterns: list = [
    # POST /dossiers/ is served with the list by dossier_collection.DossierCollection.
    path("dossiers/<str:code>/actions/", views.AllowedActionsView.as_view(), name="dossier-actions"),
    *[path(f"dossiers/<str:code>/actions/{view.action}", view.as_view(), name=f"dossier-{view.action}")
      for view in views.ACTION_VIEWS],
    path("dossiers/<str:code>/actions/<str:action>", views.UnknownActionView.as_view(), name="dossier-action-unknown"),
]
