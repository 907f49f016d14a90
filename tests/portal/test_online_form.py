"""The online form is data in the catalogue; every message names the field's label in Vietnamese."""

from urllib.parse import quote

import pytest

from motcua.catalog.models import OnlineField, OnlineLevel
from motcua.dossiers.models import Dossier
from motcua.portal import forms
from motcua.portal.models import SubmissionDraft
from tests.portal.factories import BIRTH, birth_form, version

URL = f"/cong-dan/nop/{BIRTH}/"


def test_the_form_shows_the_catalogue_fields(citizen_client):
    html = citizen_client.get(URL).content.decode()
    for f in version().online_fields.all():
        assert f.label in html
    assert '<select id="f_tre_gioi_tinh"' in html and ">Nữ</option>" in html
    assert "Tờ khai điện tử" in html and "Giấy chứng sinh" in html


def test_adding_a_field_row_changes_the_form_without_code(citizen_client, world, media):
    OnlineField.objects.create(
        version=version(),
        key="ten_goi_khac",
        label="Tên gọi khác của trẻ",
        kind="text",
        required=True,
        order=99,
    )
    assert "Tên gọi khác của trẻ" in citizen_client.get(URL).content.decode()
    refused = citizen_client.post(URL, birth_form(world))
    assert refused.status_code == 422
    assert "Vui lòng nhập “Tên gọi khác của trẻ”." in refused.content.decode()
    accepted = citizen_client.post(URL, birth_form(world, f_ten_goi_khac="Bin"))
    assert accepted.status_code == 302
    assert SubmissionDraft.objects.get().answers["ten_goi_khac"] == "Bin"


def test_removing_every_field_row_leaves_the_applicant_and_papers(citizen_client, world, media):
    version().online_fields.all().delete()
    html = citizen_client.get(URL).content.decode()
    assert "Tờ khai điện tử" not in html and "Người nộp hồ sơ" in html
    # Without an online form, the declaration is a paper to attach again.
    assert "Tờ khai đăng ký khai sinh" in html


def field(kind, label="Ngày sinh của mẹ", required=True, choices=None, max_length=500):
    return OnlineField(
        key="x",
        label=label,
        kind=kind,
        required=required,
        choices=choices or [],
        max_length=max_length,
    )


@pytest.mark.parametrize(
    "kind, raw, message",
    [
        ("text", "", "Vui lòng nhập “{label}”."),
        ("textarea", "   ", "Vui lòng nhập “{label}”."),
        ("select", "", "Vui lòng chọn “{label}”."),
        ("checkbox", "", "Vui lòng đánh dấu “{label}”."),
        (
            "date",
            "31/02/2026",
            "“{label}” không phải ngày hợp lệ; "
            "hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/03/2026.",
        ),
        ("date", "hôm qua", "“{label}” không phải ngày hợp lệ"),
        ("number", "hai", "“{label}” phải là một số, ví dụ 2 hoặc 2,5."),
        ("number", "-1", "“{label}” phải là một số"),
        ("select", "Khác", "“{label}”: hãy chọn một giá trị trong danh sách."),
        ("id_number", "04009500123", "“{label}” phải gồm đúng 12 chữ số."),
        ("id_number", "04009500123a", "“{label}” phải gồm đúng 12 chữ số."),
        ("phone", "12345", "“{label}” không phải số điện thoại hợp lệ (ví dụ 0912345678)."),
        ("email", "dinh@", "“{label}” không phải địa chỉ thư điện tử hợp lệ."),
    ],
)
def test_each_kind_names_its_label(kind, raw, message):
    label = "Trường kiểm tra"
    f = field(kind, label=label, choices=["Nam", "Nữ"])
    with pytest.raises(forms.FieldInvalid) as exc:
        forms.clean_value(f, raw)
    assert message.format(label=label) in exc.value.message


def test_too_long_names_the_label():
    with pytest.raises(forms.FieldInvalid, match="“Nơi sinh” dài quá 10 ký tự."):
        forms.clean_value(field("text", label="Nơi sinh", max_length=10), "x" * 11)


@pytest.mark.parametrize("kind, raw, value", [
    ("date", "05/03/2026", "2026-03-05"),
    ("date", "5/3/2026", "2026-03-05"),
    ("date", "2026-03-05", "2026-03-05"),
    ("number", "2", "2"),
    ("number", "2,5", "2.5"),
    ("id_number", "0400 9500 1234", "040095001234"),
    ("phone", "0912.345.678", "0912345678"),
    ("phone", "+84912345678", "+84912345678"),
    ("email", " dinh@example.vn ", "dinh@example.vn"),
    ("select", "Nữ", "Nữ"),
    ("checkbox", "on", True),
    ("text", "  Nguyễn   Văn  An ", "Nguyễn Văn An"),
])
def test_good_values_are_normalised(kind, raw, value):
    assert forms.clean_value(field(kind, choices=["Nam", "Nữ"]), raw) == value


def test_optional_fields_may_stay_empty():
    for kind in ("text", "date", "number", "select", "id_number", "phone", "email"):
        assert forms.clean_value(field(kind, required=False), "") == ""
    assert forms.clean_value(field("checkbox", required=False), "") is False


def test_select_choices_may_be_value_label_pairs():
    f = field("select", choices=[["m", "Nam"], ["f", "Nữ"]])
    assert forms.clean_value(f, "f") == "f"
    with pytest.raises(forms.FieldInvalid):
        forms.clean_value(f, "Nữ")


def test_all_errors_of_the_page_at_once_each_naming_its_field(citizen_client, world, media):
    data = birth_form(
        world,
        f_tre_ho_ten="",
        f_tre_ngay_sinh="32/13/2026",
        f_me_so_dinh_danh="123",
        f_tre_gioi_tinh="",
        f_cam_doan=None,
        competent_agency="",
        applicant_phone="12",
    )
    response = citizen_client.post(URL, data)
    assert response.status_code == 422
    html = response.content.decode()
    for message in (
        "Vui lòng nhập “Họ, chữ đệm, tên của trẻ”.",
        "“Ngày, tháng, năm sinh của trẻ” không phải ngày hợp lệ",
        "“Số định danh cá nhân của mẹ” phải gồm đúng 12 chữ số.",
        "Vui lòng chọn “Giới tính của trẻ”.",
        "Vui lòng đánh dấu “Tôi cam đoan",
        "Vui lòng chọn “Cơ quan giải quyết”",
        "Người nộp hồ sơ: số điện thoại không hợp lệ",
    ):
        assert message.replace("“", "&ldquo;") in html or message in html, message
    # Linked from the summary to the input, marked invalid for screen readers.
    assert (
        'href="#f_tre_ho_ten"' in html
        and 'id="f_tre_ho_ten"' in html
        and 'aria-invalid="true"' in html
    )
    # What was typed stays on the page.
    assert "Lê Thị Bình" in html
    assert (
        not SubmissionDraft.objects.exists()
        and not Dossier.objects.filter(owner=world.citizen).exists()
    )


def test_the_applicant_block_is_prefilled_from_the_account(citizen_client, citizen):
    html = citizen_client.get(URL).content.decode()
    assert 'value="Ngô Văn Công Dân"' in html
    assert 'value="0987654321"' in html and 'value="congdan@example.vn"' in html


def test_the_competent_commune_must_be_chosen_and_has_a_desk(citizen_client, world):
    html = citizen_client.get(URL).content.decode()
    assert "— Chọn xã, phường nơi Ông/Bà đăng ký —" in html
    assert f'<option value="{world.commune_a.pk}">{world.commune_a.name}</option>' in html
    assert f'<option value="{world.commune_b.pk}">' in html


def test_choosing_commune_b_sends_to_its_desk(citizen_client, world, media):
    assert (
        citizen_client.post(
            URL, birth_form(world, competent_agency=str(world.commune_b.pk))
        ).status_code
        == 302
    )
    draft = SubmissionDraft.objects.get()
    assert draft.competent_agency == world.commune_b and draft.receiving_agency == world.desk_b


def test_an_agency_that_is_not_a_choice_is_refused(citizen_client, world, media):
    response = citizen_client.post(URL, birth_form(world, competent_agency=str(world.police_a.pk)))
    assert response.status_code == 422
    assert not SubmissionDraft.objects.exists()


def test_anonymous_visitors_go_to_the_citizen_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/tai-khoan/dang-nhap/?next={quote(URL)}"


def test_the_login_url_is_a_setting(client, settings):
    settings.CITIZEN_LOGIN_URL = "/dang-nhap-vneid/"
    assert client.get("/cong-dan/ho-so/")["Location"].startswith("/dang-nhap-vneid/?next=")


def test_a_procedure_without_online_submission_says_so(citizen_client):
    v = version("2.000815")
    v.online_level = OnlineLevel.NONE
    v.save(update_fields=["online_level"])
    response = citizen_client.get("/cong-dan/nop/2.000815/")
    assert response.status_code == 404
    assert "Thủ tục này chưa cho phép nộp hồ sơ trực tuyến." in response.content.decode()
    assert citizen_client.post("/cong-dan/nop/2.000815/", {}).status_code == 404


def test_an_unknown_procedure_is_404(citizen_client):
    assert citizen_client.get("/cong-dan/nop/9.999999/").status_code == 404


@pytest.mark.parametrize(
    "code", ["1.001193", "2.000815"]
)  # the catalogue's online forms (the demo's: tests/demo)
def test_an_online_form_shows_every_field_of_the_catalogue(citizen_client, code):
    v = version(code)
    assert v.online_fields.count() >= 6
    html = citizen_client.get(f"/cong-dan/nop/{code}/").content.decode()
    for f in v.online_fields.all():
        assert f'id="f_{f.key}"' in html and f.label in html, f.key


CERTIFY = "2.000815"
CERTIFY_ANSWERS = {
    "f_ten_giay_to": "Bằng tốt nghiệp đại học",
    "f_co_quan_cap": "Trường Đại học Vinh",
    "f_so_trang": "1",
    "f_so_ban_sao": "3",
    "f_nhan_ket_qua": "Nhận qua dịch vụ bưu chính công ích",
}


def certify_form(world, case, **extra):
    from tests.portal.factories import APPLICANT, PDF, upload

    v = version(CERTIFY)
    files = {f"paper_{p.pk}": upload(PDF) for p in v.papers.all()
             if p.required and p.case_id is None and not forms.covered_by_e_form(p, v)}
    return {
        "competent_agency": str(world.commune_a.pk),
        "case": case,
        **APPLICANT,
        **CERTIFY_ANSWERS,
        **files,
        **extra,
    }


def test_papers_follow_the_chosen_case(citizen_client, world, media):
    from motcua.catalog.models import RequiredPaper

    v = version(CERTIFY)
    listing = RequiredPaper.objects.create(
        version=v,
        case=v.cases.get(key="nhieu_giay_to"),
        required=True,
        name="Danh mục các giấy tờ cần chứng thực",
        kind="original",
    )
    url = f"/cong-dan/nop/{CERTIFY}/"
    html = citizen_client.get(url).content.decode()
    assert '<select id="case" name="case"' in html
    assert "chỉ áp dụng cho trường hợp “Nhiều loại giấy tờ" in html
    assert (
        citizen_client.post(url, {k: v for k, v in certify_form(world, "").items()}).status_code
        == 422
    )
    many = citizen_client.post(url, certify_form(world, "nhieu_giay_to"))
    assert many.status_code == 422
    assert f"“{listing.name}”: hãy đính kèm tệp" in many.content.decode()
    usual = citizen_client.post(url, certify_form(world, "default"))
    assert usual.status_code == 302
    assert SubmissionDraft.objects.get().case.key == "default"


def test_a_missing_case_is_named(citizen_client, world, media):
    response = citizen_client.post(f"/cong-dan/nop/{CERTIFY}/", certify_form(world, ""))
    assert "Vui lòng chọn “Trường hợp giải quyết”." in response.content.decode()


def test_the_review_shows_the_answers_in_the_forms_order(citizen_client, world, media):
    response = citizen_client.post(URL, birth_form(world), follow=True)
    html = response.content.decode()
    labels = [f.label for f in version().online_fields.all()]
    positions = [html.index(label) for label in labels]
    assert positions == sorted(positions)
    assert "<dd>Có</dd>" in html  # the commitment, as a citizen reads it
