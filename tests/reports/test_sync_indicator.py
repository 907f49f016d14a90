"""Decision 766 indicator 1.4 (dossiers synced to the national portal ÷ received) is measured from
what the portal acknowledged — a queued or failing message does not count — and its numbers open
their dossiers like every other figure."""

import re

import pytest

from motcua.interop import national
from motcua.outbox.models import Message
from tests.dossiers.factories import receive
from tests.moments import local
from tests.reports.pages import listed, number_links

MONDAY_10 = local(2026, 3, 2, 10, 0)
PERIOD = "tu_ngay=2026-03-01&den_ngay=2026-03-31"


@pytest.mark.interop
def test_indicator_1_4_counts_what_the_portal_acknowledged(client, world, freeze):
    freeze(MONDAY_10)
    synced, queued, failing = receive(world), receive(world), receive(world)
    full = Message.objects.filter(receiver=national.RECEIVER, kind=national.FULL_STATE)
    assert {m.dossier_id for m in full} == {synced.pk, queued.pk, failing.pk}
    full.filter(dossier=synced).update(status=Message.Status.DELIVERED, attempts=1)
    full.filter(dossier=failing).update(status=Message.Status.ATTENTION, attempts=9)
    freeze(local(2026, 3, 31, 16, 0))
    client.force_login(world.manager)
    page = client.get(f"/thong-ke/chi-so/?co_quan={world.commune_a.pk}&{PERIOD}").content.decode()
    row = re.search(r'<tr data-indicator="1.4"[^>]*>(.*?)</tr>', page, re.S).group(1)
    assert "33,33 %" in row and "chưa đo" not in row
    label = "Hồ sơ đã đồng bộ lên Cổng Dịch vụ công quốc gia / hồ sơ tiếp nhận"
    services = page.split(f'data-service="{label}"')[1].split("</tr>")[0]
    links = number_links(services)
    assert [n for _u, n in links] == ["1", "3"]
    assert [listed(client, u) for u, _n in links] == [1, 3]
    assert synced.code in client.get(links[0][0]).content.decode()


def test_without_the_national_connector_1_4_is_not_measured(client, world, freeze):
    freeze(MONDAY_10)
    receive(world)
    client.force_login(world.manager)
    page = client.get(f"/thong-ke/chi-so/?co_quan={world.commune_a.pk}&{PERIOD}").content.decode()
    assert re.search(r'<tr data-indicator="1.4" class="muted">.*?chưa đo', page, re.S)
    assert "Hồ sơ đã đồng bộ lên Cổng" not in page
