"""Uploads are recognised by their content and size-limited; a refused form saves nothing."""

import pytest
from django.core.files.base import ContentFile

from motcua import uploads
from motcua.accounts.models import CitizenPaper
from motcua.dossiers.models import Dossier
from motcua.portal.models import SubmissionDraft
from tests.pdf import minimal_pdf
from tests.portal.factories import (
    BIRTH,
    EXE,
    JPEG,
    PDF,
    PNG,
    birth_form,
    files_under,
    papers_to_upload,
    upload,
)

URL = f"/cong-dan/nop/{BIRTH}/"


@pytest.mark.parametrize(
    "head, content_type", [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")]
)
def test_sniff_recognises_the_three_kinds(head, content_type):
    assert uploads.sniff(head[:8]).content_type == content_type


@pytest.mark.parametrize(
    "head", [EXE, b"hello world", b"<html><script>", b"PK\x03\x04zip", b"GIF89a", b""]
)
def test_sniff_refuses_anything_else(head):
    assert uploads.sniff(head[:8]) is None


def post_with_bad_file(client, world, content, name, content_type="application/pdf"):
    paper = papers_to_upload()[0]
    files = {f"paper_{p.pk}": upload(PDF, "tot.pdf") for p in papers_to_upload()}
    files[f"paper_{paper.pk}"] = upload(content, name, content_type)
    return paper, client.post(URL, birth_form(world, files=files))


def assert_nothing_saved(world, media):
    assert not SubmissionDraft.objects.exists()
    assert not Dossier.objects.filter(owner=world.citizen).exists()
    assert files_under(media) == []


def test_an_exe_renamed_pdf_is_refused(citizen_client, world, media):
    paper, response = post_with_bad_file(citizen_client, world, EXE, "giay-chung-sinh.pdf")
    assert response.status_code == 422
    html = response.content.decode()
    assert f"“{paper.name}”: tệp “giay-chung-sinh.pdf” không phải tệp PDF, JPEG hoặc PNG." in html
    assert "vui lòng chọn lại tệp cho từng giấy tờ" in html
    assert_nothing_saved(world, media)


def test_a_text_file_is_refused(citizen_client, world, media):
    paper, response = post_with_bad_file(
        citizen_client, world, "Tôi là tệp văn bản".encode(), "ghi-chu.txt", "text/plain"
    )
    assert response.status_code == 422
    assert "“ghi-chu.txt” không phải tệp PDF, JPEG hoặc PNG" in response.content.decode()
    assert_nothing_saved(world, media)


def test_an_oversized_file_is_refused(citizen_client, world, media, settings):
    settings.UPLOAD_MAX_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    paper, response = post_with_bad_file(citizen_client, world, big, "ban-quet-lon.pdf")
    assert response.status_code == 422
    assert (
        f"“{paper.name}”: tệp “ban-quet-lon.pdf” vượt quá dung lượng cho phép (1 MB mỗi tệp)."
        in response.content.decode()
    )
    assert_nothing_saved(world, media)


def test_a_file_just_under_the_limit_is_accepted(citizen_client, world, media, settings):
    settings.UPLOAD_MAX_MB = 1
    paper = papers_to_upload()[0]
    files = {f"paper_{p.pk}": upload(PDF, "tot.pdf") for p in papers_to_upload()}
    files[f"paper_{paper.pk}"] = upload(minimal_pdf(size=1024 * 1024), "vua-du.pdf")
    assert citizen_client.post(URL, birth_form(world, files=files)).status_code == 302


def test_an_empty_file_is_refused(citizen_client, world, media):
    _paper, response = post_with_bad_file(citizen_client, world, b"", "rong.pdf")
    assert response.status_code == 422 and "không có nội dung" in response.content.decode()
    assert_nothing_saved(world, media)


def test_a_missing_required_paper_is_named(citizen_client, world, media):
    paper = papers_to_upload()[0]
    files = {f"paper_{p.pk}": upload(PDF) for p in papers_to_upload() if p.pk != paper.pk}
    response = citizen_client.post(URL, birth_form(world, files=files))
    assert response.status_code == 422
    assert (
        f"“{paper.name}”: hãy đính kèm tệp (PDF, JPEG hoặc PNG) "
        "hoặc chọn giấy tờ từ kho của Ông/Bà." in response.content.decode()
    )
    assert_nothing_saved(world, media)


def test_photos_are_accepted_and_typed_by_content(citizen_client, world, media):
    files = {
        f"paper_{p.pk}": upload(JPEG, "anh.pdf", "application/pdf") for p in papers_to_upload()
    }
    assert citizen_client.post(URL, birth_form(world, files=files)).status_code == 302
    draft = SubmissionDraft.objects.get()
    # The declared type and the name were wrong: what is kept is what the bytes are.
    assert {e["content_type"] for e in draft.papers if e["source"] == "upload"} == {"image/jpeg"}


def test_a_paper_from_the_citizens_store_can_be_reused(
    citizen_client, citizen, other_citizen, world, media
):
    mine = CitizenPaper(owner=citizen, name="Giấy chứng sinh của bé An", sha256="x", size=len(PDF))
    mine.file.save("chung-sinh.pdf", ContentFile(PDF), save=True)
    theirs = CitizenPaper(
        owner=other_citizen, name="Giấy tờ của người khác", sha256="y", size=len(PDF)
    )
    theirs.file.save("khac.pdf", ContentFile(PDF), save=True)
    html = citizen_client.get(URL).content.decode()
    assert "Giấy chứng sinh của bé An" in html and "Giấy tờ của người khác" not in html

    paper, *others = papers_to_upload()
    files = {f"paper_{p.pk}": upload(PDF) for p in others}
    refused = citizen_client.post(
        URL, birth_form(world, files=files, **{f"store_{paper.pk}": str(theirs.pk)})
    )
    assert refused.status_code == 422
    assert "giấy tờ đã chọn không có trong kho của Ông/Bà" in refused.content.decode()

    files = {f"paper_{p.pk}": upload(PDF) for p in others}  # the first post consumed the uploads
    accepted = citizen_client.post(
        URL, birth_form(world, files=files, **{f"store_{paper.pk}": str(mine.pk)})
    )
    assert accepted.status_code == 302
    entry = next(
        e for e in SubmissionDraft.objects.get().papers if e["required_paper_id"] == paper.pk
    )
    assert entry["source"] == "store" and entry["citizen_paper_id"] == mine.pk
    citizen_client.post(
        accepted["Location"], {"idempotency_key": SubmissionDraft.objects.get().idempotency_key}
    )
    dossier = Dossier.objects.get(owner=citizen)
    stored = dossier.papers.get(required_paper_id=paper.pk)
    assert stored.file.read() == PDF and stored.original_name == "Giấy chứng sinh của bé An"


def test_a_store_paper_that_is_not_a_pdf_or_image_is_refused(citizen_client, citizen, world, media):
    bad = CitizenPaper(owner=citizen, name="Tệp lạ", sha256="z", size=len(EXE))
    bad.file.save("la.pdf", ContentFile(EXE), save=True)
    paper, *others = papers_to_upload()
    files = {f"paper_{p.pk}": upload(PDF) for p in others}
    response = citizen_client.post(
        URL, birth_form(world, files=files, **{f"store_{paper.pk}": str(bad.pk)})
    )
    assert response.status_code == 422
    assert (
        "tệp “Tệp lạ” không phải tệp PDF, JPEG hoặc PNG" in response.content.decode()
    )
