"""Checks of a citizen's uploaded file: type recognised by its content, size within the limit.

The name and the browser's declared type are the sender's claims: an .exe renamed "to-khai.pdf"
arrives as application/pdf. Only the first bytes decide (docs/architecture.md §13). PDF, JPEG
and PNG cover scans and photos of papers; nothing else is accepted.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.errors import MotcuaError

# (magic bytes, content type, label)
SIGNATURES = (
    (b"%PDF-", "application/pdf", "PDF"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
)
HEAD_BYTES = 8


class UploadError(MotcuaError):
    """An uploaded file refused by its content, type or size."""


@dataclass
class CheckedFile:
    filename: str
    content_type: str
    size: int


def max_bytes() -> int:
    return settings.UPLOAD_MAX_MB * 1024 * 1024


def sniff(head: bytes) -> str | None:
    """The content type the bytes really are, or None when they are none of the accepted kinds."""
    for magic, content_type, _label in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def check_upload(upload, *, label: str) -> CheckedFile:
    """Check an uploaded file (Django `UploadedFile`) without reading it whole into memory.

    `label` names the paper in the message, so the citizen knows which input to fix.
    """
    name = (upload.name or "").rsplit("/", 1)[-1][:255]
    if upload.size == 0:
        raise UploadError(_("“%(label)s”: tệp “%(file)s” không có nội dung.") % {"label": label, "file": name})
    if upload.size > max_bytes():
        raise UploadError(
            _("“%(label)s”: tệp “%(file)s” vượt quá dung lượng cho phép (%(mb)d MB mỗi tệp).")
            % {"label": label, "file": name, "mb": settings.UPLOAD_MAX_MB}
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise UploadError(
            _("“%(label)s”: tệp “%(file)s” không phải tệp PDF, JPEG hoặc PNG. "
              "Chỉ nhận bản quét hoặc ảnh chụp ở một trong ba định dạng này.") % {"label": label, "file": name}
        )
    return CheckedFile(filename=name, content_type=content_type, size=upload.size)


def check_stored(file_field, *, label: str, name: str) -> CheckedFile:
    """The same checks for a file already in storage (a paper reused from the citizen's store)."""
    size = file_field.size
    if size == 0 or size > max_bytes():
        raise UploadError(
            _("“%(label)s”: giấy tờ “%(file)s” trong kho không dùng được (rỗng hoặc vượt quá %(mb)d MB).")
            % {"label": label, "file": name, "mb": settings.UPLOAD_MAX_MB}
        )
    with file_field.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    content_type = sniff(head)
    if content_type is None:
        raise UploadError(
            _("“%(label)s”: giấy tờ “%(file)s” trong kho không phải tệp PDF, JPEG hoặc PNG.")
            % {"label": label, "file": name}
        )
    return CheckedFile(filename=name, content_type=content_type, size=size)
