"""The citizen's "Rút hồ sơ": the owner takes back a dossier still waiting for reception."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import DossierEvent, Status
from tests.moments import local
from tests.portal.factories import online_dossier


@pytest.fixture
def waiting(world, citizen, freeze):
    freeze(local(2026, 3, 2, 9, 0))
    return online_dossier(world, citizen)


def url(dossier):
    return f"/cong-dan/ho-so/{dossier.pk}/rut/"


def test_the_owner_withdraws_a_dossier_waiting_for_reception(citizen_client, waiting):
    page = citizen_client.get(f"/cong-dan/ho-so/{waiting.pk}/").content.decode()
    assert 'id="withdraw"' in page
    response = citizen_client.post(url(waiting), {"reason": "Nộp nhầm thủ tục"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.WITHDRAWN and waiting.reason == "Nộp nhầm thủ tục"
    assert DossierEvent.objects.filter(dossier=waiting, action="withdraw", actor=waiting.owner).exists()
    assert 'id="withdraw"' not in citizen_client.get(f"/cong-dan/ho-so/{waiting.pk}/").content.decode()


def test_a_withdrawal_without_a_reason_is_refused_on_the_page(citizen_client, waiting):
    response = citizen_client.post(url(waiting), {"reason": "  "})
    assert response.status_code == 422
    assert "Lý do rút hồ sơ không được để trống." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Status.SUBMITTED


def test_another_citizen_cannot_withdraw_it(client, other_citizen, waiting):
    client.force_login(other_citizen)
    assert client.post(url(waiting), {"reason": "Phá"}).status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == Status.SUBMITTED


def test_once_received_the_form_is_gone_and_the_service_refuses(citizen_client, world, waiting):
    services.dossier_accept(dossier=waiting, actor=world.receiver)
    assert 'id="withdraw"' not in citizen_client.get(f"/cong-dan/ho-so/{waiting.pk}/").content.decode()
    response = citizen_client.post(url(waiting), {"reason": "Đổi ý"})
    assert response.status_code == 422
    waiting.refresh_from_db()
    assert waiting.status == Status.RECEIVED
