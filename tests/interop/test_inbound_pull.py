"""The pull loop against the portal's feed on loopback (list → fetch → receive → acknowledge): each
filed dossier created once with its national code and its papers' hashes, acknowledged only after
it is committed; a crash between the two re-delivers and creates nothing new; a paper the portal
cannot serve leaves nothing behind and is tried again on the next round."""

import hashlib
import urllib.request

import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers.models import Dossier, DossierPaper
from motcua.interop.models import InboundDossier
from motcua.interop.pull import pull_once
from tests.interop.conftest import FORM, ID_CARD, file_on_portal, filed, paper
from tests.moments import local

MONDAY_10 = local(2026, 3, 2, 10, 0)


def feed_state(server) -> dict:
    status, answer = server.call("GET", "/feed/_state")
    assert status == 200
    return answer


def listed(server) -> list[str]:
    return server.call("GET", "/feed/dossiers?after=0")[1]["data"]


def served(server, paper_id: str) -> bytes:
    with urllib.request.urlopen(f"{server.url}/feed/papers/{paper_id}", timeout=10) as response:
        return response.read()


def test_two_filed_dossiers_are_created_with_their_codes_and_acknowledged(world, freeze, feed_server):
    freeze(MONDAY_10)
    ids = {code: file_on_portal(feed_server, filed(code, ChuHoSo=name))
           for code, name in (("G22.99-260302-0101", "Trần Văn An"), ("G22.99-260302-0102", "Lê Thị Bình"))}

    result = pull_once(connector="dvcqg")
    assert result.as_dict() == {"listed": 2, "created": 2, "repeated": 0, "refused": 0, "retry_later": 0,
                                "ack_failed": 0}
    for code, paper_ids in ids.items():
        dossier = Dossier.objects.get(code=code)
        assert dossier.channel == "online" and dossier.status == "submitted"
        hashes = set(DossierPaper.objects.filter(dossier=dossier).values_list("sha256", flat=True))
        assert hashes == {hashlib.sha256(served(feed_server, i)).hexdigest() for i in paper_ids}
        row = InboundDossier.objects.get(connector="dvcqg", external_code=code)
        assert row.dossier == dossier and row.acknowledged_at is not None
    assert Dossier.objects.get(code="G22.99-260302-0101").applicant.full_name == "Trần Văn An"
    acks = feed_state(feed_server)["acks"]
    assert sorted((a["MaHoSo"], a["status"]) for a in acks) == [("G22.99-260302-0101", "accepted"),
                                                               ("G22.99-260302-0102", "accepted")]
    assert listed(feed_server) == []

    # Nothing left to pull: a second round changes nothing.
    assert pull_once(connector="dvcqg").listed == 0
    assert Dossier.objects.filter(code__startswith="G22.99-260302-010").count() == 2


def test_a_crash_between_create_and_ack_redelivers_and_creates_nothing_new(world, freeze, feed_server):
    freeze(MONDAY_10)
    code = "G22.99-260302-0201"
    file_on_portal(feed_server, filed(code))
    # The acknowledgement is lost (the portal down at that instant, or our process killed there).
    assert feed_server.call("POST", "/feed/_control", {"fail_acks": 1})[0] == 200

    first = pull_once(connector="dvcqg")
    assert (first.created, first.ack_failed) == (1, 1)
    row = InboundDossier.objects.get(external_code=code)
    assert row.acknowledged_at is None and listed(feed_server) == [code]  # the portal still offers it
    counts = (Dossier.objects.count(), DossierPaper.objects.count(), InboundDossier.objects.count())

    second = pull_once(connector="dvcqg")
    assert (second.listed, second.created, second.repeated, second.ack_failed) == (1, 0, 1, 0)
    assert (Dossier.objects.count(), DossierPaper.objects.count(), InboundDossier.objects.count()) == counts
    row.refresh_from_db()
    assert row.acknowledged_at is not None and row.dossier.code == code
    assert [(a["MaHoSo"], a["status"]) for a in feed_state(feed_server)["acks"]] == [(code, "accepted")]
    assert listed(feed_server) == []


def test_a_paper_the_portal_cannot_serve_refuses_the_dossier_and_is_retried(world, freeze, feed_server):
    freeze(MONDAY_10)
    code = "G22.99-260302-0301"
    file_on_portal(feed_server, filed(code, papers=[paper(FORM), paper(ID_CARD, unavailable=True)]))
    papers_before = DossierPaper.objects.count()

    result = pull_once(connector="dvcqg")
    assert (result.created, result.retry_later) == (0, 1)
    assert not Dossier.objects.filter(code=code).exists() and DossierPaper.objects.count() == papers_before
    row = InboundDossier.objects.get(external_code=code)
    assert row.status == "refused" and row.dossier is None and ID_CARD in row.error
    assert feed_state(feed_server)["acks"] == [] and listed(feed_server) == [code]  # not acknowledged

    # Still unavailable on the next round: still nothing, still waiting.
    assert pull_once(connector="dvcqg").retry_later == 1
    # The portal repairs it (files it again with the paper): the next round creates it.
    file_on_portal(feed_server, filed(code))
    again = pull_once(connector="dvcqg")
    assert (again.created, again.retry_later) == (1, 0)
    row.refresh_from_db()
    assert row.status == "accepted" and row.dossier.code == code and row.acknowledged_at is not None


def test_an_invalid_dossier_is_acknowledged_as_refused_with_its_reason(world, freeze, feed_server):
    freeze(MONDAY_10)
    file_on_portal(feed_server, filed("G22.99-260302-0401", MaTTHC="9.999999"))
    file_on_portal(feed_server, filed("G22.99-260302-0402"))

    result = pull_once(connector="dvcqg")
    assert (result.listed, result.created, result.refused) == (2, 1, 1)
    acks = {a["MaHoSo"]: a for a in feed_state(feed_server)["acks"]}
    assert acks["G22.99-260302-0401"]["status"] == "refused" and "9.999999" in acks["G22.99-260302-0401"]["reason"]
    assert acks["G22.99-260302-0402"]["status"] == "accepted"
    assert not Dossier.objects.filter(code="G22.99-260302-0401").exists()


def test_the_command_pulls_once_and_reports(world, freeze, feed_server, capsys):
    freeze(MONDAY_10)
    file_on_portal(feed_server, filed("G22.99-260302-0501"))
    call_command("pull_inbound", "--connector", "dvcqg", "--once")
    assert "tạo mới 1" in capsys.readouterr().out
    assert Dossier.objects.filter(code="G22.99-260302-0501").exists()


def test_the_command_refuses_an_unknown_connector_and_a_feed_that_is_down(world, feed_server, settings):
    with pytest.raises(CommandError, match="khong-co"):
        call_command("pull_inbound", "--connector", "khong-co", "--once")
    settings.DVCQG_URL = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(CommandError, match="Không liệt kê được"):
        call_command("pull_inbound", "--connector", "dvcqg", "--once")
