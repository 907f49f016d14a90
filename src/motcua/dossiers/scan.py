"""The periodic deadline scan: drafts apologies for dossiers that are going to be late.

Nothing here flags or stores "overdue": that is always computed at read time. The scan only
prepares work for people (a draft apology for the leader to approve).
"""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from . import clock, policy, services
from .models import Apology, Dossier


def draft_due_apologies(*, now: datetime | None = None) -> list[Apology]:
    now = now or timezone.now()
    # Candidates: running, not paused, not past due, no apology yet, due within the scan's horizon.
    horizon = clock.apology_scan_horizon(now)
    candidates = (
        Dossier.objects.filter(status__in=policy.CLOCK_RUNNING, paused_at__isnull=True,
                               due_at__gt=now, due_at__lte=horizon)
        .filter(Q(apology__isnull=True))
        .select_related("current_step", "competent_agency", "current_agency", "procedure_version", "case")
    )
    drafted = []
    for dossier in candidates:
        why = clock.lateness_risk(dossier, now=now)
        if why is None:
            continue
        reason = "Hồ sơ không thể hoàn thành trong thời hạn còn lại theo quy trình nội bộ."
        try:
            drafted.append(services.dossier_draft_apology(
                dossier=dossier, reason=reason, new_appointment_at=clock.proposed_appointment(dossier, now=now),
            ))
        except services.DossierError:
            continue  # changed under us (e.g. result ready meanwhile): the next scan sees the truth
    return drafted
