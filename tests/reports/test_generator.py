"""`manage.py generate_dossiers`: deadlines through the clock, outcomes, codes, mix, statistics."""

import io
from datetime import date

from django.core.management import call_command
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.dossiers import clock
from motcua.dossiers.models import Channel, CodeCounter, Dossier, Status
from motcua.reports.selectors import figures_by_agency, period_bounds

N = 300


def _generate(**extra):
    out = io.StringIO()
    call_command("generate_dossiers", N, seed=7, start=date(2025, 1, 1), end=date(2025, 12, 31),
                 batch=120, no_progress=True, stdout=out, **extra)
    return out.getvalue()


def test_generated_dossiers_follow_the_clock_and_count_in_the_figures(world):
    before = Dossier.objects.count()
    printed = _generate()
    assert "rows/s" in printed
    qs = Dossier.objects.select_related("case", "competent_agency", "procedure_version")
    assert qs.count() == before + N

    codes = list(qs.values_list("code", flat=True))
    assert None not in codes and len(set(codes)) == len(codes)

    rows = list(qs.order_by("pk"))
    for d in rows[::7]:
        calendar = clock.calendar_for(d.competent_agency)
        assert d.clock_started_at == calendar.clock_start(d.received_at, d.procedure_version.cutoff)
        assert d.due_at == clock.due_moment(calendar, d.clock_started_at, d.case)
        assert d.code.startswith(f"{d.receiving_agency.code}-")
    for d in rows:
        if d.result_ready_at is not None:
            assert d.outcome == clock.outcome_for(d.result_ready_at, d.due_at)
            assert d.status in (Status.RETURNED, Status.RESULT_READY)
        elif d.status == Status.REFUSED:
            assert d.outcome == clock.outcome_for(d.closed_at, d.due_at)
        else:
            assert d.outcome == ""
        if d.status in (Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT):
            assert d.current_step is not None and d.current_agency_id == d.current_step.agency_id
        if d.status == Status.AWAITING_SUPPLEMENT:  # as dossier_request_supplement leaves it
            pause = d.pauses.get()
            assert (pause.started_at, pause.ended_at, pause.reason) == (
                d.paused_at,
                None,
                "supplement",
            )
            assert d.supplement_request.requested_at == d.paused_at
        else:
            assert not d.pauses.exists()
        assert d.search_text == d.search_text.lower() and d.applicant.phone in d.search_text

    shares = {c: sum(d.channel == c for d in rows) / N for c in Channel.values}
    assert abs(shares[Channel.ONLINE] - 0.45) <= 0.15
    assert abs(shares[Channel.COUNTER] - 0.50) <= 0.15
    assert shares[Channel.POST] <= 0.20
    resolved_share = sum(d.status in (Status.RETURNED, Status.RESULT_READY) for d in rows) / N
    assert abs(resolved_share - 0.85) <= 0.15

    # A later real reception continues after the generated sequence of that unit-day.
    for d in rows[:20]:
        local_day = timezone.localtime(d.received_at).date()
        seq = int(d.code.rsplit("-", 1)[1])
        assert CodeCounter.objects.get(unit=d.receiving_agency.code, day=local_day).n >= seq

    # Statistics: resolved = outcome fixed (result ready, or refusal during processing) in the
    # period.
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    lo, hi = period_bounds(start, end)
    expected = (Dossier.objects.annotate(finished=Coalesce("result_ready_at", "closed_at"))
                .filter(~Q(outcome=""), finished__gte=lo, finished__lt=hi).count())
    figures = figures_by_agency(world.manager, start=start, end=end)
    assert figures[world.province.pk].resolved == expected
    received = Dossier.objects.filter(received_at__gte=lo, received_at__lt=hi).count()
    assert figures[world.province.pk]["received_new"] == received >= N


def test_same_seed_same_dossiers_and_codes_continue(world):
    _generate()
    first = set(Dossier.objects.values_list("code", flat=True))
    _generate()
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))  # the second run continues the counters: no clash
    assert len(set(codes) - first) == N


def test_generated_events_form_valid_chains(world):
    """With --events each generated dossier has the history its state implies, chained in memory
    exactly as `dossier_record_event` chains it: verify_history holds, and an edit shows."""
    from django.core.management.base import CommandError

    from motcua.dossiers.models import DossierEvent

    before = set(Dossier.objects.values_list("pk", flat=True))
    printed = _generate(events=True)
    generated = Dossier.objects.exclude(pk__in=before)
    events = DossierEvent.objects.filter(dossier__in=generated)
    assert f"{events.count()} events" in printed
    # Every dossier has a history ending in its own status, in time order, seq 1, 2, 3…
    last = {}
    for dossier_id, seq, at, to_status in events.order_by("dossier_id", "seq").values_list(
            "dossier_id", "seq", "at", "to_status"):
        prev = last.get(dossier_id)
        assert seq == (prev[0] + 1 if prev else 1) and (prev is None or at >= prev[1])
        last[dossier_id] = (seq, at, to_status)
    statuses = dict(generated.values_list("pk", "status"))
    assert {pk: v[2] for pk, v in last.items()} == statuses
    assert set(events.values_list("action", flat=True)) >= {"submit", "accept", "receive", "result_ready",
                                                            "return_result", "refuse", "withdraw"}
    out = io.StringIO()
    call_command("verify_history", stdout=out)
    assert " 0 chỗ đứt" in out.getvalue()
    events.filter(pk=events.order_by("pk").values("pk")[:1]).update(note="sửa")
    try:
        call_command("verify_history", stdout=io.StringIO())
    except CommandError as error:
        assert error.returncode == 1
    else:
        raise AssertionError("an edited generated event went unnoticed")
