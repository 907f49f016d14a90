"""URL patterns of the API's reads endpoints, included under /api/v1/ by api/urls.py."""

from django.urls import path

from . import dossier_reads as reads
from . import statistics
from .dossier_collection import DossierCollection

# File ids are `str` and parsed by the view: a malformed one ("-1", "abc") is the API's 404
# problem document, not Django's HTML page for an unmatched URL.

urlpatterns: list = [
    # GET lists, POST receives (dossier_collection.py): one address for both.
    path("dossiers/", DossierCollection.as_view(), name="dossiers"),
    path("dossiers/<str:code>/", reads.DossierDetail.as_view(), name="dossier"),
    path("dossiers/<str:code>/events/", reads.DossierEvents.as_view(), name="dossier_events"),
    path("dossiers/<str:code>/papers/", reads.DossierPapers.as_view(), name="dossier_papers"),
    path("dossiers/<str:code>/papers/<str:paper_pk>/file", reads.PaperFile.as_view(), name="dossier_paper_file"),
    path("dossiers/<str:code>/results/", reads.DossierResults.as_view(), name="dossier_results"),
    path("dossiers/<str:code>/results/<str:result_pk>/file", reads.ResultFileView.as_view(),
         name="dossier_result_file"),
    path("dossiers/<str:code>/time-report/", reads.DossierTimeReport.as_view(), name="dossier_time_report"),
    path("statistics/agencies/", statistics.AgencyStatistics.as_view(), name="statistics_agencies"),
    path("statistics/by/<str:grouping>/", statistics.GroupedStatistics.as_view(), name="statistics_by"),
    path("statistics/766/", statistics.Index766.as_view(), name="statistics_766"),
]
