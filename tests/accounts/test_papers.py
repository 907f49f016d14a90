"""My papers: upload (sniffed by content, size-limited), list, download and delete — each read
path also tried by another citizen (the outsider), who gets 404 and sees nothing."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts import selectors, services
from motcua.accounts.models import CitizenPaper
from tests.pdf import minimal_pdf, tiny_image

pytestmark = pytest.mark.django_db

PDF = minimal_pdf()
JPEG = tiny_image("JPEG")
PNG = tiny_image("PNG")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64


def stored_files() -> list[Path]:
    folder = Path(django_settings.MEDIA_ROOT) / "citizen-papers"
    return sorted(folder.glob("*")) if folder.exists() else []


@pytest.fixture
def owner(client, make_citizen):
    citizen = make_citizen(full_name="Lê Văn Chủ", phone="0912345678")
    client.force_login(citizen)
    return citizen


@pytest.fixture
def outsider(make_citizen):
    return make_citizen(full_name="Phạm Thị Khác", phone="0987654321")


def upload(client, name, content, filename):
    return client.post(
        "/tai-khoan/giay-to/", {"name": name, "file": SimpleUploadedFile(filename, content)}
    )


def test_upload_a_pdf_then_list_and_download_it(client, owner):
    response = upload(client, "Căn cước công dân", PDF, "cccd.pdf")
    assert response.status_code == 302
    paper = CitizenPaper.objects.get(owner=owner)
    assert (paper.name, paper.content_type, paper.size, paper.original_name) == (
        "Căn cước công dân", "application/pdf", len(PDF), "cccd.pdf")
    assert paper.source == CitizenPaper.Source.UPLOAD and len(paper.sha256) == 64
    # Stored under a random name, never the citizen's.
    assert "cccd" not in paper.file.name and paper.file.name.endswith(".pdf")
    html = client.get("/tai-khoan/giay-to/").content.decode()
    assert "Căn cước công dân" in html and f"/tai-khoan/giay-to/{paper.pk}/" in html
    download = client.get(f"/tai-khoan/giay-to/{paper.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert (
        download["Content-Disposition"].startswith("attachment;")
        and "cccd.pdf" in download["Content-Disposition"]
    )


@pytest.mark.parametrize("content, kind", [(JPEG, "image/jpeg"), (PNG, "image/png")])
def test_images_are_recognised_by_content_not_by_name(client, owner, content, kind):
    assert upload(client, "Ảnh chụp giấy tờ", content, "anh.pdf").status_code == 302
    assert CitizenPaper.objects.get(owner=owner).content_type == kind


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_saved(client, owner):
    before = stored_files()
    response = upload(client, "Giấy khai sinh", EXE, "giay-khai-sinh.pdf")
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "“Giấy khai sinh”: tệp “giay-khai-sinh.pdf” không phải tệp PDF, JPEG hoặc PNG."
        in html
    )
    assert 'id="err_file"' in html
    assert not CitizenPaper.objects.exists() and stored_files() == before


def test_an_oversized_file_is_refused_and_nothing_is_saved(client, owner, settings):
    settings.UPLOAD_MAX_MB = 1
    before = stored_files()
    response = upload(client, "Bản quét lớn", PDF + b"0" * (1024 * 1024), "ban-quet.pdf")
    assert response.status_code == 400
    assert (
        "tệp “ban-quet.pdf” vượt quá dung lượng cho phép (1 MB mỗi tệp)."
        in response.content.decode()
    )
    assert not CitizenPaper.objects.exists() and stored_files() == before


@pytest.mark.parametrize("name, content, message", [
    ("", PDF, "Tên giấy tờ không được để trống."),
    ("Giấy tờ rỗng", b"", "tệp “rong.pdf” không có nội dung."),
])
def test_missing_name_or_empty_file_is_explained(client, owner, name, content, message):
    response = upload(client, name, content, "rong.pdf")
    assert message in response.content.decode() and not CitizenPaper.objects.exists()


def test_no_file_chosen_is_explained(client, owner):
    response = client.post("/tai-khoan/giay-to/", {"name": "Không có tệp"})
    assert "Hãy chọn tệp giấy tờ để tải lên." in response.content.decode()


def test_another_citizen_neither_sees_nor_downloads_nor_deletes_it(client, owner, outsider):
    upload(client, "Sổ hộ khẩu cũ của Chủ", PDF, "so.pdf")
    paper = CitizenPaper.objects.get(owner=owner)
    assert "Sổ hộ khẩu cũ của Chủ" in client.get("/tai-khoan/giay-to/").content.decode()
    client.post("/tai-khoan/dang-xuat/")
    client.force_login(outsider)
    html = client.get("/tai-khoan/giay-to/").content.decode()
    assert "Sổ hộ khẩu cũ của Chủ" not in html and f"/tai-khoan/giay-to/{paper.pk}/" not in html
    assert client.get(f"/tai-khoan/giay-to/{paper.pk}/").status_code == 404
    assert client.post(f"/tai-khoan/giay-to/{paper.pk}/xoa/").status_code == 404
    assert CitizenPaper.objects.filter(pk=paper.pk).exists()
    # The selectors the submission will use say the same.
    assert list(selectors.citizen_papers(outsider)) == []
    with pytest.raises(CitizenPaper.DoesNotExist):
        selectors.citizen_paper_get(outsider, paper.pk)


def test_staff_are_outsiders_too(client, owner, world):
    upload(client, "Giấy tờ riêng", PDF, "rieng.pdf")
    paper = CitizenPaper.objects.get(owner=owner)
    client.force_login(world.receiver)
    assert client.get(f"/tai-khoan/giay-to/{paper.pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_citizen_login(client, make_citizen):
    citizen = make_citizen(phone="0912345678")
    paper = services.citizen_paper_add(actor=citizen, name="Giấy tờ", content=PDF, filename="a.pdf")
    for url in ("/tai-khoan/giay-to/", f"/tai-khoan/giay-to/{paper.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/tai-khoan/dang-nhap/?next={url}"
    assert client.post(f"/tai-khoan/giay-to/{paper.pk}/xoa/").status_code == 302
    assert CitizenPaper.objects.filter(pk=paper.pk).exists()
    from django.contrib.auth.models import AnonymousUser

    assert list(selectors.citizen_papers(AnonymousUser())) == []


def test_delete_removes_the_row_and_then_the_file(
    client, owner, django_capture_on_commit_callbacks
):
    upload(client, "Giấy cũ", PDF, "cu.pdf")
    paper = CitizenPaper.objects.get(owner=owner)
    path = Path(paper.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/tai-khoan/giay-to/{paper.pk}/xoa/").status_code == 302
    assert not CitizenPaper.objects.filter(pk=paper.pk).exists() and not path.exists()
    assert client.get("/tai-khoan/giay-to/{paper.pk}/").status_code == 404


def test_delete_is_post_only(client, owner):
    upload(client, "Giấy", PDF, "g.pdf")
    paper = CitizenPaper.objects.get(owner=owner)
    assert client.get(f"/tai-khoan/giay-to/{paper.pk}/xoa/").status_code == 405


def test_service_keeps_a_result_from_a_dossier_for_reuse(make_citizen):
    citizen = make_citizen(phone="0912345678")
    paper = services.citizen_paper_add(
        actor=citizen,
        name="Trích lục khai sinh",
        content=PDF,
        filename="C:\\Users\\An\\trich-luc.pdf",
        source=CitizenPaper.Source.RESULT,
    )
    assert paper.source == "result" and paper.original_name == "trich-luc.pdf"
    assert list(selectors.citizen_papers(citizen)) == [paper]
    with pytest.raises(services.AccountError) as refused:
        services.citizen_paper_add(
            actor=citizen, name="X", content=PDF, filename="x.pdf", source="stolen"
        )
    assert refused.value.field == "source"


def test_the_store_has_a_limit(make_citizen, settings):
    settings.CITIZEN_PAPERS_MAX = 2
    citizen = make_citizen(phone="0912345678")
    for i in range(2):
        services.citizen_paper_add(actor=citizen, name=f"Giấy {i}", content=PDF, filename="g.pdf")
    with pytest.raises(services.AccountError) as refused:
        services.citizen_paper_add(actor=citizen, name="Giấy 3", content=PDF, filename="g.pdf")
    assert "Kho giấy tờ đã đủ 2 giấy tờ" in refused.value.message
