"""An API client is an outsider like an officer of another commune: its machine user's
memberships decide what it sees and does, through the same selectors and policy (issue #10,
acceptance: every endpoint tried with an outsider API client)."""

import pytest

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.privacy.models import AccessRecord
from tests.api.conftest import bearer
from tests.dossiers.factories import receive, refresh
from tests.moments import local


@pytest.fixture
def dossier(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    return receive(world)


@pytest.fixture
def outsider(make_client, world):
    _client, token = make_client(agency=world.desk_b, name="Hệ thống của xã khác")
    return bearer(token)


def test_an_outsider_client_sees_an_empty_list_and_404_on_every_object(client, world, dossier, outsider):
    body = client.get("/api/v1/dossiers/", **outsider).json()
    assert dossier.code not in {d["code"] for d in body["results"]}
    paper = dossier.papers.first()
    for path in ("", "events/", "papers/", "results/", "time-report/", "actions/", f"papers/{paper.pk}/file"):
        response = client.get(f"/api/v1/dossiers/{dossier.code}/{path}", **outsider)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/problem+json")
    assert not AccessRecord.objects.exists()


def test_an_outsider_client_cannot_act_and_nothing_changes(client, world, dossier, outsider):
    events = DossierEvent.objects.filter(dossier=dossier).count()
    response = client.post(f"/api/v1/dossiers/{dossier.code}/actions/forward", {}, content_type="application/json",
                           **outsider)
    assert response.status_code == 404
    assert refresh(dossier).status == dossier.status
    assert DossierEvent.objects.filter(dossier=dossier).count() == events


def test_the_insider_client_reads_and_the_policy_decides_its_actions(client, world, dossier, make_client):
    _client, token = make_client(agency=world.desk_a)
    assert client.get(f"/api/v1/dossiers/{dossier.code}/", **bearer(token)).status_code == 200
    # The step is the receiving officer's: another receiver of the desk — person or machine — is
    # refused by the policy with its reason, exactly as on the desk.
    response = client.post(f"/api/v1/dossiers/{dossier.code}/actions/forward", {},
                           content_type="application/json", **bearer(token))
    assert response.status_code == 403 and response.json()["field"] == "actor"
    assert str(world.receiver.get_full_name()) in response.json()["detail"]
    assert Dossier.objects.get(pk=dossier.pk).status == dossier.status
