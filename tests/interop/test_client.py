"""The connector against the simulated portal over real HTTP on loopback: success only from the
error code, every kind of failure a DeliveryError carrying the answer, sessions, "already exists"
and "not found" turned around, and what the simulator itself refuses."""

import json
import time
import urllib.error
import urllib.request

import pytest

from motcua.interop.contrib.dvcqg import client as client_module
from motcua.interop.contrib.dvcqg.connector import SYNC
from motcua.outbox.base import DeliveryError
from motcua.outbox.models import Message
from tests.dossiers.factories import receive
from tests.interop.delivery import deliver_due, drain
from tests.moments import local

pytestmark = pytest.mark.django_db


def control(portal, mode, **extra):
    request = urllib.request.Request(portal.url + "/_control/mode", data=json.dumps({"mode": mode, **extra}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def first_message(dossier):
    return Message.objects.filter(dossier=dossier, receiver="dvcqg").order_by("pk").first()


@pytest.fixture
def dossier(world, freeze, portal):
    freeze(local(2026, 3, 2, 10, 0))
    return receive(world)


def test_a_delivered_dossier_is_held_by_the_portal_under_its_code(portal, dossier, connector):
    assert drain() == {"delivered": 2, "failed": 0}
    assert portal.state.statuses(dossier.code) == [("DongBoHoSoMC", 2), ("CapNhatTienDoHoSoMC", 2)]
    kept = portal.state.log[dossier.code][0]
    assert kept["message_id"] == str(first_message(dossier).message_id)  # the X-Message-Id header
    assert kept["data"]["MaHoSo"] == dossier.code
    assert first_message(dossier).response.startswith("error_code=0")


def test_an_error_code_is_a_failure_whatever_the_message_says(portal, dossier, connector):
    assert connector.lookup("000.00.00.H40-260302-9999") is None  # logged in while the portal is up
    control(portal, "error", error_code="99", message="Thành công")
    with pytest.raises(DeliveryError) as err:
        connector.deliver(first_message(dossier))
    assert "99" in str(err.value) and "Thành công" in err.value.detail
    assert portal.state.log == {}
    assert deliver_due() == {"delivered": 0, "failed": 1}  # the stream's second message waits
    control(portal, "up")
    assert drain() == {"delivered": 2, "failed": 0}


def test_malformed_json_down_and_http_errors_are_retried_with_the_answer_in_detail(portal, dossier, connector):
    message = first_message(dossier)
    control(portal, "malformed")
    with pytest.raises(DeliveryError) as err:
        connector.deliver(message)
    assert '"error_code": "0"' in err.value.detail  # it began like a success: still not one
    control(portal, "down")
    with pytest.raises(DeliveryError) as err:
        connector.deliver(message)
    assert err.value.detail.startswith("HTTP 503")
    assert portal.state.log == {}


def test_a_refused_connection_is_a_delivery_error(portal, dossier, connector, settings):
    portal.stop()
    with pytest.raises(DeliveryError) as err:
        connector.deliver(first_message(dossier))
    assert "Connection refused" in err.value.detail or "Max retries" in err.value.detail


def test_a_slow_portal_times_out_and_the_retry_is_dropped_as_a_duplicate(portal, world, dossier, connector,
                                                                          settings):
    from motcua.dossiers import services

    settings.DVCQG_TIMEOUT_SECONDS = 1
    assert drain() == {"delivered": 2, "failed": 0}
    services.dossier_forward(dossier=dossier, actor=world.receiver)
    control(portal, "slow", seconds=1.5)
    assert deliver_due()["failed"] == 1  # timed out after 1 s …
    time.sleep(0.8)  # … and the portal kept it at 1.5 s all the same
    control(portal, "up")
    assert drain()["failed"] == 0
    assert portal.state.duplicates == 1
    assert portal.state.statuses(dossier.code) == [("DongBoHoSoMC", 2), ("CapNhatTienDoHoSoMC", 2),
                                                    ("DongBoHoSoMC", 4), ("CapNhatTienDoHoSoMC", 4)]


def test_an_expired_session_logs_in_again(portal, dossier, connector):
    deliver_due()
    assert portal.state.logins == 1
    portal.state.expire_sessions()
    assert connector.lookup(dossier.code)["TrangThaiHoSo"] == 2
    assert portal.state.logins == 2


def test_wrong_credentials_and_no_endpoint_are_delivery_errors(portal, dossier, connector, settings):
    settings.DVCQG_PASSWORD = "wrong"
    with pytest.raises(DeliveryError) as err:
        connector.deliver(first_message(dossier))
    assert "-6" in err.value.detail
    settings.DVCQG_URL = ""
    with pytest.raises(DeliveryError, match="DVCQG_URL"):
        connector.deliver(first_message(dossier))


def test_already_exists_turns_a_create_into_an_update(portal, dossier, connector):
    drain()
    again = Message.objects.create(receiver="dvcqg", kind=SYNC, stream=f"dvcqg:dossier:{dossier.pk}",
                                   dossier=dossier, payload=first_message(dossier).payload)
    assert again.payload["update"] is False
    summary = connector.deliver(again)
    assert "đã có, đã cập nhật" in summary
    assert [e["updating"] for e in portal.state.log[dossier.code] if e["service"] == SYNC] == [False, True]


def test_a_portal_that_forgot_gets_the_dossier_again(portal, world, dossier, connector, freeze):
    from motcua.dossiers import services

    control(portal, "forget")
    assert drain() == {"delivered": 2, "failed": 0}  # it said yes …
    assert portal.state.forgotten == 2 and connector.lookup(dossier.code) is None  # … and kept nothing
    control(portal, "up")
    freeze(local(2026, 3, 2, 11, 0))
    services.dossier_forward(dossier=dossier, actor=world.receiver)
    assert drain() == {"delivered": 2, "failed": 0}
    # The update found nothing: sent as a create; the step then found the dossier.
    assert portal.state.statuses(dossier.code) == [("DongBoHoSoMC", 4), ("CapNhatTienDoHoSoMC", 4)]
    # A step alone for a forgotten dossier: the state it followed is sent first.
    control(portal, "forget")
    services.dossier_forward(dossier=dossier, actor=world.head)
    portal.state.reset()
    assert drain() == {"delivered": 1, "failed": 0}
    assert portal.state.statuses(dossier.code) == [("DongBoHoSoMC", 4), ("CapNhatTienDoHoSoMC", 4)]


def test_the_simulator_refuses_bad_fields_with_the_portals_codes(portal, dossier, connector):
    message = first_message(dossier)
    state = dict(message.payload["data"], MaHoSo=dossier.code)
    cases = [
        (dict(state, NgayTiepNhan="2026-03-02 10:00"), "-2"),
        (dict(state, NgayHenTra="20261302100000"), "-2"),
        (dict(state, KenhThucHien=4), "-2"),
        (dict(state, TrangThaiHoSo=11), "-2"),
        (dict(state, MaTTHC="abc"), "-2"),
        (dict(state, DonViXuLy="H40"), "-2"),
        (dict(state, DinhDanhCHS=[{"LoaiDinhDanh": 1, "SoDinhDanh": "12345"}]), "-2"),
        ({k: v for k, v in state.items() if k != "ChuHoSo"}, "-1"),
        (dict(state, NgayTiepNhan=None), "-1"),  # status 2 without its reception date
    ]
    for bad, code in cases:
        Message.objects.filter(pk=message.pk).update(payload={"update": False, "data": bad})
        message.refresh_from_db()
        with pytest.raises(DeliveryError) as err:
            connector.deliver(message)
        assert f"error_code={code}" in err.value.detail, bad
    assert portal.state.log == {}


def test_control_endpoints(portal):
    assert control(portal, "slow", seconds=2) == {"ok": True, "mode": "slow"}
    with urllib.request.urlopen(portal.url + "/_control/state", timeout=5) as response:
        assert json.load(response)["mode"] == "slow"
    request = urllib.request.Request(portal.url + "/_control/reset", data=b"", method="POST")
    urllib.request.urlopen(request, timeout=5).close()
    assert portal.state.mode == "up"
    with pytest.raises(urllib.error.HTTPError) as err:
        control(portal, "sideways")
    assert err.value.code == 400


@pytest.mark.parametrize(("value", "code"), [(0, "0"), ("00", "00"), (" 0 ", "0"), (True, None), (None, None),
                                              ("", None), (99, "99"), ([0], None)])
def test_error_code_reading(value, code):
    assert client_module._code(value) == code
