"""The one check of every file a person hands in, and the one way such a file is served back.

Every channel goes through here: papers taken in at the counter, supplements at the desk and
online, the online form's uploads, the citizen's own papers and the result attached by an
officer. What a file is is decided by its content, never by its name or by the Content-Type the
browser sent (both are whatever the sender says: an .exe renamed "to-khai.pdf" arrives as
application/pdf; docs/architecture.md §13). PDF, JPEG and PNG cover scans and photos of papers.

A file that starts with "%PDF-" is not yet a harmless PDF: a PDF/HTML polyglot renders as a page
(and runs its script) in a browser that sniffs, and a PDF may carry JavaScript, launch actions or
embedded files that run in a reader. `check_content` refuses both; `serve_upload` serves what was
accepted as an attachment the browser may not sniff nor script, as a second line of defence.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _

from motcua.errors import MotcuaError


class UploadError(MotcuaError):
    """An uploaded file refused by its content, type or size."""


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str


PDF = FileKind("application/pdf", ".pdf", "PDF")
JPEG = FileKind("image/jpeg", ".jpg", "JPEG")
PNG = FileKind("image/png", ".png", "PNG")
ALL_KINDS = (PDF, JPEG, PNG)
ACCEPTED_LABEL = "PDF, JPEG hoặc PNG"
# The only types a download is ever labelled with; anything else goes out as octet-stream.
SERVED_TYPES = frozenset(kind.content_type for kind in ALL_KINDS)

# Magic numbers: PDF "%PDF-" at offset 0 (ISO 32000-1 §7.5.2; readers tolerate it later in the
# file, which is exactly what polyglots use, so we do not), JPEG SOI + marker, PNG signature.
_SIGNATURES = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))


@dataclass
class CheckedFile:
    filename: str
    content_type: str
    size: int
    kind: FileKind | None = None


def max_bytes() -> int:
    return settings.UPLOAD_MAX_MB * 1024 * 1024


def sniff(content: bytes) -> FileKind | None:
    """The kind of `content` by its first bytes among the accepted ones, or None. Only the
    signature: `check_content` is what decides whether a file is accepted."""
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            return kind
    return None


def shown_name(filename: str) -> str:
    """The file's own name as the sender's browser gave it, without any path, for messages."""
    return (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:255]


# --- the checks ---------------------------------------------------------------------------------


def check_size(size: int, *, label: str, filename: str, field: str = "") -> None:
    """Refuse an empty or oversized file from its declared size, before its body is read."""
    args = {"label": label, "file": shown_name(filename), "mb": settings.UPLOAD_MAX_MB}
    if size == 0:
        raise UploadError(_("“%(label)s”: tệp “%(file)s” không có nội dung.") % args, field)
    if size > max_bytes():
        raise UploadError(_("“%(label)s”: tệp “%(file)s” vượt quá dung lượng cho phép (%(mb)d MB mỗi tệp).") % args,
                          field)


def check_content(content: bytes, *, label: str, filename: str, field: str = "",
                  kinds: tuple[FileKind, ...] = ALL_KINDS) -> FileKind:
    """The kind of `content` if it is an accepted, well-formed and inert file; else UploadError.

    `label` names the input (the paper) and `filename` the file, so the person knows what to fix;
    `kinds` narrows what the channel accepts (a result is a PDF only).
    """
    check_size(len(content or b""), label=label, filename=filename, field=field)
    accepted = ACCEPTED_LABEL if kinds == ALL_KINDS else _(" hoặc ").join(k.label for k in kinds)
    args = {"label": label, "file": shown_name(filename), "kinds": accepted}
    kind = sniff(content)
    if kind is None or kind not in kinds:
        raise UploadError(_("“%(label)s”: tệp “%(file)s” không phải tệp %(kinds)s. Chỉ nhận bản quét hoặc ảnh chụp "
                            "ở định dạng này.") % args, field)
    problem = {PDF: _pdf_problem, JPEG: _jpeg_problem, PNG: _png_problem}[kind](content)
    if problem:
        raise UploadError(_("“%(label)s”: tệp “%(file)s” bị từ chối: %(why)s.") % {**args, "why": problem}, field)
    return kind


def read_upload(upload, *, label: str, field: str = "",
                kinds: tuple[FileKind, ...] = ALL_KINDS) -> tuple[bytes, FileKind]:
    """Check a Django `UploadedFile` (its declared size first, so an oversized body is never read
    into memory), then read and check its content. Returns (content, kind)."""
    name = shown_name(upload.name)
    check_size(upload.size or 0, label=label, filename=name, field=field)
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    return content, check_content(content, label=label, filename=name, field=field, kinds=kinds)


def check_upload(upload, *, label: str, field: str = "", kinds: tuple[FileKind, ...] = ALL_KINDS) -> CheckedFile:
    """`read_upload` for a caller that stores the file later: what it was recognised as."""
    content, kind = read_upload(upload, label=label, field=field, kinds=kinds)
    return CheckedFile(filename=shown_name(upload.name), content_type=kind.content_type, size=len(content), kind=kind)


def check_stored(file_field, *, label: str, name: str, field: str = "") -> CheckedFile:
    """The same checks for a file already in storage (a paper reused from the citizen's store,
    which may predate these rules)."""
    size = file_field.size
    if size == 0 or size > max_bytes():
        raise UploadError(
            _("“%(label)s”: giấy tờ “%(file)s” trong kho không dùng được (rỗng hoặc vượt quá %(mb)d MB).")
            % {"label": label, "file": name, "mb": settings.UPLOAD_MAX_MB}, field)
    with file_field.open("rb") as handle:
        content = handle.read()
    kind = check_content(content, label=label, filename=name, field=field)
    return CheckedFile(filename=name, content_type=kind.content_type, size=size, kind=kind)


# --- PDF ----------------------------------------------------------------------------------------

# Markup a browser would render if it ever sniffed the file as HTML (or SVG): a PDF has no reason
# to carry any of it in its first kilobyte, where browsers look.
_HTML_MARKERS = re.compile(rb"<\s*(?:html|script|!doctype|svg|body|head|iframe)\b", re.I)

# A PDF name: "/" then regular characters (ISO 32000-1 §7.3.5). "#xx" inside a name is a hex
# escape, so "/J#61vaScript" is /JavaScript to a reader; names are compared after unescaping.
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")

# Active content: scripts (/JavaScript, /JS), actions that start programs or send data
# (/Launch, /SubmitForm, /ImportData, /GoToE), embedded files and rich media (/EmbeddedFile(s),
# /RichMedia), XFA forms (which carry their own scripts) and additional actions (/AA: actions
# run on events such as opening a page). /OpenAction alone is harmless (usually "open at page
# 1"); an /OpenAction that runs JavaScript names /JavaScript or /JS and is refused by those.
_LONG_NAMES = frozenset({b"JavaScript", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia",
                         b"SubmitForm", b"ImportData", b"GoToE"})
_SHORT_NAMES = frozenset({b"JS", b"AA", b"XFA"})

# Stream data (between "stream" and "endstream") is binary — image samples, compressed
# text — where a two- or three-letter name turns up by chance in one scan out of a few dozen. So
# the short names are looked for only in the dictionaries outside stream data and in object
# streams (/Type /ObjStm, where PDF 1.5+ writers put dictionaries, compressed); the long names,
# which random bytes do not produce, are looked for everywhere.
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_ENDSTREAM = b"endstream"
_OBJECT_STREAM_BUDGET = 64 * 1024 * 1024  # decompressed bytes, against compression bombs


def _names(data: bytes) -> set[bytes]:
    return {_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), m.group(1)) for m in _NAME.finditer(data)}


def _pdf_problem(content: bytes) -> str:
    if b"%%EOF" not in content[-1024:]:
        return _("tệp PDF không hoàn chỉnh (thiếu dấu kết thúc %%EOF)")
    if _HTML_MARKERS.search(content[:1024]):
        return _("tệp PDF có lẫn mã HTML")
    found = _names(content) & _LONG_NAMES
    budget = _OBJECT_STREAM_BUDGET
    position = 0
    for match in _STREAM.finditer(content):
        if match.start() < position:
            continue  # the word inside stream data already skipped
        dictionary = content[position:match.start()]
        end = content.find(_ENDSTREAM, match.end())
        end = len(content) if end < 0 else end
        found |= _names(dictionary) & _SHORT_NAMES
        names = _names(dictionary[-2048:])  # this stream's own dictionary
        if b"ObjStm" in names:
            if names & {b"Filter"} and b"FlateDecode" not in names:
                return _("không kiểm tra được nội dung tệp PDF (cách nén không hỗ trợ)")
            data = content[match.end():end]
            if b"FlateDecode" in names:
                try:
                    decompressor = zlib.decompressobj()
                    data = decompressor.decompress(data, budget)
                except zlib.error:
                    return _("không kiểm tra được nội dung tệp PDF (tệp bị mã hóa hoặc hỏng)")
                budget -= len(data)
                if budget <= 0:
                    return _("không kiểm tra được nội dung tệp PDF (quá lớn khi giải nén)")
            found |= _names(data) & (_LONG_NAMES | _SHORT_NAMES)
        position = end
    found |= _names(content[position:]) & _SHORT_NAMES
    if found:
        return _("tệp PDF có nội dung chủ động (%(names)s)") % {
            "names": ", ".join("/" + n.decode("latin-1") for n in sorted(found))}
    return ""


# --- images -------------------------------------------------------------------------------------


def _jpeg_problem(content: bytes) -> str:
    # A JPEG ends with the EOI marker FF D9; cameras may pad after it, so allow a little trailing.
    if b"\xff\xd9" not in content[-64:]:
        return _("ảnh JPEG không hoàn chỉnh")
    return _image_problem(content)


def _png_problem(content: bytes) -> str:
    # A PNG ends with its IEND chunk: length 0, "IEND", CRC AE 42 60 82.
    if not content.endswith(b"\x00\x00\x00\x00IEND\xaeB`\x82"):
        return _("ảnh PNG không hoàn chỉnh")
    return _image_problem(content)


def _image_problem(content: bytes) -> str:
    """Pillow (already a dependency, for the official forms) reads the structure through."""
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except Exception:  # Pillow raises many types on a malformed image; all mean the same here
        return _("ảnh bị hỏng hoặc không đọc được")
    return ""


# --- serving ------------------------------------------------------------------------------------


def serve_upload(file, *, filename: str, content_type: str | None) -> FileResponse:
    """A file someone handed in (or any file we did not render ourselves), served so that it can
    never act as a page of our origin: always an attachment, typed only as what its content was
    recognised as (never text/html), not sniffed by the browser, and sandboxed without any
    resource should a browser render it anyway."""
    served = content_type if content_type in SERVED_TYPES else "application/octet-stream"
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=served)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
