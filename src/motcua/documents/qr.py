"""QR codes on the papers the system issues (TT 01/2023/TT-VPCP: ISO/IEC 18004).

The code carries at least the dossier code, the procedure code, the applicant identifier and the
paper's name (docs/architecture.md §11), plus a verification link. The link carries the dossier
code only: a lookup needs the code *and* a second factor (phone or ID number,
docs/architecture.md §13), so putting the second factor into a URL — which ends up in browser
histories and server logs — would defeat it.
The identifier inside the payload is the one already printed on the same paper.
"""

from urllib.parse import quote

import segno
from django.conf import settings
from django.utils.translation import gettext as _


def verification_url(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/tra-cuu/{quote(code, safe='')}"


def qr_payload(dossier, paper_name: str) -> str:
    """The text encoded in the paper's QR code: the link first, so phone cameras offer to open it."""
    procedure = dossier.procedure_version.procedure
    lines = [
        verification_url(dossier.code),
        f"{_('Mã hồ sơ')}: {dossier.code}",
        f"{_('Mã TTHC')}: {procedure.code}",
        f"{_('Số định danh')}: {dossier.applicant.id_number or '—'}",
        f"{_('Giấy tờ')}: {paper_name}",
    ]
    return "\n".join(lines)


def _make(data: str):
    # Medium error correction survives a folded or stamped paper.
    return segno.make(data, error="m", micro=False)


def qr_svg(data: str) -> str:
    """Inline SVG markup (no XML declaration) for web pages; sized by CSS (module units in a
    viewBox, no width/height)."""
    return _make(data).svg_inline(scale=1, border=0, omitsize=True, dark="#000")


def qr_png_data_uri(data: str, *, scale: int = 4) -> str:
    """A PNG data URI for the PDFs: WeasyPrint draws an SVG path of a version-10 code in tens of
    milliseconds (it parses the path in Python), a PNG in a few. Printed 20 mm wide with
    `image-rendering: pixelated`, 4 pixels per module stay sharp (≈ 290 dpi)."""
    return _make(data).png_data_uri(scale=scale, border=0, dark="#000")
