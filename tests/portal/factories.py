"""Builders for the portal's tests: files by their magic bytes, the birth-registration form,
citizens, online dossiers."""

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import services
from motcua.portal import forms
from tests.accounts.factories import citizen
from tests.dossiers.factories import APPLICANT as FACTORY_APPLICANT
from tests.dossiers.factories import all_papers
from tests.pdf import minimal_pdf, tiny_image

BIRTH = "1.001193"
PDF = minimal_pdf()
JPEG = tiny_image("JPEG")
PNG = tiny_image("PNG")
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64

APPLICANT = {
    "applicant_full_name": "Nguyễn Văn Định", "applicant_id_number": "040095001234",
    "applicant_phone": "0912345678", "applicant_email": "dinh@example.vn",
    "applicant_address": "Số 5, đường Lê Lợi, phường Thành Vinh, Nghệ An",
}
BIRTH_ANSWERS = {
    "f_tre_ho_ten": "Nguyễn Văn An",
    "f_tre_ngay_sinh": "01/03/2026",
    "f_tre_gioi_tinh": "Nam",
    "f_tre_noi_sinh": "Bệnh viện Sản Nhi Nghệ An",
    "f_tre_dan_toc": "Kinh",
    "f_tre_quoc_tich": "Việt Nam",
    "f_me_ho_ten": "Lê Thị Bình",
    "f_me_so_dinh_danh": "040196002345",
    "f_me_dan_toc": "Kinh",
    "f_cha_ho_ten": "Nguyễn Văn Định",
    "f_cha_so_dinh_danh": "040095001234",
    "f_cha_dan_toc": "Kinh",
    "f_quan_he": "Cha",
    "f_so_ban_sao": "1",
    "f_cam_doan": "on",
}


def upload(
    content: bytes = PDF, name: str = "scan.pdf", content_type: str = "application/pdf"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def version(code: str = BIRTH) -> ProcedureVersion:
    return ProcedureVersion.objects.get(procedure__code=code, status="published")


def papers_to_upload(code: str = BIRTH):
    """The required papers the citizen must attach (the declaration is the online form)."""
    v = version(code)
    return [p for p in v.papers.all() if p.required and not forms.covered_by_e_form(p, v)]


def birth_form(world, *, files=None, **overrides) -> dict:
    data = {
        "competent_agency": str(world.commune_a.pk),
        "case": "default",
        **APPLICANT,
        **BIRTH_ANSWERS,
    }
    if files is None:
        files = {f"paper_{p.pk}": upload(PDF, f"giay-{p.pk}.pdf") for p in papers_to_upload()}
    data.update(files)
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def files_under(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


def make_citizen(username: str, full_name: str):
    return citizen(username, full_name)


def submit_online(client, world, code=BIRTH, **overrides):
    """Form → review → submit through the real views; returns the final response (followed)."""
    response = client.post(f"/cong-dan/nop/{code}/", birth_form(world, **overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    review = response["Location"]
    key = client.get(review).context["draft"].idempotency_key
    return client.post(review, {"idempotency_key": key}, follow=True)


def online_dossier(world, owner, code: str = "1.004873", **overrides):
    """An online dossier of `owner` at commune A's desk, through the real service."""
    kwargs = dict(
        actor=owner,
        receiving_agency=world.desk_a,
        procedure=code,
        competent_agency=world.commune_a,
        applicant=FACTORY_APPLICANT,
        papers=all_papers(code),
    )
    kwargs.update(overrides)
    return services.dossier_submit(**kwargs)
