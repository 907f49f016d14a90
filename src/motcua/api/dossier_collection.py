"""/api/v1/dossiers/: one address, two operations — GET lists what the caller may see
(dossier_reads.DossierList), POST receives a new dossier (dossier_writes.DossierCreateView).
Two views on one path would leave the second unreachable (the first answered 405 to a POST)."""

from .dossier_reads import DossierList
from .dossier_writes import DossierCreateView


class DossierCollection(DossierList, DossierCreateView):
    # The token's scope is checked per method (permissions.OperationScope).
    operations = {"GET": "dossiers.read", "HEAD": "dossiers.read", "POST": "dossiers.create"}
