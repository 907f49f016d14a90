"""The acceptance of #11 on the connector's side: an outage (and malformed replies, error codes)
in the middle of traffic → after recovery every message of every dossier reached the simulated
portal exactly once and in order; then the portal's records reconcile with ours through
TraCuuHoSo, and a dossier the portal lost is pushed again."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.interop.contrib.dvcqg import payloads, statuses
from motcua.outbox.models import Message
from tests.dossiers.factories import APPLICANT, all_papers, receive
from tests.interop.delivery import deliver_due, drain
from tests.moments import local

pytestmark = pytest.mark.django_db


def _sent(dossier) -> list[str]:
    return [str(m.message_id) for m in Message.objects.filter(dossier=dossier, receiver="dvcqg").order_by("pk")]


def test_after_an_outage_every_status_of_every_dossier_arrives_once_and_in_order(world, freeze, portal, connector):
    freeze(local(2026, 3, 2, 9, 0))
    a, b, c = receive(world), receive(world), receive(world)
    d = services.dossier_submit(actor=world.citizen, receiving_agency=world.desk_a, procedure="2.001035",
                                competent_agency=world.commune_a, applicant=APPLICANT, papers=all_papers("2.001035"))
    assert deliver_due()["failed"] == 0
    freeze(local(2026, 3, 2, 9, 30))
    a = services.dossier_forward(dossier=a, actor=world.receiver)

    portal.state.set_mode("down")  # the outage begins while the traffic goes on
    b = services.dossier_forward(dossier=b, actor=world.receiver)
    assert deliver_due() == {"delivered": 0, "failed": 2}  # a's and b's streams: each head fails, nothing jumps
    freeze(local(2026, 3, 2, 10, 0))
    a = services.dossier_forward(dossier=a, actor=world.head, assignee=world.specialist)
    d = services.dossier_accept(dossier=d, actor=world.receiver)
    c = services.dossier_withdraw(dossier=c, actor=world.receiver, reason="Người nộp xin rút")
    portal.state.set_mode("malformed")
    assert deliver_due()["delivered"] == 0
    freeze(local(2026, 3, 2, 10, 30))
    a = services.dossier_request_supplement(dossier=a, actor=world.specialist, items=["Bản sao sổ đỏ"],
                                            reason="Bản sao không rõ số thửa")
    portal.state.set_mode("error", error_code="99", message="Thành công")
    assert deliver_due()["delivered"] == 0
    freeze(local(2026, 3, 2, 11, 0))
    a = services.dossier_receive_supplement(dossier=a, actor=world.receiver)
    b = services.dossier_forward(dossier=b, actor=world.head)
    portal.state.set_mode("down")
    assert deliver_due()["delivered"] == 0

    portal.state.set_mode("up")  # recovery
    drain()
    assert not Message.objects.filter(receiver="dvcqg").exclude(status="delivered").exists()
    for dossier in (a, b, c, d):
        kept = [e["message_id"] for e in portal.state.log[dossier.code]]
        assert kept == _sent(dossier), dossier.code  # each exactly once, in our order
    assert portal.state.statuses(a.code) == [
        ("DongBoHoSoMC", 2), ("CapNhatTienDoHoSoMC", 2), ("DongBoHoSoMC", 4), ("CapNhatTienDoHoSoMC", 4),
        ("CapNhatTienDoHoSoMC", 4), ("DongBoHoSoMC", 5), ("CapNhatTienDoHoSoMC", 5), ("DongBoHoSoMC", 4),
        ("CapNhatTienDoHoSoMC", 4)]
    assert [s for _k, s in portal.state.statuses(c.code)] == [2, 2, 7, 7]
    assert [s for _k, s in portal.state.statuses(d.code)] == [1, 2, 2]

    # Reconciliation: what the portal holds is what we hold.
    for dossier in Dossier.objects.filter(pk__in=[a.pk, b.pk, c.pk, d.pk]):
        theirs = connector.lookup(dossier.code)
        assert theirs["TrangThaiHoSo"] == statuses.code_of(dossier)
        assert theirs["NgayHenTra"] == payloads.fmt(dossier.appointment_at)
        assert theirs["NgayTiepNhan"] == payloads.fmt(dossier.received_at)
    assert len(connector.lookup(a.code)["QuaTrinhXuLy"]) == 5


def test_a_dossier_the_portal_lost_is_found_missing_and_pushed_again(world, freeze, portal, connector):
    freeze(local(2026, 3, 2, 9, 0))
    portal.state.set_mode("forget")
    dossier = receive(world)
    assert drain() == {"delivered": 2, "failed": 0}
    portal.state.set_mode("up")
    assert connector.lookup(dossier.code) is None  # reconciliation: missing
    connector.resync(dossier)
    assert drain() == {"delivered": 1, "failed": 0}
    theirs = connector.lookup(dossier.code)
    assert theirs["TrangThaiHoSo"] == 2 and theirs["MaHoSo"] == dossier.code
    assert portal.state.log[dossier.code][0]["updating"] is False  # the update found nothing: a create
