"""Reading PDFs back as a reader would (pdftotext, pdfinfo) and making small ones."""

import re
import subprocess


def pdf_text(pdf: bytes, *, layout: bool = True, raw: bool = False) -> str:
    """`layout`: the page as laid out (columns side by side); otherwise reading order; `raw`:
    content-stream order, which keeps a wrapped table cell's lines together."""
    assert pdf.startswith(b"%PDF-"), pdf[:200]
    mode = ["-raw"] if raw else ["-layout"] if layout else []
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *mode, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Whitespace collapsed, so a phrase wrapped over two lines still matches."""
    return re.sub(r"\s+", " ", text)


def reading_text(pdf: bytes) -> str:
    """The text as a reader's copy-paste sees it (reading order), whitespace collapsed."""
    return flat(pdf_text(pdf, layout=False))


def _info(pdf: bytes) -> str:
    return subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def page_count(pdf: bytes) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _info(pdf), re.M).group(1))


def page_size_mm(pdf: bytes) -> tuple[int, int]:
    width, height = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", _info(pdf), re.M).groups()
    return round(float(width) * 25.4 / 72), round(float(height) * 25.4 / 72)


def tiny_pdf(text: str = "Bản quét") -> bytes:
    """A small one-page PDF with `text` on it (what a scanner or the result's author would hand
    in)."""
    from weasyprint import HTML

    html = f"<!doctype html><html lang='vi'><meta charset='utf-8'><p>{text}</p></html>"
    return HTML(string=html).write_pdf()


def minimal_pdf(text: str = "scan", *, size: int | None = None) -> bytes:
    """A real one-page PDF written by hand (header, objects, cross-reference table, trailer,
    %%EOF) — what the upload check accepts — without the cost of rendering one. `size` pads it
    with a comment after the header to exactly that many bytes (for the size limit's edges)."""
    safe = text.encode("latin-1", "replace")
    safe = safe.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 12 Tf 72 720 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]

    def build(padding: bytes) -> bytes:
        out = bytearray(b"%PDF-1.4\n" + padding)
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
        return bytes(out)

    pdf = build(b"")
    if size is not None:
        padding = size - len(pdf)
        while len(pdf) != size:  # startxref's digits grow with the padding: settle in a step or two
            assert padding >= 2, "too small for a PDF"
            pdf = build(b"%" + b"0" * (padding - 2) + b"\n")
            padding -= len(pdf) - size
    return pdf


def tiny_image(kind: str = "PNG") -> bytes:
    """A real 4×4 image (kind "PNG" or "JPEG") from Pillow, already a dependency."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, kind)
    return out.getvalue()


def structured_pdf(*objects: bytes) -> bytes:
    """A PDF of the given objects (1 0 obj is the catalogue) with a correct cross-reference table:
    well-formed enough for the upload check, so its *content* can be made wrong on purpose."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


CATALOGUE = b"<< /Type /Catalog /Pages 2 0 R >>"
ONE_PAGE = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
# Accepted by the upload check, yet pyHanko cannot sign them (issue #12, point 3: HTTP 500 before).
MALFORMED_BUT_ACCEPTED = {
    "page without MediaBox": structured_pdf(CATALOGUE, ONE_PAGE, b"<< /Type /Page /Parent 2 0 R >>"),
    "dangling page reference": structured_pdf(CATALOGUE, b"<< /Type /Pages /Kids [9 0 R] /Count 1 >>"),
    "page tree not a dictionary": structured_pdf(CATALOGUE, b"42"),
    "AcroForm a number": structured_pdf(b"<< /Type /Catalog /Pages 2 0 R /AcroForm 7 >>", ONE_PAGE,
                                        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"),
    "Annots a number": structured_pdf(CATALOGUE, ONE_PAGE,
                                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots 5 >>"),
    "MediaBox with text": structured_pdf(CATALOGUE, ONE_PAGE,
                                         b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 (a) 792] >>"),
}
