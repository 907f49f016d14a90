"""Public pages and the admin show the real catalogue."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_home_lists_the_published_procedures_by_field(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đăng ký khai sinh" in html and "Hộ tịch" in html and "Chứng thực" in html


@pytest.mark.parametrize(
    "query", ["khai sinh", "dang ky khai sinh", "Đăng ký khai sinh", "1.001193"]
)
def test_catalogue_search_without_diacritics(client, query):
    html = client.get("/thu-tuc/", {"q": query}).content.decode()
    assert "Đăng ký khai sinh" in html
    assert "Chứng thực chữ ký" not in html


def test_procedure_page_shows_papers_fees_limit_and_steps(client):
    html = client.get("/thu-tuc/2.001035/").content.decode()
    assert "2 ngày làm việc" in html
    assert "50.000 đ" in html
    assert "Dự thảo hợp đồng, giao dịch" in html
    assert "Văn thư" in html


def test_unknown_procedure_is_404(client):
    assert client.get("/thu-tuc/9.999999/").status_code == 404


def test_admin_lists_real_procedures_in_vietnamese(client, world):
    client.force_login(world.admin)
    html = client.get("/admin/catalog/procedure/").content.decode()
    assert "1.001193" in html and "Đăng ký khai sinh" in html
    assert "Thủ tục hành chính" in html or "thủ tục hành chính" in html
    assert client.get("/admin/catalog/procedureversion/").status_code == 200
    assert client.get("/admin/agencies/agency/").status_code == 200


def test_admin_refuses_a_process_over_its_limit(client, world):
    from motcua.catalog.models import Procedure, ProcessTemplate
    from motcua.catalog.services import version_new_draft

    client.force_login(world.admin)
    draft = version_new_draft(procedure=Procedure.objects.get(code="2.001035"))
    template = ProcessTemplate.objects.get(version=draft)
    steps = list(template.steps.order_by("order"))
    data = {"version": template.version_id, "agency": "", "case": "", "name": template.name,
            "steps-TOTAL_FORMS": len(steps), "steps-INITIAL_FORMS": len(steps),
            "steps-MIN_NUM_FORMS": 0, "steps-MAX_NUM_FORMS": 1000}
    for i, s in enumerate(steps):
        data.update(
            {
                f"steps-{i}-id": s.pk,
                f"steps-{i}-template": template.pk,
                f"steps-{i}-order": s.order,
                f"steps-{i}-name": s.name,
                f"steps-{i}-role": s.role,
                f"steps-{i}-position": s.position_id or "",
                f"steps-{i}-agency_kind": s.agency_kind,
                f"steps-{i}-other_agency_kind": s.other_agency_kind,
                f"steps-{i}-other_agency": "",
                f"steps-{i}-budget_hours": "40" if s.order == 3 else s.budget_hours,
                f"steps-{i}-is_return": "on" if s.is_return else "",
            }
        )
    response = client.post(f"/admin/catalog/processtemplate/{template.pk}/change/", data)
    assert response.status_code == 200  # re-rendered with the error, not saved
    assert "vượt thời hạn" in response.content.decode()
    assert template.steps.get(order=3).budget_hours == 8


def test_admin_keeps_a_published_process_read_only(client, world):
    from motcua.catalog.models import ProcessTemplate

    client.force_login(world.admin)
    template = ProcessTemplate.objects.get(
        version__procedure__code="2.001035", version__status="published"
    )
    response = client.post(
        f"/admin/catalog/processtemplate/{template.pk}/change/", {"name": "Đổi tên"}
    )
    assert response.status_code == 403
    assert ProcessTemplate.objects.get(pk=template.pk).name == template.name


def test_form_templates_download_from_the_procedure_page(client, settings, tmp_path):
    from motcua.catalog.models import FormTemplate

    form = FormTemplate.objects.filter(
        version__procedure__code="1.001193", version__status="published"
    ).first()
    html = client.get("/thu-tuc/1.001193/").content.decode()
    url = f"/thu-tuc/1.001193/mau/{form.pk}/"
    assert url in html
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and form.name.upper() in body
    # A form id of another procedure is not served under this code.
    other = FormTemplate.objects.exclude(version__procedure__code="1.001193").first()
    assert client.get(f"/thu-tuc/1.001193/mau/{other.pk}/").status_code == 404


def test_online_procedures_link_to_their_online_form(client):
    assert 'href="/cong-dan/nop/1.001193/"' in client.get("/thu-tuc/1.001193/").content.decode()


@pytest.mark.parametrize("url", ["/thanh-toan/bat-dau/1/", "/danh-gia/ho-so/1/"])
def test_citizen_pages_send_anonymous_visitors_to_the_citizen_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")


def test_every_page_names_its_icon_and_favicon_ico_leads_to_it(client, db):
    # #12 point 20: no favicon (every page's browser tab blank, a 404 logged for /favicon.ico).
    from django.contrib.staticfiles import finders

    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/web/favicon.svg" type="image/svg+xml">' in page
    assert client.get("/can-bo/dang-nhap/").content.decode().count('rel="icon"') == 1
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/web/favicon.svg"
    assert finders.find("web/favicon.svg")


def test_admin_shows_background_tasks_in_vietnamese(client, world):
    """Issue #12 point 20: the admin listed "Tasks Database Backend" / "Task Results"."""
    client.force_login(world.admin)
    index = client.get("/admin/").content.decode()
    assert "Tác vụ nền" in index and "Kết quả tác vụ nền" in index  # capitalised by the admin
    assert "Task Result" not in index and "Tasks Database Backend" not in index
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.create(
        task_path="motcua.notify.tasks.send", args_kwargs={"args": [], "kwargs": {}}, backend_name="default",
        run_after=timezone.now(), exception_class_path="", traceback="",
    )
    listing = client.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
    for words in ("Kết quả tác vụ nền", "Trạng thái", "Xếp hàng lúc", "Hàng đợi"):
        assert words in listing, words
    for english in ("Task Result", "Enqueued at", "Queue name", "Status"):
        assert english not in listing, english


def test_procedure_text_reads_cleanly(client, world):
    """Issue #12 point 19: "(nếu có) (nếu có)", the fee name again in the amount column, the
    confidence markers [C]/[M] of the catalogue's sources, an empty "Nguồn:"."""
    from motcua.catalog.models import ProcedureVersion

    version = ProcedureVersion.objects.get(procedure__code="2.001035", status="published")
    paper = version.papers.filter(required=False).first() or version.papers.first()
    paper.name, paper.required = "Văn bản ủy quyền (nếu có)", False
    paper.save()
    fee = version.fees.first()
    fee.note = "Mức thu theo Thông tư 226/2016/TT-BTC [C]"
    fee.save()
    version.note, version.sources = "Thời hạn theo mẫu Nghệ An, giá trị demo [M].", ""
    version.save()
    page = client.get("/thu-tuc/2.001035/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Văn bản ủy quyền (nếu có)" in text and "(nếu có) (nếu có)" not in text
    amount_cells = re.findall(r"<td[^>]*>([^<]*đ)</td>", page)
    assert amount_cells and all(fee.name not in cell for cell in amount_cells)
    assert "[C]" not in text and "[M]" not in text and "Thông tư 226/2016/TT-BTC" in text
    assert "Nguồn:" not in text
