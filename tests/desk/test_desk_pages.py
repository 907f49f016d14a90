"""The staff desk through Django's test client: intake, actions, inboxes, outsider access."""

import re

import pytest

from motcua.catalog.models import RequiredPaper
from motcua.dossiers import services
from motcua.dossiers.models import Applicant, Dossier, DossierEvent, Status
from tests.accounts.factories import password_of
from tests.dossiers.factories import receive, refresh
from tests.moments import local
from tests.pdf import minimal_pdf


def intake_data(world, code="2.001035", **overrides):
    data = {
        "procedure": code,
        "case": "default",
        "id_number": "040095001234",
        "full_name": "Nguyễn Văn Định",
        "phone": "0912345678",
        "address": "Số 5 Lê Lợi",
        "competent_agency": world.commune_a.pk,
        "channel": "counter",
        "idempotency_key": "key-1",
    }
    for p in RequiredPaper.objects.filter(
        version__procedure__code=code, version__status="published", required=True
    ):
        data[f"paper_{p.pk}"] = "on"
    data.update(overrides)
    return data


def test_login_page_and_redirect_for_anonymous(client):
    response = client.get("/can-bo/")
    assert response.status_code == 302 and response["Location"].startswith("/can-bo/dang-nhap/")
    assert "Đăng nhập cán bộ" in client.get("/can-bo/dang-nhap/").content.decode()


def test_citizen_account_cannot_enter_the_desk(client, world):
    client.force_login(world.citizen)
    assert client.get("/can-bo/").status_code == 403


def test_counter_intake_receives_and_opens_the_receipt(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    client.force_login(world.receiver)
    response = client.post("/can-bo/tiep-nhan/", intake_data(world))
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.status == Status.RECEIVED and dossier.receiving_agency == world.desk_a
    assert response["Location"] == f"/can-bo/ho-so/{dossier.pk}/?in_giay_tiep_nhan=1"
    html = client.get(response["Location"]).content.decode()
    assert dossier.code in html and "giay-tiep-nhan" in html and "04/03/2026" in html


def test_retried_intake_creates_one_dossier(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    client.force_login(world.receiver)
    first = client.post("/can-bo/tiep-nhan/", intake_data(world))
    second = client.post("/can-bo/tiep-nhan/", intake_data(world))
    assert first["Location"] == second["Location"] and Dossier.objects.count() == 1


@pytest.mark.parametrize("overrides, field, words", [
    ({"id_number": "04009500123"}, "applicant.id_number", "12 chữ số"),
    ({"full_name": ""}, "applicant.full_name", "họ và tên"),
    ({"phone": "12ab"}, "applicant.phone", "số điện thoại"),
    ({"competent_agency": ""}, "competent_agency", "cơ quan có thẩm quyền"),
    ({"procedure": "9.999999"}, "procedure", "không có phiên bản"),
])
def test_invalid_intake_shows_a_vietnamese_message_and_saves_nothing(
    client, world, freeze, overrides, field, words
):
    freeze(local(2026, 3, 2, 10, 0))
    client.force_login(world.receiver)
    response = client.post("/can-bo/tiep-nhan/", intake_data(world, **overrides))
    assert response.status_code == 422
    html = response.content.decode()
    assert f'data-field="{field}"' in html and words in html.lower()
    assert Dossier.objects.count() == 0 and Applicant.objects.count() == 0
    # What was typed is kept on the form.
    assert "Số 5 Lê Lợi" in html


def test_empty_intake_names_the_missing_procedure(client, world, freeze):
    """Issue #12 point 11: not "Thủ tục “” không có phiên bản đang áp dụng."."""
    freeze(local(2026, 3, 2, 10, 0))
    client.force_login(world.receiver)
    response = client.post("/can-bo/tiep-nhan/", {"idempotency_key": "key-empty"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-field="procedure"' in html and "Hãy chọn thủ tục" in html
    assert "“”" not in html
    assert Dossier.objects.count() == 0


def test_intake_marks_the_required_fields(client, world):
    client.force_login(world.receiver)
    html = client.get("/can-bo/tiep-nhan/").content.decode()
    for name in ("id_number", "full_name", "competent_agency"):
        tag = re.search(rf'<(?:input|select) id="{name}"[^>]*>', html).group(0)
        assert " required" in tag, tag
        label = re.search(rf'<label for="{name}">(.*?)</label>', html).group(1)
        assert "(bắt buộc)" in label, label
    for name in ("phone", "email", "address"):
        assert " required" not in re.search(rf'<input id="{name}"[^>]*>', html).group(0)
    assert "(bắt buộc)" in re.search(r"<legend>Thủ tục(.*?)</legend>", html).group(1)
    # The procedure choices themselves are required.
    options = client.get("/can-bo/tiep-nhan/thu-tuc/", {"q": "khai sinh"}).content.decode()
    assert all(" required" in tag for tag in re.findall(r'<input type="radio" name="procedure"[^>]*>', options))


def test_chosen_procedure_comes_back_from_the_address(client, world):
    """Back to the intake page reloads it at the address the choice wrote (?thu_tuc=…): the
    procedure and its checklist are there again."""
    client.force_login(world.receiver)
    html = client.get("/can-bo/tiep-nhan/", {"thu_tuc": "2.001035"}).content.decode()
    assert re.search(r'<input type="radio" name="procedure" value="2\.001035"[^>]*checked', html)
    assert 'id="checklist"' in html and "Trường hợp và thành phần hồ sơ" in html
    # An unknown or mangled code is ignored, not an error.
    for code in ("9.999999", "x" * 500, "<script>"):
        response = client.get("/can-bo/tiep-nhan/", {"thu_tuc": code})
        assert response.status_code == 200 and "Trường hợp và thành phần hồ sơ" not in response.content.decode()


def test_missing_required_paper_is_named(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    client.force_login(world.receiver)
    data = intake_data(world)
    first_paper = next(k for k in data if k.startswith("paper_"))
    del data[first_paper]
    response = client.post("/can-bo/tiep-nhan/", data)
    assert response.status_code == 422 and "thiếu giấy tờ bắt buộc" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_procedure_search_without_diacritics_puts_the_closest_first(client, world):
    client.force_login(world.receiver)
    html = client.get("/can-bo/tiep-nhan/thu-tuc/", {"q": "khai sinh"}).content.decode()
    codes = re.findall(r'name="procedure" value="([^"]+)"', html)
    assert codes[0] == "1.001193" and "DEMO.0002" in codes


def test_known_cccd_prefills_the_applicant(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    receive(world)
    client.force_login(world.receiver)
    data = client.get("/can-bo/cong-dan/", {"id_number": "040095001234"}).json()
    assert data == {
        "found": True,
        "full_name": "Nguyễn Văn Định",
        "phone": "0912345678",
        "email": "dinh@example.vn",
        "address": "Số 5, đường Lê Lợi, phường Thành Vinh, Nghệ An",
    }
    # An officer of another commune learns nothing from this lookup.
    client.force_login(world.outsider)
    assert client.get("/can-bo/cong-dan/", {"id_number": "040095001234"}).json() == {"found": False}


def test_actions_offered_follow_role_and_status(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    client.force_login(world.receiver)
    offered = set(
        re.findall(
            r'data-action="(\w+)"', client.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
        )
    )
    assert {"forward", "request_supplement", "stop", "withdraw"} <= offered
    assert "result_ready" not in offered and "apologise" not in offered
    client.force_login(world.specialist)  # not at the reception step
    offered = set(
        re.findall(
            r'data-action="(\w+)"', client.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
        )
    )
    assert "forward" not in offered


def test_forward_through_the_page(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    client.force_login(world.receiver)
    response = client.post(f"/can-bo/ho-so/{dossier.pk}/thao-tac/forward/", {"note": "Hồ sơ đủ"})
    assert response.status_code == 302
    assert refresh(dossier).current_step.order == 2
    page = client.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    assert "Đã thực hiện: Chuyển bước tiếp theo." in page and "Hồ sơ đủ" in page


def test_illegal_action_shows_a_message_and_changes_nothing(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    client.force_login(world.receiver)
    events = DossierEvent.objects.count()
    response = client.post(
        f"/can-bo/ho-so/{dossier.pk}/thao-tac/return_result/",
        {"method": "counter", "detail": "A"},
        follow=True,
    )
    assert "Không thể thực hiện “Trả kết quả”" in response.content.decode()
    assert refresh(dossier).status == Status.RECEIVED and DossierEvent.objects.count() == events


def test_inboxes_count_and_list(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    client.force_login(world.receiver)
    html = client.get("/can-bo/").content.decode()
    assert 'data-inbox="my_steps">1<' in html and dossier.code in html
    html = client.get("/can-bo/", {"hop": "my_steps", "q": "nguyen van dinh"}).content.decode()
    assert dossier.code in html
    html = client.get("/can-bo/", {"hop": "my_steps", "q": "tran thi"}).content.decode()
    assert dossier.code not in html
    freeze(local(2026, 3, 4, 11, 0))
    html = client.get("/can-bo/", {"hop": "overdue"}).content.decode()
    assert 'data-inbox="overdue">1<' in html and "Quá hạn" in html


def test_bulk_forward_goes_through_the_services(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    a, b = receive(world), receive(world)
    client.force_login(world.receiver)
    response = client.post(
        "/can-bo/hang-loat/", {"action": "forward", "dossier": [a.pk, b.pk]}, follow=True
    )
    assert "Chuyển bước tiếp theo: 2 hồ sơ" in response.content.decode()
    assert refresh(a).current_step.order == 2 and refresh(b).current_step.order == 2
    assert DossierEvent.objects.filter(action="forward").count() == 2


def test_bulk_reports_each_failure(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    a = receive(world)
    client.force_login(world.receiver)
    response = client.post(
        "/can-bo/hang-loat/", {"action": "return_result", "dossier": [a.pk]}, follow=True
    )
    assert f"{a.code}: Không thể thực hiện" in response.content.decode()


# --- the outsider: an officer of another commune -----------------------------------------------


def outsider_urls(dossier):
    from motcua.desk.documents import KINDS

    base = f"/can-bo/ho-so/{dossier.pk}/"
    paper = dossier.papers.exclude(file="").first()
    result = dossier.results.first()
    return ([base, f"{base}giay-to/{paper.pk}/", f"{base}ket-qua/{result.pk}/"]
            + [f"{base}van-ban/{kind}/" for kind in KINDS])


def test_outsider_can_neither_list_nor_open_nor_act(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    services.dossier_request_supplement(
        dossier=dossier, actor=world.receiver, items=["Tờ khai"], reason="Thiếu"
    )
    dossier = services.dossier_receive_supplement(dossier=dossier, actor=world.receiver)
    services.dossier_attach_result(
        dossier=dossier, actor=world.receiver, name="Kết quả", content=minimal_pdf()
    )
    services.dossier_apologise(dossier=dossier, actor=world.leader, reason="Chậm",
                               new_appointment_at=local(2026, 3, 10, 10, 0))
    client.force_login(world.outsider)
    for kind in (
        "my_steps",
        "due_soon",
        "overdue",
        "to_return",
        "waiting_reception",
        "awaiting_supplement",
    ):
        html = client.get("/can-bo/", {"hop": kind, "q": dossier.code}).content.decode()
        assert f"/can-bo/ho-so/{dossier.pk}/" not in html and "Không có hồ sơ." in html
    for url in outsider_urls(dossier):
        assert client.get(url).status_code == 404, url
    for action in ("forward", "refuse", "stop", "withdraw", "return_result", "attach_result"):
        assert (
            client.post(
                f"/can-bo/ho-so/{dossier.pk}/thao-tac/{action}/", {"reason": "x"}
            ).status_code
            == 404
        )
    response = client.post(
        "/can-bo/hang-loat/", {"action": "forward", "dossier": [dossier.pk]}, follow=True
    )
    assert "không tìm thấy" in response.content.decode()
    assert refresh(dossier).current_step.order == 1
    log = client.get(
        "/can-bo/so-theo-doi/", {"tu_ngay": "2026-03-01", "den_ngay": "2026-03-31"}
    ).content.decode()
    assert dossier.code not in log
    from io import BytesIO

    from openpyxl import load_workbook

    xlsx = client.get("/can-bo/so-theo-doi/", {"tu_ngay": "2026-03-01", "den_ngay": "2026-03-31",
                                               "dinh_dang": "xlsx"})
    cells = [
        c.value for row in load_workbook(BytesIO(xlsx.content)).active.iter_rows() for c in row
    ]
    assert dossier.code not in cells


def test_insiders_open_the_same_urls(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    for user in (world.receiver, world.specialist, world.manager):
        client.force_login(user)
        assert client.get(f"/can-bo/ho-so/{dossier.pk}/").status_code == 200
        assert (
            client.get(
                f"/can-bo/ho-so/{dossier.pk}/giay-to/{dossier.papers.first().pk}/"
            ).status_code
            == 200
        )
        response = client.get(f"/can-bo/ho-so/{dossier.pk}/van-ban/giay-tiep-nhan/")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    xlsx = client.get(
        "/can-bo/so-theo-doi/",
        {"tu_ngay": "2026-03-01", "den_ngay": "2026-03-31", "dinh_dang": "xlsx"},
    )
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_staff_login_is_locked_after_the_limit(client, world, settings):
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    for _ in range(2):
        response = client.post("/can-bo/dang-nhap/", {"username": "tiepnhan", "password": "sai"})
        assert response.status_code == 200 and "không đúng" in response.content.decode()
    # The third failure locks; even the right password waits now (accounts/lockout.py).
    for password in ("sai", password_of("tiepnhan")):
        response = client.post("/can-bo/dang-nhap/", {"username": "tiepnhan", "password": password})
        assert response.status_code == 429 and "tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_login_works(client, world):
    response = client.post(
        "/can-bo/dang-nhap/", {"username": "tiepnhan", "password": password_of("tiepnhan")}
    )
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(world.receiver.pk)
