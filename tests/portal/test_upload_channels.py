"""Issue #16: one upload check on every channel, and downloads that can never run as a page.

Every channel — counter intake, the desk's supplement, the result, the online form, the online
supplement, the citizen's papers — refuses the same hostile files (HTML, an .exe renamed .pdf, a
zip, a PDF/HTML polyglot, a PDF with JavaScript, plainly or hex-escaped) with a message naming
the paper and the file, and stores nothing (rows and files counted). Clean PDF, JPEG and PNG
files are accepted. Every download of a file handed in is an attachment, never text/html,
with nosniff and a sandboxing CSP.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import CitizenPaper
from motcua.catalog.models import RequiredPaper
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierPaper, ResultFile
from motcua.portal.models import SubmissionDraft
from tests.dossiers.factories import receive
from tests.moments import local
from tests.pdf import minimal_pdf, tiny_image
from tests.portal.factories import BIRTH, birth_form, files_under, online_dossier, papers_to_upload

CLEAN = minimal_pdf()


def _with_catalog_entry(entry: bytes) -> bytes:
    """The clean PDF whose document catalogue also carries `entry` (an open action)."""
    return CLEAN.replace(b"/Type /Catalog /Pages 2 0 R", b"/Type /Catalog /Pages 2 0 R " + entry)


NOT_A_KIND = "không phải tệp"
HOSTILE = {
    "html": (
        b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>",
        "trang.html",
        NOT_A_KIND,
    ),
    "exe": (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
        "to-khai.pdf",
        NOT_A_KIND,
    ),
    "zip": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 64, "ho-so.pdf", NOT_A_KIND),
    "polyglot": (
        b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n" + CLEAN[9:],
        "da-nang.pdf",
        "có lẫn mã HTML",
    ),
    "javascript": (
        _with_catalog_entry(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        "co-ma.pdf",
        "nội dung chủ động",
    ),
    "escaped-javascript": (
        _with_catalog_entry(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
        "co-ma-an.pdf",
        "nội dung chủ động",
    ),
}
CLEAN_FILES = {
    "pdf": (CLEAN, "ban-quet.pdf"),
    "jpeg": (tiny_image("JPEG"), "anh.jpg"),
    "png": (tiny_image("PNG"), "anh.png"),
}


def stored(media) -> tuple:
    """Everything an upload can leave behind: the rows and the files."""
    counts = tuple(
        m.objects.count()
        for m in (Dossier, DossierPaper, ResultFile, CitizenPaper, SubmissionDraft)
    )
    return counts, files_under(media)


def as_upload(content: bytes, name: str) -> SimpleUploadedFile:
    # The browser's claim is always the reassuring one: it must change nothing.
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def assert_refused(html: str, label: str, name: str, why: str):
    assert f"“{label}”: tệp “{name}”" in html, html[-3000:]
    assert why in html


# --- the channels: each posts one file and returns (page html, paper label) ----------------------


@pytest.fixture
def at_desk(world, freeze, media):
    freeze(local(2026, 3, 2, 10, 0))
    return receive(world)


def counter_intake(client, world, media, content, name):
    from tests.desk.test_desk_pages import intake_data

    paper = RequiredPaper.objects.filter(
        version__procedure__code="2.001035", version__status="published", required=True
    ).first()
    client.force_login(world.receiver)
    data = intake_data(
        world, idempotency_key=f"key-{name}", **{f"file_{paper.pk}": as_upload(content, name)}
    )
    response = client.post("/can-bo/tiep-nhan/", data)
    return response, paper.name


def desk_supplement(client, world, media, content, name, dossier):
    services.dossier_request_supplement(
        dossier=dossier, actor=world.receiver, items=["Tờ khai"], reason="Thiếu"
    )
    client.force_login(world.receiver)
    response = client.post(
        f"/can-bo/ho-so/{dossier.pk}/thao-tac/receive_supplement/",
        {"files": as_upload(content, name), "note": ""},
        follow=True,
    )
    return response, "Giấy tờ bổ sung"


def desk_result(client, world, media, content, name, dossier):
    client.force_login(world.receiver)
    response = client.post(
        f"/can-bo/ho-so/{dossier.pk}/thao-tac/attach_result/",
        {"name": "Kết quả", "file": as_upload(content, name)},
        follow=True,
    )
    return response, "Tệp kết quả"


def online_form(client, world, media, content, name):
    client.force_login(world.citizen)
    first, *others = papers_to_upload()
    files = {f"paper_{p.pk}": as_upload(CLEAN, "tot.pdf") for p in others}
    files[f"paper_{first.pk}"] = as_upload(content, name)
    return client.post(f"/cong-dan/nop/{BIRTH}/", birth_form(world, files=files)), first.name


def online_supplement(client, world, media, content, name, freeze):
    freeze(local(2026, 3, 2, 9, 0))
    dossier = online_dossier(world, world.citizen)
    freeze(local(2026, 3, 2, 10, 0))
    dossier = services.dossier_accept(dossier=dossier, actor=world.receiver)
    services.dossier_request_supplement(
        dossier=dossier, actor=world.receiver, items=["Ảnh Thẻ Căn cước"], reason="Thiếu"
    )
    client.force_login(world.citizen)
    response = client.post(
        f"/cong-dan/ho-so/{dossier.pk}/bo-sung/", {"item_0": as_upload(content, name)}
    )
    return response, "Ảnh Thẻ Căn cước"


def my_papers(client, world, media, content, name):
    client.force_login(world.citizen)
    response = client.post(
        "/tai-khoan/giay-to/", {"name": "Giấy khai sinh", "file": as_upload(content, name)}
    )
    return response, "Giấy khai sinh"


@pytest.fixture(
    params=[
        "counter_intake",
        "desk_supplement",
        "desk_result",
        "online_form",
        "online_supplement",
        "my_papers",
    ]
)
def channel(request, client, world, freeze, media, citizen):
    """post(content, name) → (response, label) on one channel, its setup done first."""
    name = request.param
    if name in ("desk_supplement", "desk_result"):
        dossier = request.getfixturevalue("at_desk")
        post = globals()[name]
        return name, lambda content, file: post(client, world, media, content, file, dossier)
    if name == "online_supplement":
        return name, lambda content, file: online_supplement(
            client, world, media, content, file, freeze
        )
    return name, lambda content, file: globals()[name](client, world, media, content, file)


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_every_channel_refuses_a_hostile_file_and_stores_nothing(channel, kind, media):
    name, post = channel
    content, filename, why = HOSTILE[kind]
    before = None
    if name in ("desk_supplement", "desk_result", "counter_intake", "my_papers", "online_form"):
        before = stored(media)
    response, label = post(content, filename)
    html = response.content.decode()
    if name == "desk_result" and why == NOT_A_KIND:
        why = "không phải tệp PDF."  # a result is a PDF only
    assert_refused(html, label, filename, why)
    if before is not None:
        assert stored(media) == before
    # Nothing of what was refused is on disk under any name, whatever the channel.
    assert all(path.read_bytes() != content for path in files_under(media))
    assert not DossierPaper.objects.filter(original_name=filename).exists()
    assert not CitizenPaper.objects.filter(original_name=filename).exists()


@pytest.mark.parametrize("kind", list(CLEAN_FILES))
def test_every_channel_accepts_a_clean_file(channel, kind, media):
    name, post = channel
    content, filename = CLEAN_FILES[kind]
    if name == "desk_result" and kind != "pdf":
        pytest.skip("a result is a PDF only")
    response, _label = post(content, filename)
    assert response.status_code in (200, 302), response.content.decode()[-2000:]
    assert any(path.read_bytes() == content for path in files_under(media))


def test_a_result_that_is_an_image_is_refused(at_desk, client, world, media):
    before = stored(media)
    response, label = desk_result(client, world, media, tiny_image("PNG"), "anh.png", at_desk)
    assert_refused(response.content.decode(), label, "anh.png", "không phải tệp PDF.")
    assert stored(media) == before


def test_the_declared_type_is_never_kept(at_desk, client, world, media):
    # An image posted as application/pdf is stored as what it is.
    desk_supplement(client, world, media, tiny_image("JPEG"), "anh.pdf", at_desk)
    assert DossierPaper.objects.get(original_name="anh.pdf").content_type == "image/jpeg"


def test_the_size_is_checked_before_the_body_is_read(settings, at_desk, world):
    from motcua.desk.views import _uploads
    from motcua.uploads import UploadError

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("the body was read")

    settings.UPLOAD_MAX_MB = 1
    big = Unreadable("lon.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1), content_type="application/pdf")

    class Files(dict):
        def getlist(self, key):
            return [big]

    with pytest.raises(UploadError, match="vượt quá dung lượng cho phép"):
        _uploads(Files())


# --- downloads ----------------------------------------------------------------------------------


def assert_served_as_attachment(response, content_type):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Content-Type"] == content_type and "html" not in response["Content-Type"]


def _html_paper_of_old(dossier, world):
    """A paper stored before these rules (typed text/html by the browser): how it is served now."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    paper = DossierPaper(
        dossier=dossier,
        name="Tệp cũ",
        kind="copy",
        count=1,
        size=20,
        sha256="1" * 64,
        original_name="cu.html",
        content_type="text/html",
        uploaded_at=timezone.now(),
    )
    paper.file.save("old", ContentFile(b"<html><script>1</script></html>"), save=False)
    paper.save()
    return paper


def test_desk_downloads_are_attachments_never_html(at_desk, client, world, media):
    result = services.dossier_attach_result(
        dossier=at_desk, actor=world.receiver, name="Kết quả", content=CLEAN
    )
    paper = at_desk.papers.exclude(file="").first()
    old = _html_paper_of_old(at_desk, world)
    client.force_login(world.receiver)
    base = f"/can-bo/ho-so/{at_desk.pk}/"
    assert_served_as_attachment(client.get(f"{base}giay-to/{paper.pk}/"), "application/pdf")
    assert_served_as_attachment(client.get(f"{base}ket-qua/{result.pk}/"), "application/pdf")
    assert_served_as_attachment(client.get(f"{base}giay-to/{old.pk}/"), "application/octet-stream")


def test_portal_downloads_are_attachments_never_html(client, world, freeze, media, citizen):
    freeze(local(2026, 3, 2, 9, 0))
    dossier = online_dossier(world, citizen)
    paper = dossier.papers.exclude(file="").first()
    result = services.dossier_attach_result(
        dossier=services.dossier_accept(dossier=dossier, actor=world.receiver),
        actor=world.receiver,
        name="Kết quả",
        content=CLEAN,
    )
    Dossier.objects.filter(pk=dossier.pk).update(status="result_ready")
    old = _html_paper_of_old(dossier, world)
    client.force_login(citizen)
    base = f"/cong-dan/ho-so/{dossier.pk}/"
    assert_served_as_attachment(client.get(f"{base}giay-to/{paper.pk}/"), paper.content_type)
    assert_served_as_attachment(client.get(f"{base}ket-qua/{result.pk}/"), "application/pdf")
    assert_served_as_attachment(client.get(f"{base}giay-to/{old.pk}/"), "application/octet-stream")


def test_my_papers_download_is_an_attachment_never_html(client, world, media, citizen):
    from motcua.accounts import services as account_services

    paper = account_services.citizen_paper_add(
        actor=citizen, name="Ảnh", content=tiny_image("PNG"), filename="anh.png"
    )
    CitizenPaper.objects.filter(pk=paper.pk).update(content_type="text/html")  # a row of old
    client.force_login(citizen)
    assert_served_as_attachment(
        client.get(f"/tai-khoan/giay-to/{paper.pk}/"), "application/octet-stream"
    )
