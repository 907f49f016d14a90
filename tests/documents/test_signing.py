"""Signing results with pyHanko (PAdES) and validating them against the configured trust root."""

import asyncio

import pytest
from cryptography.hazmat.primitives import serialization

from motcua.demo import signing as demo_signing
from motcua.documents import signing
from motcua.documents.services import receipt_pdf
from tests.dossiers.factories import receive
from tests.moments import local
from tests.pdf import flat, pdf_text

# PAdES signing and validation (pyHanko) take close to a second each: not in the fast lane.
pytestmark = pytest.mark.slow

SIGNER = "Phạm Văn Lãnh Đạo"


@pytest.fixture
def receipt(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    return receipt_pdf(receive(world))


def sign(pdf, **kwargs):
    return signing.sign_pdf(
        pdf, signer_name=SIGNER, reason="Ký số kết quả giải quyết", location="Nghệ An", **kwargs
    )


def test_signed_result_validates_as_intact_and_trusted(receipt):
    signed = sign(receipt)
    assert signed.startswith(
        receipt
    )  # an incremental update: the rendered bytes are kept as they were
    result = signing.validate_pdf(signed)
    assert result["valid"] and result["intact"] and result["trusted"], result
    assert result["signer_name"] == SIGNER
    assert result["signer"] == demo_signing.DEMO_SIGNER_CN
    assert result["reason"] == "Ký số kết quả giải quyết" and result["location"] == "Nghệ An"
    assert result["signed_at"] is not None and not result["modified_after_signing"]
    # The visible stamp is Vietnamese text with its own embedded font, readable back.
    text = flat(pdf_text(signed, layout=False))
    assert f"Ký bởi: {SIGNER}" in text and "Nơi ký: Nghệ An" in text


def test_a_flipped_byte_breaks_the_signature(receipt):
    signed = bytearray(sign(receipt))
    # A byte inside the signed range that does not upset the PDF syntax: a letter of the
    # receipt's content stream would do too, but the header's comment keeps the file parseable.
    position = signed.index(b"\n", 0) + 2
    signed[position] ^= 0x01
    result = signing.validate_pdf(bytes(signed))
    assert not result["intact"] and not result["valid"]


def test_damage_anywhere_is_invalid_not_a_crash(receipt):
    signed = bytearray(sign(receipt))
    middle = len(receipt) // 2
    signed[middle:middle + 16] = b"0" * 16
    result = signing.validate_pdf(bytes(signed))
    assert not result["valid"]
    assert signing.validate_pdf(receipt)["error"]  # unsigned: says so


def test_a_key_from_another_ca_is_not_trusted(receipt, tmp_path):
    stranger = demo_signing.demo_keys(tmp_path / "stranger")
    signed = sign(receipt, keys=stranger)
    result = signing.validate_pdf(signed)
    assert result["intact"] and not result["trusted"] and not result["valid"]


def test_demo_keys_are_generated_once(settings):
    first = signing.signing_keys()
    stamp = first.key_file.stat().st_mtime_ns
    again = signing.signing_keys()
    assert again == first and first.demo and again.key_file.stat().st_mtime_ns == stamp
    assert first.key_file.parent == settings.VAR_DIR / "signing"


def test_configured_key_with_passphrase(receipt, settings, tmp_path):
    # An operator's key: PKCS#8 encrypted with a passphrase, certificate bundle with its root.
    folder = tmp_path / "pki"
    folder.mkdir()
    demo_signing.write_pki(folder)
    key = serialization.load_pem_private_key(
        (folder / "signer-key.pem").read_bytes(), password=None
    )
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"mat-khau-bi-mat"),
    ))
    settings.SIGNING_KEY_FILE = str(folder / "key.pem")
    settings.SIGNING_CERT_FILE = str(folder / "signer.pem")
    settings.SIGNING_KEY_PASSPHRASE = "mat-khau-bi-mat"
    keys = signing.signing_keys()
    assert not keys.demo
    result = signing.validate_pdf(sign(receipt))
    assert result["valid"] and result["trusted"], result
    # The demo root does not vouch for the operator's certificate, nor the reverse.
    demo_roots = signing.trust_roots(demo_signing.demo_keys(tmp_path / "d"))
    assert not signing.validate_pdf(sign(receipt), roots=demo_roots)["trusted"]
    settings.SIGNING_KEY_PASSPHRASE = "sai"
    with pytest.raises(signing.SigningError):
        sign(receipt)


def test_sync_functions_work_inside_a_running_event_loop(receipt):
    # Playwright's sync tests and async views run a loop in the thread: asyncio.run would refuse.
    async def inside():
        signed = sign(receipt)
        return signing.validate_pdf(signed)

    assert asyncio.run(inside())["valid"]


def test_async_functions(receipt):
    async def both():
        signed = await signing.async_sign_pdf(
            receipt, signer_name=SIGNER, reason="Ký số", location="Nghệ An"
        )
        return await signing.async_validate_pdf(signed)

    assert asyncio.run(both())["valid"]


def _widget_rects(pdf):
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(pdf))
    return {
        str(s.field_name): [float(v) for v in s.sig_field["/Rect"]]
        for s in reader.embedded_signatures
    }


def test_the_stamp_fills_the_papers_signature_place_and_a_second_signature_goes_below(receipt):
    once = sign(receipt)
    (x0, y0, x1, y1), = _widget_rects(once).values()
    # The receipt's officer column: right half of the A4 page (595 pt wide), above the bottom
    # margin.
    assert 297 < x0 < x1 <= 595 - 42 and 57 < y0 < y1 < 421
    twice = signing.sign_pdf(
        once, signer_name="Nguyễn Thị Văn Thư", reason="Đóng dấu", location="Nghệ An"
    )
    rects = _widget_rects(twice)
    assert (
        set(rects) == {"ChuKySo", "ChuKySo2"} and rects["ChuKySo2"][3] <= 57
    )  # in the bottom margin band
    result = signing.validate_pdf(twice)
    assert result["valid"] and result["signer_name"] == "Nguyễn Thị Văn Thư"


def test_without_a_vietnamese_font_the_stamp_falls_back_to_ascii(receipt, monkeypatch):
    monkeypatch.setattr(signing, "STAMP_FONT_SOURCES", ())
    signed = sign(receipt)
    assert signing.validate_pdf(signed)["valid"]
    assert "Ky boi: Pham Van Lanh Dao" in flat(pdf_text(signed, layout=False))
