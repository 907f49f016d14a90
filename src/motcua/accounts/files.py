"""What an uploaded file really is, decided by its first bytes, never by its name or by the
Content-Type the browser sent (both are whatever the sender says; docs/architecture.md §13)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str


PDF = FileKind("application/pdf", ".pdf", "PDF")
JPEG = FileKind("image/jpeg", ".jpg", "JPEG")
PNG = FileKind("image/png", ".png", "PNG")

# Magic numbers: PDF "%PDF-" (ISO 32000-1 §7.5.2), JPEG SOI + marker FF D8 FF, PNG signature.
_SIGNATURES = [
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
]
ACCEPTED_LABEL = "PDF, JPEG hoặc PNG"


def sniff(content: bytes) -> FileKind | None:
    """The kind of `content` among the accepted ones, or None (an .exe renamed .pdf starts with
    "MZ" and is refused here whatever its name)."""
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            return kind
    return None
