"""Dossier codes: the template, the daily sequence, and no duplicates under concurrency."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from motcua.catalog.models import RequiredPaper
from motcua.dossiers import codes, services
from motcua.dossiers.models import Applicant, CodeCounter, Dossier
from motcua.dossiers.services import PaperInput
from motcua.outbox.models import Message
from tests.dossiers.factories import APPLICANT, receive
from tests.moments import local
from tests.world import build_world, world_exists


def test_legacy_national_shape():
    code = codes.format_code(template="{unit}-{date:%y%m%d}-{seq:04d}", unit="000.00.00.H61",
                             day=date(2025, 11, 16), seq=37)
    assert code == "000.00.00.H61-251116-0037"


def test_sequence_widens_past_9999():
    assert (
        codes.format_code(
            template="{unit}-{date:%y%m%d}-{seq:04d}", unit="U", day=date(2026, 1, 2), seq=10000
        )
        == "U-260102-10000"
    )


def test_template_is_configurable(world, freeze, settings):
    settings.DOSSIER_CODE_TEMPLATE = "H40.{unit}.{date:%Y%m%d}.{seq:06d}"
    freeze(local(2026, 3, 2, 10, 0))
    assert receive(world).code == "H40.000.01.01.H40.20260302.000001"


def test_daily_sequence_per_unit_and_local_day(world, freeze):
    freeze(local(2026, 3, 2, 23, 59))  # 16:59 UTC: the local date decides
    first = receive(world)
    second = receive(world)
    other_desk = receive(world, actor=world.outsider, receiving_agency=world.desk_b)
    freeze(local(2026, 3, 3, 0, 1))
    next_day = receive(world)
    assert first.code.endswith("-260302-0001") and second.code.endswith("-260302-0002")
    assert other_desk.code == "000.02.01.H40-260302-0001"
    assert next_day.code.endswith("-260303-0001")


@pytest.mark.slow
def test_fifty_concurrent_receptions_get_fifty_distinct_codes(django_db_setup, django_db_blocker):
    """50 threads, each with its own PostgreSQL connection, receive at the same instant.

    Runs on committed data (not inside a test transaction, which other connections could not
    see), and removes what it created.
    """
    if connection.vendor != "postgresql":
        pytest.skip("the race is meaningful on PostgreSQL")

    with django_db_blocker.unblock():
        from motcua.accounts.models import User
        from motcua.agencies.models import Agency

        # Browser tests (transactional, run earlier) flush the database: build the world again if
        # gone.
        if not world_exists():
            build_world()

        receiver = User.objects.get(username="tiepnhan")
        desk = Agency.objects.get(code="000.01.01.H40")
        commune = Agency.objects.get(code="000.01.00.H40")
        papers = [PaperInput(required_paper_id=p.pk) for p in RequiredPaper.objects.filter(
            version__procedure__code="2.000884", version__status="published", required=True)]
        barrier = threading.Barrier(50)
        results, errors = [], []

        def one():
            try:
                barrier.wait(timeout=30)
                dossier = services.dossier_receive(
                    actor=receiver,
                    receiving_agency=desk,
                    procedure="2.000884",
                    competent_agency=commune,
                    applicant=APPLICANT,
                    papers=papers,
                )
                results.append((dossier.pk, dossier.code))
            except Exception as exc:  # collected and asserted below
                errors.append(repr(exc))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=one) for _ in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        try:
            assert errors == []
            pks = [pk for pk, _c in results]
            assert len(set(code for _p, code in results)) == 50
            assert Dossier.objects.filter(pk__in=pks).exclude(code=None).count() == 50
            seqs = sorted(int(code.rsplit("-", 1)[1]) for _p, code in results)
            assert seqs == list(range(seqs[0], seqs[0] + 50))  # gap-free
        finally:
            applicant_ids = list(
                Dossier.objects.filter(pk__in=[pk for pk, _c in results]).values_list(
                    "applicant", flat=True
                )
            )
            # Outbox messages protect their dossier (#11): a message is never lost by a delete.
            Message.objects.filter(dossier_id__in=[pk for pk, _c in results]).delete()
            Dossier.objects.filter(pk__in=[pk for pk, _c in results]).delete()
            Applicant.objects.filter(pk__in=applicant_ids).delete()
            CodeCounter.objects.filter(unit=desk.code).delete()
