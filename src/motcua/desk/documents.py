"""Which official papers a dossier has (the policy's answer), their links and their PDFs
(rendered on demand, never stored)."""

from motcua.dossiers import policy, selectors
from motcua.dossiers.models import Dossier
from motcua.privacy.models import AccessKind
from motcua.privacy.services import record_access

# URL slug → (paper kind in the policy, renderer in documents.services, label)
KINDS = {
    "giay-tiep-nhan": ("receipt", "receipt_pdf", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "yeu-cau-bo-sung": ("supplement_request", "supplement_request_pdf", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "tu-choi": ("refusal", "refusal_pdf", "Phiếu từ chối tiếp nhận, giải quyết hồ sơ"),
    "xin-loi": ("apology", "apology_pdf", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "dung-giai-quyet": ("stop_notice", "stop_notice_pdf", "Thông báo dừng giải quyết hồ sơ"),
    "phieu-kiem-soat": ("control_sheet", "control_sheet_pdf", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
}
_SLUG = {kind: slug for slug, (kind, _fn, _label) in KINDS.items()}


def available(dossier) -> list[tuple[str, str]]:
    return [(_SLUG[kind], KINDS[_SLUG[kind]][2]) for kind in policy.official_papers(dossier)]


def render(dossier, slug: str) -> bytes | None:
    if slug not in dict(available(dossier)):
        return None
    from motcua.documents import services  # lazy: WeasyPrint needs pango at import

    return getattr(services, KINDS[slug][1])(dossier)


def official_paper_pdf(user, pk: int, slug: str) -> tuple:
    """(dossier, PDF) of one official paper of a dossier `user` may read, recorded in the access
    log (it prints the applicant's identity); `Dossier.DoesNotExist` when the dossier is not
    readable or has no such paper — nothing recorded then."""
    dossier = selectors.dossier_get(user, pk=pk)
    pdf = render(dossier, slug)
    if pdf is None:
        raise Dossier.DoesNotExist
    record_access(actor=user, kind=AccessKind.DOCUMENT, dossier=dossier, object_ref=slug)
    return dossier, pdf


def log_book(dossiers, *, agency, start, end, fmt: str) -> bytes:
    from motcua.documents import services

    fn = services.log_book_pdf if fmt == "pdf" else services.log_book_xlsx
    return fn(dossiers, agency=agency, start=start, end=end)
