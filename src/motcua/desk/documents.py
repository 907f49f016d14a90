"""Which official papers a dossier has, and their PDFs (rendered on demand, never stored)."""

from motcua.dossiers.models import Status

KINDS = {
    "giay-tiep-nhan": ("receipt_pdf", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "yeu-cau-bo-sung": ("supplement_request_pdf", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "tu-choi": ("refusal_pdf", "Phiếu từ chối tiếp nhận, giải quyết hồ sơ"),
    "xin-loi": ("apology_pdf", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "dung-giai-quyet": ("stop_notice_pdf", "Thông báo dừng giải quyết hồ sơ"),
    "phieu-kiem-soat": ("control_sheet_pdf", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
}


def available(dossier) -> list[tuple[str, str]]:
    kinds = []
    if dossier.received_at:
        kinds.append("giay-tiep-nhan")
    if hasattr(dossier, "supplement_request"):
        kinds.append("yeu-cau-bo-sung")
    if dossier.status == Status.REFUSED:
        kinds.append("tu-choi")
    if hasattr(dossier, "apology"):
        kinds.append("xin-loi")
    if dossier.status == Status.STOPPED:
        kinds.append("dung-giai-quyet")
    if dossier.received_at:
        kinds.append("phieu-kiem-soat")
    return [(k, KINDS[k][1]) for k in kinds]


def render(dossier, kind: str) -> bytes | None:
    if kind not in dict(available(dossier)):
        return None
    from motcua.documents import services  # lazy: WeasyPrint needs pango at import

    return getattr(services, KINDS[kind][0])(dossier)


def log_book(dossiers, *, agency, start, end, fmt: str) -> bytes:
    from motcua.documents import services

    fn = services.log_book_pdf if fmt == "pdf" else services.log_book_xlsx
    return fn(dossiers, agency=agency, start=start, end=end)
