"""Two deliveries of the same dossier at the same instant (the push beside the pull loop, or a
sender retrying while the first request still runs), each on its own database connection: one
dossier, both answered with it."""

import threading

import pytest
from django.db import connection, connections

from motcua.dossiers.models import Applicant, Dossier
from motcua.interop.inbound import receive_dossier
from motcua.interop.models import InboundDossier
from motcua.outbox.models import Message
from tests.interop.conftest import file_on_portal, filed
from tests.world import build_world, world_exists


@pytest.mark.slow
def test_two_concurrent_deliveries_make_one_dossier(django_db_setup, django_db_blocker, feed_server):
    if connection.vendor != "postgresql":
        pytest.skip("the race is meaningful on PostgreSQL")
    code = "G22.99-260302-0901"
    file_on_portal(feed_server, filed(code))
    payload = feed_server.call("GET", f"/feed/dossiers/{code}")[1]["data"]
    with django_db_blocker.unblock():
        if not world_exists():
            build_world()
        barrier = threading.Barrier(2)
        rows, errors = [], []

        def one():
            try:
                barrier.wait(timeout=30)
                rows.append(receive_dossier(connector="dvcqg", payload=payload))
            except Exception as exc:  # collected and asserted below
                errors.append(repr(exc))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=one) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        try:
            assert errors == []
            assert sorted(r.created for r in rows) == [False, True]
            assert rows[0].pk == rows[1].pk and rows[0].dossier_id == rows[1].dossier_id
            assert Dossier.objects.filter(code=code).count() == 1
            assert InboundDossier.objects.filter(external_code=code).count() == 1
        finally:
            dossiers = Dossier.objects.filter(code=code)
            applicant_ids = list(dossiers.values_list("applicant", flat=True))
            InboundDossier.objects.filter(external_code=code).delete()
            # Outbox messages (the citizen notices) protect their dossier: deleted first.
            Message.objects.filter(dossier__in=dossiers).delete()
            dossiers.delete()
            Applicant.objects.filter(pk__in=applicant_ids).delete()
