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
