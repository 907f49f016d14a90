"""Digital signatures on results and papers: PAdES with pyHanko (NĐ 30/2020/NĐ-CP, chữ ký số).

Key material: SIGNING_KEY_FILE (PEM/DER, PKCS#8 or traditional, optional passphrase
SIGNING_KEY_PASSPHRASE) and SIGNING_CERT_FILE (PEM bundle: the signer's certificate first, then
its chain). The trust roots for validation are the self-signed certificates of that bundle.
Without a configured key, signing refuses with a message naming the settings — unless the demo
app is installed, which generates a throwaway pair once (`motcua.demo.signing`).

pyHanko's sync API calls `asyncio.run`, which refuses to run inside an event loop (Playwright's
sync tests, async views). The `async_*` functions are the real work; the sync ones run them with
`asyncio.run`, or in a worker thread when this thread already has a running loop.
"""

import asyncio
import logging
import os
import tempfile
import threading
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.errors import MotcuaError

logger = logging.getLogger(__name__)

# The Vietnamese stamp needs a TrueType font with the Vietnamese glyphs (fonts-liberation2; the
# older fonts-liberation lacks them).
STAMP_FONT_SOURCES = (
    Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
    Path("/usr/share/fonts/liberation2/LiberationSerif-Regular.ttf"),
)
# One size for the glyph accumulator and the text box: pyHanko measures with the first and lays
# out with the second, so different sizes misplace every glyph (docs/architecture.md §11).
STAMP_FONT_SIZE = 9
FIELD_NAME = "ChuKySo"
# Papers rendered by this app mark the signature place with two named destinations (see
# documents/base.html): the first signature's stamp fills that rectangle.
SLOT_TOP_LEFT, SLOT_BOTTOM_RIGHT = "chu-ky-so", "chu-ky-so-cuoi"
# Any other PDF (an uploaded result, a second signature): bottom-right of the last page, inside
# the bottom margin band (NĐ 30/2020: right 15 mm, bottom 20 mm), clear of the text.
STAMP_WIDTH, STAMP_HEIGHT = 220, 48
MM = 72 / 25.4


class SigningError(MotcuaError):
    """A paper cannot be signed (no key configured, a wrong passphrase, a damaged PDF): a
    MotcuaError, so the leader's page shows the message instead of failing."""


# --- key material --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningKeys:
    key_file: Path
    cert_file: Path
    passphrase: bytes | None
    demo: bool


# The keys used when none are configured. None: signing refuses, so a paper is never signed
# with a key nobody chose. The demo app puts its generator of throwaway keys here when it is
# installed (motcua.demo.signing), so a demonstration signs with no set-up.
fallback_keys: Callable[[], SigningKeys] | None = None


def signing_keys() -> SigningKeys:
    """The configured key and certificate (read at call time, so tests can change them), or the
    demo's throwaway pair where the demo is installed; otherwise `SigningError`."""
    key_file, cert_file = settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE
    if key_file and cert_file:
        return SigningKeys(
            key_file=Path(key_file), cert_file=Path(cert_file),
            passphrase=settings.SIGNING_KEY_PASSPHRASE.encode() or None, demo=False,
        )
    if key_file or cert_file:
        missing = "SIGNING_CERT_FILE" if key_file else "SIGNING_KEY_FILE"
        raise SigningError(_(
            "Cấu hình ký số chưa đủ: thiếu %(setting)s. Khóa bí mật (SIGNING_KEY_FILE) và chứng thư số "
            "(SIGNING_CERT_FILE) phải được đặt cùng nhau."
        ) % {"setting": missing})
    if fallback_keys is not None:
        return fallback_keys()
    raise SigningError(_(
        "Chưa cấu hình khóa ký số: quản trị hệ thống cần đặt SIGNING_KEY_FILE (khóa bí mật) và "
        "SIGNING_CERT_FILE (chứng thư số của người ký) trước khi ký kết quả."
    ))


_cache_lock = threading.Lock()
_signer_cache: dict[tuple, object] = {}


def _file_stamp(path: Path) -> tuple:
    st = path.stat()
    return str(path.resolve()), st.st_mtime_ns, st.st_size


def _certificates(cert_file: Path) -> list:
    from pyhanko.keys import load_certs_from_pemder_data

    return list(load_certs_from_pemder_data(cert_file.read_bytes()))


def _signer(keys: SigningKeys):
    """A pyHanko SimpleSigner, cached per key files (reloaded when a file changes)."""
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cache_key = (_file_stamp(keys.key_file), _file_stamp(keys.cert_file), keys.passphrase)
    with _cache_lock:
        cached = _signer_cache.get(cache_key)
    if cached is not None:
        return cached
    certs = _certificates(keys.cert_file)
    if not certs:
        raise SigningError(_("Tệp chứng thư số không chứa chứng thư nào: %(file)s") % {"file": keys.cert_file})
    try:
        key = load_private_key_from_pemder_data(keys.key_file.read_bytes(), passphrase=keys.passphrase)
    except (TypeError, ValueError) as exc:
        raise SigningError(_("Không đọc được khóa bí mật (sai mật khẩu hoặc sai định dạng): %(error)s")
                           % {"error": exc}) from exc
    signer = SimpleSigner(
        signing_cert=certs[0], signing_key=key, cert_registry=SimpleCertificateStore.from_certs(certs[1:]),
    )
    with _cache_lock:
        _signer_cache[cache_key] = signer
    return signer


def trust_roots(keys: SigningKeys | None = None) -> list:
    """The self-signed certificates of the configured bundle (for the demo: its root CA)."""
    keys = keys or signing_keys()
    return [c for c in _certificates(keys.cert_file) if c.self_signed]


# --- the Vietnamese stamp --------------------------------------------------------------------------


# What a Vietnamese stamp can contain: Latin, Vietnamese precomposed letters (Latin Extended
# Additional), combining marks, punctuation, the đồng sign.
STAMP_FONT_UNICODES = [
    *range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00),
    *range(0x2000, 0x2070), 0x20AB,
]


def _stamp_font() -> Path | None:
    """Liberation Serif cut to the Vietnamese repertoire and rescaled to 1000 units per em,
    made once and cached under VAR_DIR.

    pyHanko writes glyph widths and TJ adjustments in font units but PDF reads them in 1/1000 em;
    Liberation has 2048 units per em, so without rescaling every glyph would be misplaced. The
    cut (≈1,000 of 2,600 glyphs) makes each signature ≈ 35 ms cheaper: pyHanko parses and subsets
    the font on every signature.
    """
    source = next((p for p in STAMP_FONT_SOURCES if p.exists()), None)
    if source is None:
        return None
    target = Path(settings.VAR_DIR) / "fonts" / f"{source.stem}-vi-1000upem.ttf"
    if target.exists():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_stamp_font(source, target)
    except OSError:
        logger.exception("Cannot prepare the stamp font under %s; falling back to ASCII text.", target.parent)
        return None
    return target


def _write_stamp_font(source: Path, target: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(str(source))
    options = subset.Options()
    options.layout_features = ["*"]  # keep kerning and mark positioning for stacked diacritics
    options.name_IDs = ["*"]
    options.hinting = False
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=STAMP_FONT_UNICODES)
    subsetter.subset(font)
    scale_upem(font, 1000)
    fd, tmp = tempfile.mkstemp(prefix=".font-", suffix=".ttf", dir=target.parent)
    os.close(fd)
    font.save(tmp)
    os.replace(tmp, target)  # atomic: a concurrent process sees the old state or the whole file


def _ascii(text: str) -> str:
    # Fallback when no Vietnamese font is installed: the built-in Courier has no such glyphs.
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _stamp(params: dict):
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    template = "\n".join([
        _("Ký bởi: %(signer)s"), _("Lý do: %(reason)s"), _("Nơi ký: %(location)s"), _("Thời gian: %(time)s"),
    ])
    font = _stamp_font()
    if font is None:
        logger.warning("No Vietnamese TrueType font for the signature stamp; using ASCII text.")
        style = TextStampStyle(stamp_text=_ascii(template), border_width=1)
        return style, {k: _ascii(v) for k, v in params.items()}
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    style = TextStampStyle(
        stamp_text=template,
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(str(font), font_size=STAMP_FONT_SIZE), font_size=STAMP_FONT_SIZE,
            leading=STAMP_FONT_SIZE + 2,
        ),
        border_width=1,
    )
    return style, params


# --- signing ---------------------------------------------------------------------------------------


def _named_destinations(root) -> dict:
    found = {}

    def walk(node):
        node = node.get_object()
        names = node.get("/Names")
        if names is not None:
            for i in range(0, len(names) - 1, 2):
                found[str(names[i])] = names[i + 1]
        for kid in node.get("/Kids", []):
            walk(kid)

    try:
        walk(root["/Names"]["/Dests"])
    except KeyError:
        pass
    return found


def _page_ids(root) -> list[int]:
    ids = []

    def walk(ref):
        node = ref.get_object()
        if "/Kids" in node:
            kids = node["/Kids"]
            for i in range(len(kids)):
                walk(kids.raw_get(i))
        else:
            ids.append(ref.idnum)

    walk(root.raw_get("/Pages"))
    return ids


def _destination(value):
    value = value.get_object()
    if hasattr(value, "keys"):  # a dictionary with the destination under /D
        value = value["/D"].get_object()
    return value.raw_get(0).idnum, float(value[2]), float(value[3])


def _slot(writer) -> tuple[int, tuple[int, int, int, int]] | None:
    """The signature rectangle marked in the paper, as (page index, box), if any."""
    try:
        dests = _named_destinations(writer.root)
        if SLOT_TOP_LEFT not in dests or SLOT_BOTTOM_RIGHT not in dests:
            return None
        page, x0, top = _destination(dests[SLOT_TOP_LEFT])
        page_end, x1, bottom = _destination(dests[SLOT_BOTTOM_RIGHT])
        if page != page_end or x1 <= x0 or top <= bottom:
            return None
        return _page_ids(writer.root).index(page), (int(x0), int(bottom), int(x1), int(top))
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return None  # an unusual structure: fall back to the default place


def _fallback_box(writer) -> tuple[int, tuple[int, int, int, int]]:
    page_ref, _resources = writer.find_page_for_modification(-1)
    x0, y0, x1, _y1 = (float(v) for v in page_ref.get_object()["/MediaBox"])
    right, bottom = x1 - 15 * MM, y0 + 2 * MM
    return -1, (int(right - STAMP_WIDTH), int(bottom), int(right), int(bottom + STAMP_HEIGHT))


def _run(coro_factory):
    """Run a coroutine from sync code, with or without an event loop already running here."""
    try:
        asyncio.get_running_loop()
        in_loop = True
    except RuntimeError:
        in_loop = False
    if not in_loop:
        return asyncio.run(coro_factory())
    # asyncio.run cannot nest: a worker thread gets its own loop.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(lambda: asyncio.run(coro_factory())).result()


async def async_sign_pdf(pdf: bytes, *, signer_name: str, reason: str, location: str,
                         keys: SigningKeys | None = None) -> bytes:
    """Sign `pdf` (PAdES baseline B) with a visible Vietnamese stamp on the last page."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    keys = keys or signing_keys()
    signer = _signer(keys)
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    except Exception as exc:  # noqa: BLE001 — pyHanko raises several kinds for a broken file
        raise SigningError(_("Không đọc được tệp PDF cần ký: %(error)s") % {"error": exc}) from exc
    try:
        existing = sum(1 for _field in fields.enumerate_sig_fields(writer))
        # Each signature gets its own field; only the first one takes the paper's signature place.
        field_name = FIELD_NAME if not existing else f"{FIELD_NAME}{existing + 1}"
        page, box = (existing == 0 and _slot(writer)) or _fallback_box(writer)
        now = timezone.localtime()
        style, params = _stamp({
            "signer": signer_name, "reason": reason, "location": location,
            "time": now.strftime("%H:%M:%S %d/%m/%Y (GMT+7)"),
        })
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, name=signer_name, reason=reason, location=location,
            subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        )
        pdf_signer = signers.PdfSigner(
            meta, signer=signer, stamp_style=style,
            new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=box),
        )
        out = await pdf_signer.async_sign_pdf(writer, appearance_text_params=params, output=BytesIO())
    except SigningError:
        raise
    except Exception as exc:  # noqa: BLE001 — see below
        # A file the upload check accepted (header, trailer, no active content) can still have a
        # structure pyHanko cannot sign: a page without a MediaBox, a dangling /Kids entry, an
        # /AcroForm or /Annots of the wrong type. pyHanko then raises KeyError, TypeError,
        # AttributeError, AssertionError… — the leader must read why, never get a server error.
        logger.warning("Signing refused a malformed PDF: %r", exc)
        raise SigningError(_(
            "Tệp PDF có lỗi cấu trúc nên không ký được (%(error)s). Hãy xuất lại tệp kết quả từ phần "
            "mềm soạn thảo (Lưu thành PDF) rồi đính kèm lại."
        ) % {"error": type(exc).__name__}, "file") from exc
    return out.getvalue()


def sign_pdf(pdf: bytes, *, signer_name: str, reason: str, location: str,
             keys: SigningKeys | None = None) -> bytes:
    return _run(lambda: async_sign_pdf(pdf, signer_name=signer_name, reason=reason, location=location, keys=keys))


# --- validation ------------------------------------------------------------------------------------


def _subject_cn(cert) -> str:
    try:
        return cert.subject.native.get("common_name", "") or cert.subject.human_friendly
    except Exception:  # noqa: BLE001 — a malformed name must not hide the verdict
        return ""


async def async_validate_pdf(pdf: bytes, *, roots: list | None = None) -> dict:
    """Check the last signature of `pdf` against the configured trust roots.

    Returns {"valid", "intact", "trusted", "signer", "signer_name", "signed_at", "reason",
    "location", "coverage", "modified_after_signing", "error"}: `intact` = the signed bytes are
    unchanged; `trusted` = the certificate chains to a trusted root; `valid` = both, and the
    signature covers the whole document.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    result = {
        "valid": False, "intact": False, "trusted": False, "signer": "", "signer_name": "", "signed_at": None,
        "reason": "", "location": "", "coverage": "", "modified_after_signing": None, "error": "",
    }
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            result["error"] = _("Tệp không có chữ ký số.")
            return result
        embedded = signatures[-1]
        roots = roots if roots is not None else trust_roots()
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        status = await async_validate_pdf_signature(embedded, signer_validation_context=context)
    except Exception as exc:  # noqa: BLE001 — a damaged file is an answer ("invalid"), not a crash
        result["error"] = f"{type(exc).__name__}: {exc}"
        return result
    sig = embedded.sig_object
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    result.update({
        "intact": bool(status.intact and status.valid),
        "trusted": bool(status.trusted),
        "signer": _subject_cn(status.signing_cert),
        "signer_name": str(sig.get("/Name", "")),
        "signed_at": status.signer_reported_dt,
        "reason": str(sig.get("/Reason", "")),
        "location": str(sig.get("/Location", "")),
        "coverage": status.coverage.name if status.coverage else "",
        "modified_after_signing": not whole,
    })
    result["valid"] = result["intact"] and result["trusted"] and status.bottom_line and whole
    return result


def validate_pdf(pdf: bytes, *, roots: list | None = None) -> dict:
    return _run(lambda: async_validate_pdf(pdf, roots=roots))
