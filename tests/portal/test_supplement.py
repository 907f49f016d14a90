"""The online supplement: the owner uploads the requested items and the clock resumes by the
procedure's rule (NĐ 61/2018 art. 19: restart by default)."""

import pytest

from motcua.catalog.models import SupplementRule
from motcua.dossiers import services
from motcua.dossiers.models import DossierEvent, Pause, Status
from motcua.dossiers.services import DossierError, PaperInput
from tests.moments import local
from tests.portal.factories import EXE, JPEG, PDF, files_under, online_dossier, upload

ITEMS = ["Giấy tờ chứng minh việc ly hôn", "Ảnh chụp rõ nét Thẻ Căn cước"]


@pytest.fixture
def waiting(world, citizen, freeze, media):
    """Submitted Monday 09:00, accepted 10:00 (3 working days → due Thursday 10:00), supplement
    asked at 11:00 by the receiver holding the first step."""
    freeze(local(2026, 3, 2, 9, 0))
    dossier = online_dossier(world, citizen)
    freeze(local(2026, 3, 2, 10, 0))
    dossier = services.dossier_accept(dossier=dossier, actor=world.receiver)
    assert dossier.due_at == local(2026, 3, 5, 10, 0)
    freeze(local(2026, 3, 2, 11, 0))
    return services.dossier_request_supplement(dossier=dossier, actor=world.receiver, items=ITEMS,
                                               reason="Thiếu giấy tờ chứng minh đã ly hôn")


def post_supplement(client, dossier, files=None):
    files = (
        files
        if files is not None
        else {"item_0": upload(PDF, "ly-hon.pdf"), "item_1": upload(JPEG, "cccd.jpg")}
    )
    return client.post(f"/cong-dan/ho-so/{dossier.pk}/bo-sung/", files)


def test_the_detail_shows_the_request_and_the_form(citizen_client, waiting):
    html = citizen_client.get(f"/cong-dan/ho-so/{waiting.pk}/").content.decode()
    assert "Nộp bổ sung" in html and ITEMS[0] in html and ITEMS[1] in html
    assert "Lý do: Thiếu giấy tờ chứng minh đã ly hôn" in html
    assert 'name="item_0"' in html and 'name="item_1"' in html
    assert "thời hạn giải quyết đang tạm dừng" in html


def test_online_supplement_restarts_the_clock(citizen_client, world, waiting, freeze):
    freeze(local(2026, 3, 4, 16, 0))  # Wednesday, after the 15:00 cut-off
    response = post_supplement(citizen_client, waiting)
    assert response.status_code == 302 and response["Location"] == f"/cong-dan/ho-so/{waiting.pk}/"
    waiting.refresh_from_db()
    assert waiting.status == Status.IN_PROGRESS and waiting.paused_at is None
    # Restart: a new clock start at the next opening (Thursday 07:30) plus the full 3 days.
    assert waiting.clock_started_at == local(2026, 3, 5, 7, 30)
    assert waiting.due_at == local(2026, 3, 9, 17, 0) == waiting.appointment_at
    pause = Pause.objects.get(dossier=waiting)
    assert (pause.started_at, pause.ended_at) == (
        local(2026, 3, 2, 11, 0),
        local(2026, 3, 4, 16, 0),
    )
    assert waiting.supplement_request.received_at == local(2026, 3, 4, 16, 0)
    event = DossierEvent.objects.filter(dossier=waiting).latest("pk")
    assert event.action == "receive_supplement" and event.actor == world.citizen
    assert event.data["channel"] == "online" and event.data["rule"] == "restart"
    added = list(waiting.papers.filter(is_supplement=True).order_by("pk"))
    assert [p.name for p in added] == ITEMS
    assert [p.content_type for p in added] == ["application/pdf", "image/jpeg"]
    html = citizen_client.get(response["Location"]).content.decode()
    assert "Đã nộp hồ sơ bổ sung" in html
    assert "Hồ sơ bổ sung đã được nộp trực tuyến; thời hạn giải quyết được tính lại." in html
    assert "Ngày hẹn trả kết quả mới: 17:00 ngày 09/03/2026." in html
    assert "Nộp bổ sung</h2>" not in html  # the form is gone


def test_online_supplement_with_the_continue_rule(citizen_client, waiting, freeze):
    version = waiting.procedure_version
    version.supplement_rule = SupplementRule.CONTINUE
    version.save(update_fields=["supplement_rule"])
    freeze(local(2026, 3, 4, 9, 0))
    post_supplement(citizen_client, waiting)
    waiting.refresh_from_db()
    # Left at the pause (Monday 11:00 → Thursday 10:00): 0.5 + 4 + 8 + 8 + 2.5 = 23 working hours.
    # From Wednesday 09:00: 6.5 h on Wednesday, 8 on Thursday, 8 on Friday, 0.5 on Monday.
    assert waiting.due_at == local(2026, 3, 9, 8, 0)


def test_every_requested_item_needs_a_file(citizen_client, waiting):
    response = post_supplement(citizen_client, waiting, {"item_0": upload(PDF)})
    assert response.status_code == 422
    assert f"“{ITEMS[1]}”: hãy đính kèm tệp (PDF, JPEG hoặc PNG)." in response.content.decode()
    waiting.refresh_from_db()
    assert (
        waiting.status == Status.AWAITING_SUPPLEMENT
        and not waiting.papers.filter(is_supplement=True).exists()
    )


def test_a_bad_file_changes_nothing(citizen_client, waiting, media):
    before = files_under(media)
    response = post_supplement(
        citizen_client, waiting, {"item_0": upload(PDF), "item_1": upload(EXE, "anh.jpg")}
    )
    assert response.status_code == 422
    assert (
        f"“{ITEMS[1]}”: tệp “anh.jpg” không phải tệp PDF, JPEG hoặc PNG."
        in response.content.decode()
    )
    waiting.refresh_from_db()
    assert waiting.status == Status.AWAITING_SUPPLEMENT and waiting.paused_at is not None
    assert files_under(media) == before


def test_another_account_cannot_supplement(client, world, other_citizen, waiting):
    client.force_login(other_citizen)
    assert post_supplement(client, waiting).status_code == 404
    client.force_login(world.receiver)  # an officer uses the desk, not the portal
    assert post_supplement(client, waiting).status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == Status.AWAITING_SUPPLEMENT


def test_the_service_checks_the_owner_and_the_status(world, other_citizen, waiting):
    paper = PaperInput(
        name="x", kind="copy", content=PDF, filename="x.pdf", content_type="application/pdf"
    )
    with pytest.raises(DossierError, match="Chỉ tài khoản đã nộp hồ sơ"):
        services.dossier_receive_supplement(dossier=waiting, actor=other_citizen, papers=[paper])
    with pytest.raises(DossierError, match="Hãy đính kèm tệp"):
        services.dossier_receive_supplement(dossier=waiting, actor=world.citizen, papers=[])
    services.dossier_receive_supplement(dossier=waiting, actor=world.citizen, papers=[paper])
    with pytest.raises(DossierError, match="Không thể thực hiện “Nhận hồ sơ bổ sung”"):
        services.dossier_receive_supplement(dossier=waiting, actor=world.citizen, papers=[paper])


def test_no_supplement_form_when_none_is_asked(citizen_client, world, citizen, freeze):
    freeze(local(2026, 3, 2, 9, 0))
    dossier = online_dossier(world, citizen)
    assert (
        "Nộp bổ sung" not in citizen_client.get(f"/cong-dan/ho-so/{dossier.pk}/").content.decode()
    )
    response = post_supplement(citizen_client, dossier)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
