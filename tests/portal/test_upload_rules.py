"""The PDF and image rules of motcua/uploads.py on their own (the channels are in
test_upload_channels.py): what a regex scan over the bytes must and must not see."""

import zlib

import pytest

from motcua.uploads import UploadError, check_content
from tests.pdf import minimal_pdf, tiny_image, tiny_pdf


def refused(content: bytes) -> str:
    with pytest.raises(UploadError) as err:
        check_content(content, label="Tờ khai", filename="to-khai.pdf")
    assert "“Tờ khai”: tệp “to-khai.pdf”" in err.value.message
    return err.value.message


def with_stream(dictionary: bytes, data: bytes) -> bytes:
    """The minimal PDF with one more object: a stream with `dictionary` entries and `data`."""
    pdf = minimal_pdf()
    extra = (
        b"6 0 obj\n<< "
        + dictionary
        + b" /Length %d >>\nstream\n" % len(data)
        + data
        + b"\nendstream\nendobj\n"
    )
    at = pdf.index(b"xref\n")
    return pdf[:at] + extra + pdf[at:]


def test_a_pdf_rendered_by_weasyprint_is_accepted():
    assert check_content(tiny_pdf(), label="Tờ khai", filename="to-khai.pdf").label == "PDF"


def test_javascript_hidden_in_a_compressed_object_stream_is_refused():
    objects = zlib.compress(b"7 0 << /S /JavaScript /JS (app.alert(1)) >>")
    assert "/JavaScript" in refused(
        with_stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", objects)
    )


def test_additional_actions_in_an_escaped_object_stream_are_refused():
    objects = zlib.compress(b"7 0 << /AA << /O 8 0 R >> >>")
    assert "/AA" in refused(
        with_stream(b"/Type /Obj#53tm /N 1 /First 4 /Filter /FlateDecode", objects)
    )


def test_an_object_stream_that_cannot_be_read_is_refused():
    assert "không kiểm tra được" in refused(
        with_stream(b"/Type /ObjStm /Filter /FlateDecode", b"not zlib")
    )
    assert "không kiểm tra được" in refused(
        with_stream(b"/Type /ObjStm /Filter /ASCIIHexDecode", b"00>")
    )


def test_short_names_inside_image_data_are_not_mistaken_for_actions():
    # Scan or photo samples are arbitrary bytes: "/JS " or "/AA " turn up there by chance.
    pdf = with_stream(
        b"/Type /XObject /Subtype /Image /Filter /DCTDecode", b"\x01/JS \x02/AA /XFA\x03"
    )
    assert check_content(pdf, label="Tờ khai", filename="to-khai.pdf").label == "PDF"


def test_an_embedded_file_or_launch_action_is_refused():
    assert "/EmbeddedFile" in refused(with_stream(b"/Type /EmbeddedFile", b"MZ"))
    assert "/Launch" in refused(
        minimal_pdf().replace(b"/Pages 2 0 R", b"/Pages 2 0 R /OpenAction << /S /Launch >>", 1)
    )


def test_a_pdf_must_start_with_its_header_and_end_with_eof():
    assert "không phải tệp PDF" in refused(b"  " + minimal_pdf())
    assert "%%EOF" in refused(minimal_pdf().replace(b"%%EOF", b"%%EOX"))
    assert "HTML" in refused(
        minimal_pdf().replace(b"%PDF-1.4\n", b"%PDF-1.4\n<svg onload=alert(1)>\n")
    )


def test_truncated_images_are_refused():
    assert "JPEG không hoàn chỉnh" in refused(tiny_image("JPEG")[:-10])
    assert "PNG không hoàn chỉnh" in refused(tiny_image("PNG")[:-4])
    png = tiny_image("PNG")
    assert "bị hỏng" in refused(png[:20] + b"\x00" * 10 + png[30:])
