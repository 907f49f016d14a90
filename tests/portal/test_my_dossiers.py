"""'My dossiers': a citizen reads only the dossiers of their own account — outsiders get 404,
officers included (they read dossiers at the desk, not here)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.portal import selectors
from tests.dossiers.factories import receive
from tests.moments import local
from tests.portal.factories import make_citizen, online_dossier


@pytest.fixture
def mine(world, citizen, freeze):
    freeze(local(2026, 3, 2, 9, 0))
    return online_dossier(world, citizen)


def test_my_dossiers_lists_mine_only(citizen_client, world, citizen, other_citizen, mine):
    theirs = online_dossier(world, other_citizen)
    counter = receive(world)  # at the counter, no account: not "mine" either
    html = citizen_client.get("/cong-dan/ho-so/").content.decode()
    assert (
        mine.code in html
        and "Cấp Giấy xác nhận tình trạng hôn nhân" in html
        and "Chờ tiếp nhận" in html
    )
    assert theirs.code not in html and counter.code not in html


def test_an_officer_sees_no_agency_dossiers_among_their_own(client, world, mine):
    # The receiver of commune A's desk may read `mine` at the desk — it is still not theirs.
    assert Dossier.objects.filter(pk=mine.pk).exists()
    client.force_login(world.receiver)
    html = client.get("/cong-dan/ho-so/").content.decode()
    assert mine.code not in html and "chưa nộp hồ sơ trực tuyến nào" in html
    assert list(selectors.citizen_dossiers(world.receiver)) == []
    assert list(selectors.citizen_dossiers(world.admin)) == []  # not even a superuser's


@pytest.mark.parametrize("who", ["other_citizen", "outsider", "receiver", "manager", "admin"])
def test_the_detail_is_404_for_anyone_but_the_owner(client, world, other_citizen, mine, who):
    user = other_citizen if who == "other_citizen" else getattr(world, who)
    client.force_login(user)
    assert client.get(f"/cong-dan/ho-so/{mine.pk}/").status_code == 404
    assert client.get(f"/cong-dan/ho-so/{mine.pk}/da-nop/").status_code == 404
    paper = mine.papers.exclude(file="").first()
    assert client.get(f"/cong-dan/ho-so/{mine.pk}/giay-to/{paper.pk}/").status_code == 404


def test_the_owner_reads_the_detail(citizen_client, mine):
    response = citizen_client.get(f"/cong-dan/ho-so/{mine.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert mine.code in html and "Chờ tiếp nhận" in html
    assert "chậm nhất 09:00 ngày 03/03/2026" in html  # the reception guard


def test_paper_files_check_ownership(client, citizen_client, world, other_citizen, mine):
    paper = mine.papers.exclude(file="").first()
    url = f"/cong-dan/ho-so/{mine.pk}/giay-to/{paper.pk}/"
    response = citizen_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == paper.file.open("rb").read()
    # A paper of another dossier, reached through my dossier's URL, is not served.
    theirs = online_dossier(world, other_citizen)
    other_paper = theirs.papers.exclude(file="").first()
    assert (
        citizen_client.get(f"/cong-dan/ho-so/{mine.pk}/giay-to/{other_paper.pk}/").status_code
        == 404
    )
    assert (
        citizen_client.get(f"/cong-dan/ho-so/{theirs.pk}/giay-to/{other_paper.pk}/").status_code
        == 404
    )
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: to the login


def test_paper_files_are_served_only_as_the_accepted_types(citizen_client, mine):
    paper = mine.papers.exclude(file="").first()
    paper.content_type = "text/html"
    paper.save(update_fields=["content_type"])
    response = citizen_client.get(f"/cong-dan/ho-so/{mine.pk}/giay-to/{paper.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_the_list_costs_a_fixed_number_of_queries(citizen_client, world, citizen, mine):
    citizen_client.get("/cong-dan/ho-so/")
    with CaptureQueriesContext(connection) as one:
        citizen_client.get("/cong-dan/ho-so/")
    for _ in range(5):
        online_dossier(world, citizen)
    with CaptureQueriesContext(connection) as six:
        response = citizen_client.get("/cong-dan/ho-so/")
    assert response.content.decode().count("/cong-dan/ho-so/") >= 6
    assert len(six) == len(one)


def test_the_timeline_speaks_plainly_and_keeps_officers_notes_out(
    citizen_client, world, citizen, mine, freeze
):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = services.dossier_accept(dossier=mine, actor=world.receiver)
    freeze(local(2026, 3, 2, 10, 30))
    dossier = services.dossier_forward(
        dossier=dossier, actor=world.receiver, note="Ghi chú nội bộ: chữ ký mờ"
    )
    dossier = services.dossier_assign(
        dossier=dossier, actor=world.head, assignee=world.head, note="Giao gấp"
    )
    html = citizen_client.get(f"/cong-dan/ho-so/{mine.pk}/").content.decode()
    assert "Hồ sơ được nộp trực tuyến, chờ tiếp nhận." in html
    assert f"{world.desk_a.name} đã tiếp nhận hồ sơ." in html
    assert "Ngày hẹn trả kết quả: 10:00 ngày 05/03/2026." in html  # 3 working days
    assert 'id="appointment">10:00 ngày 05/03/2026' in html
    assert "Hồ sơ được chuyển xử lý: Lãnh đạo phòng chuyên môn phân công xử lý." in html
    assert "Ghi chú nội bộ" not in html and "Giao gấp" not in html
    assert world.head.get_full_name() not in html  # who handles it internally is not shown


def test_the_refusal_reason_is_shown_to_the_owner(citizen_client, world, mine):
    services.dossier_refuse_reception(dossier=mine, actor=world.receiver, reason_code="incomplete",
                                      reason="Ảnh Giấy chứng sinh bị mờ, không đọc được số")
    html = citizen_client.get(f"/cong-dan/ho-so/{mine.pk}/").content.decode()
    assert "Hồ sơ không được tiếp nhận." in html
    assert (
        "Lý do: Hồ sơ không đầy đủ, không hợp lệ — Ảnh Giấy chứng sinh bị mờ, không đọc được số"
        in html
    )


def test_online_answers_are_shown_on_the_detail(citizen_client, world, media, freeze):
    from tests.portal.factories import submit_online

    freeze(local(2026, 3, 2, 9, 0))
    submit_online(citizen_client, world)
    dossier = Dossier.objects.get(owner=world.citizen)
    html = citizen_client.get(f"/cong-dan/ho-so/{dossier.pk}/").content.decode()
    assert (
        "Tờ khai điện tử" in html and "Họ, chữ đệm, tên của trẻ" in html and "Nguyễn Văn An" in html
    )
    assert "01/03/2026" in html
    # In the form's order (PostgreSQL's jsonb does not keep key order: the display list does).
    assert (
        html.index("Họ, chữ đệm, tên của trẻ")
        < html.index("Giới tính của trẻ")
        < html.index("Quan hệ của")
    )
    assert "Tờ khai đăng ký khai sinh: khai trên tờ khai điện tử" in " ".join(html.split())


def test_results_are_offered_only_once_ready(citizen_client, world, mine, freeze):
    from django.core.files.base import ContentFile

    from motcua.dossiers.models import ResultFile

    result = ResultFile(
        dossier=mine,
        name="Giấy xác nhận tình trạng hôn nhân",
        sha256="0" * 64,
        size=5,
        attached_by=world.specialist,
        attached_at=local(2026, 3, 2, 9, 0),
    )
    result.file.save("r.pdf", ContentFile(b"%PDF-1.4"), save=True)
    assert citizen_client.get(f"/cong-dan/ho-so/{mine.pk}/ket-qua/{result.pk}/").status_code == 404
    Dossier.objects.filter(pk=mine.pk).update(status="result_ready")
    assert citizen_client.get(f"/cong-dan/ho-so/{mine.pk}/ket-qua/{result.pk}/").status_code == 200
    other = make_citizen("nguoi-la", "Người Lạ")
    citizen_client.force_login(other)
    assert citizen_client.get(f"/cong-dan/ho-so/{mine.pk}/ket-qua/{result.pk}/").status_code == 404
