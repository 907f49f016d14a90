"""Dossiers filed on another system (the national portal, the provincial platform) becoming ours
(docs/architecture.md §14, "Inbound").

`receive_dossier` is the one way in, for the push endpoint (api/routes_interop.py) and the pull
loop (interop/pull.py) alike. A delivery is keyed by (connector, the sender's code, MaHoSo): a
repeated one finds the accepted `InboundDossier` and answers it again, creating nothing. A new one
is checked field by field (Vietnamese messages naming the national field), its papers are fetched
from the sender — before the transaction, so no database lock waits on the network — and then, in
one transaction, it becomes an online dossier through the portal's own intake service
(`dossier_submit`: the same checks, the same steps, the reception guard's clock started as for our
own online dossiers) keeping the national code as its code. Anything refused leaves no dossier and
no paper, only the `InboundDossier` row saying why, so a later delivery may try again.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import uploads
from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import parts_of
from motcua.catalog.text import fold
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ApplicantInput, DossierError, PaperInput
from motcua.dossiers.validation import clean_applicant
from motcua.errors import BadParam, MotcuaError
from motcua.portal import selectors as portal_selectors

from .models import InboundDossier

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-_/]{0,63}$")
DATE_FORMAT = "%Y%m%d%H%M%S"  # yyyyMMddHHmmss, Asia/Ho_Chi_Minh (the portal's dates)
MAX_PAPERS = 50
MAX_DEPTH = 8  # DongBoHoSoMC nests three levels (dossier, lists, their items)
# LoaiDoiTuong: 1 citizen, 2 business, 3 state agency, 4 other organisation.
APPLICANT_KINDS = {"1": "person", "2": "organisation", "3": "organisation", "4": "organisation"}

# The intake service's fields, named as the sender wrote them (the message must name the field
# the sender can fix).
FIELDS = {
    "procedure": "MaTTHC", "process": "MaTTHC", "case": "MaTruongHop", "competent_agency": "MaDonViXuLy",
    "applicant": "ChuHoSo", "applicant.full_name": "ChuHoSo", "applicant.id_number": "DinhDanhCHS",
    "applicant.phone": "SoDienThoai", "applicant.email": "Email", "applicant.address": "DiaChiCHS",
    "applicant.kind": "LoaiDoiTuong", "papers": "TaiLieuNop", "code": "MaHoSo",
}


class InboundError(MotcuaError):
    """A delivery refused: `field` is the sender's field at fault. `retryable`: the same delivery
    may succeed later (a paper could not be fetched now); otherwise the sender must fix it."""

    retryable = False


class InboundInvalid(InboundError, BadParam):
    """The payload itself is wrong (400 on the push endpoint)."""


class InboundUnavailable(InboundError):
    """A paper could not be fetched from the sender now (422; try again later)."""

    retryable = True


class UnknownConnector(MotcuaError):
    pass


def known_connectors() -> list[str]:
    return list(settings.INTEROP_CONNECTORS)


def connector_url(connector: str) -> str:
    """The sender's base address: setting `<CODE>_URL` (DVCQG_URL for "dvcqg"). Papers are fetched
    from this origin only, so a pushed payload cannot make us fetch from anywhere else (SSRF)."""
    return getattr(settings, f"{connector.upper()}_URL", "") or ""


def _timeout() -> float:
    return float(getattr(settings, "DVCQG_TIMEOUT_SECONDS", 20))


# --- parsing --------------------------------------------------------------------------------------


@dataclass
class SentPaper:
    name: str
    url: str
    filename: str
    field: str


@dataclass
class Parsed:
    code: str
    procedure: str
    case: str | None
    agency: str
    applicant: ApplicantInput
    papers: list[SentPaper]


def _text(payload: dict, key: str, *, required: bool = False, max_length: int = 500, prefix: str = "") -> str:
    """`payload[key]` as stripped text; `prefix` ("TaiLieuNop[2].") completes the field's name."""
    name = prefix + key
    value = payload.get(key)
    if value is None or value == "":
        if required:
            raise InboundInvalid(_("Thiếu trường “%(field)s”.") % {"field": name}, name)
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise InboundInvalid(_("Trường “%(field)s” phải là chuỗi ký tự.") % {"field": name}, name)
    value = value.strip()
    if "\x00" in value:
        raise InboundInvalid(_("Trường “%(field)s” có ký tự không hợp lệ.") % {"field": name}, name)
    if required and not value:
        raise InboundInvalid(_("Thiếu trường “%(field)s”.") % {"field": name}, name)
    if len(value) > max_length:
        raise InboundInvalid(_("Trường “%(field)s” quá dài (tối đa %(n)d ký tự).") % {"field": name, "n": max_length},
                             name)
    return value


def _depth(value) -> int:
    """How deeply lists and objects nest, counted without recursion (a hostile document nested
    hundreds deep must not exhaust the stack of what reads it next)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                break
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def external_code(payload) -> str:
    """MaHoSo, the key of the delivery: checked first, since nothing can be recorded without it."""
    if not isinstance(payload, dict):
        raise InboundInvalid(_("Nội dung gửi lên phải là một đối tượng JSON (hồ sơ DongBoHoSoMC)."), "body")
    if _depth(payload) > MAX_DEPTH:
        raise InboundInvalid(_("Nội dung gửi lên lồng nhau quá sâu (tối đa %(n)d cấp).") % {"n": MAX_DEPTH}, "body")
    code = _text(payload, "MaHoSo", required=True, max_length=64)
    if not CODE_RE.match(code):
        raise InboundInvalid(_("Trường “MaHoSo”: mã hồ sơ chỉ gồm chữ, số và các dấu . - _ /, tối đa 64 ký tự."),
                             "MaHoSo")
    return code


def _date(payload: dict, key: str) -> datetime | None:
    value = _text(payload, key, max_length=14)
    if not value:
        return None
    try:
        return timezone.make_aware(datetime.strptime(value, DATE_FORMAT))
    except ValueError:
        raise InboundInvalid(_("Trường “%(field)s”: ngày giờ phải có dạng yyyyMMddHHmmss (ví dụ 20261203143000).")
                             % {"field": key}, key) from None


def parse(payload) -> Parsed:
    """The payload's fields as plain values; every malformed one is InboundInvalid naming it."""
    code = external_code(payload)
    procedure = _text(payload, "MaTTHC", required=True, max_length=32)
    kind_code = _text(payload, "LoaiDoiTuong", max_length=1) or "1"
    if kind_code not in APPLICANT_KINDS:
        raise InboundInvalid(_("Trường “LoaiDoiTuong” phải là 1 (công dân), 2 (doanh nghiệp), 3 (cơ quan nhà nước) "
                               "hoặc 4 (tổ chức khác)."), "LoaiDoiTuong")
    applicant = ApplicantInput(
        full_name=_text(payload, "ChuHoSo", required=True, max_length=200),
        id_number=_text(payload, "DinhDanhCHS", required=True, max_length=20),
        phone=_text(payload, "SoDienThoai", max_length=20), email=_text(payload, "Email", max_length=254),
        address=_text(payload, "DiaChiCHS", max_length=500), kind=APPLICANT_KINDS[kind_code],
    )
    try:  # the intake's own check (it runs again in the service), here before any paper is fetched
        clean_applicant(applicant)
    except DossierError as exc:
        raise InboundInvalid(exc.message, FIELDS.get(exc.field, exc.field)) from None
    _date(payload, "NgayNopHoSo")
    raw = payload.get("TaiLieuNop", [])
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise InboundInvalid(_("Trường “TaiLieuNop” phải là một danh sách giấy tờ."), "TaiLieuNop")
    if len(raw) > MAX_PAPERS:
        raise InboundInvalid(_("Trường “TaiLieuNop”: tối đa %(n)d giấy tờ.") % {"n": MAX_PAPERS}, "TaiLieuNop")
    papers = []
    for i, item in enumerate(raw):
        where = f"TaiLieuNop[{i}]"
        if not isinstance(item, dict):
            raise InboundInvalid(_("“%(field)s” phải là một đối tượng giấy tờ.") % {"field": where}, where)
        prefix = f"{where}."
        name = (_text(item, "TenTaiLieu", max_length=500, prefix=prefix)
                or _text(item, "TenTepDinhKem", max_length=255, prefix=prefix))
        url = _text(item, "DuongDanTaiTepTin", required=True, max_length=2000, prefix=prefix)
        filename = _text(item, "TenTepDinhKem", max_length=255, prefix=prefix)
        if not name:
            raise InboundInvalid(_("“%(field)s.TenTaiLieu”: thiếu tên giấy tờ.") % {"field": where},
                                 f"{where}.TenTaiLieu")
        papers.append(SentPaper(name=name, url=url, filename=filename or name, field=where))
    return Parsed(code=code, procedure=procedure, case=_text(payload, "MaTruongHop", max_length=32) or None,
                  agency=_text(payload, "MaDonViXuLy", max_length=32), applicant=applicant, papers=papers)


# --- where it goes --------------------------------------------------------------------------------


@dataclass
class Target:
    version: ProcedureVersion
    competent: Agency
    desk: Agency


def _target(parsed: Parsed) -> Target:
    """The procedure in force and the competent agency with its desk, chosen among exactly the
    pairs our own portal offers a citizen for this procedure (portal.selectors.competent_choices)."""
    version = portal_selectors.online_version(parsed.procedure)
    if version is None:
        raise InboundInvalid(_("Trường “MaTTHC”: không có thủ tục mã “%(code)s” đang áp dụng.")
                             % {"code": parsed.procedure}, "MaTTHC")
    desks = {competent.pk: desk for competent, desk in portal_selectors.competent_choices(version)}
    by_code = {agency.code: (agency, desks[agency.pk]) for agency in Agency.objects.filter(pk__in=desks)}
    if parsed.agency:
        if parsed.agency not in by_code:
            raise InboundInvalid(_("Trường “MaDonViXuLy”: cơ quan mã “%(code)s” không giải quyết thủ tục này.")
                                 % {"code": parsed.agency}, "MaDonViXuLy")
        competent, desk = by_code[parsed.agency]
    elif len(by_code) == 1:
        competent, desk = next(iter(by_code.values()))
    else:
        raise InboundInvalid(_("Thiếu trường “MaDonViXuLy” (mã định danh cơ quan giải quyết)."), "MaDonViXuLy")
    if parsed.case is not None and parsed.case not in {c.key for c in parts_of(version).cases}:
        raise InboundInvalid(_("Trường “MaTruongHop”: thủ tục không có trường hợp mã “%(key)s”.")
                             % {"key": parsed.case}, "MaTruongHop")
    return Target(version=version, competent=competent, desk=Agency.objects.get(pk=desk.pk))


def _paper_ids(version: ProcedureVersion, papers: list[SentPaper]) -> list[int | None]:
    """Each sent paper's catalogue paper, by its name (the national catalogue's thành phần hồ sơ
    are ours: the catalogue is imported from it), compared without case or diacritics."""
    catalogue = {fold(p.name): p.id for p in parts_of(version).papers}
    return [catalogue.get(fold(p.name)) for p in papers]


# --- fetching the papers --------------------------------------------------------------------------


def _paper_url(connector: str, paper: SentPaper) -> str:
    base = connector_url(connector)
    url = urljoin(base.rstrip("/") + "/", paper.url) if base else paper.url
    here, there = urlsplit(base), urlsplit(url)
    if not base or there.scheme not in ("http", "https") or (there.scheme, there.netloc) != (here.scheme,
                                                                                           here.netloc):
        raise InboundInvalid(_("“%(field)s.DuongDanTaiTepTin”: giấy tờ “%(name)s” phải được tải từ địa chỉ của hệ "
                               "thống gửi (%(base)s).") % {"field": paper.field, "name": paper.name,
                                                           "base": base or "chưa cấu hình"},
                             f"{paper.field}.DuongDanTaiTepTin")
    return url


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the sender's own origin: a redirect must not lead the fetch
    to an address a payload could not name itself."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl)[:2] != urlsplit(req.full_url)[:2]:
            raise urllib.error.HTTPError(newurl, code, _("chuyển hướng ra ngoài hệ thống gửi"), headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_SameOrigin)


def fetch_paper(connector: str, paper: SentPaper) -> bytes:
    """The paper's bytes, read up to the upload limit (UPLOAD_MAX_MB): a larger one is refused
    without being read whole."""
    url = _paper_url(connector, paper)
    unavailable = _("Không tải được giấy tờ “%(name)s” (%(field)s) từ hệ thống gửi: %(why)s. Hồ sơ chưa được tạo; "
                    "có thể gửi lại sau.")
    limit = uploads.max_bytes()
    try:
        with _opener.open(urllib.request.Request(url, method="GET"), timeout=_timeout()) as response:
            content = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise InboundUnavailable(unavailable % {"name": paper.name, "field": paper.field,
                                                "why": _("máy chủ trả lời mã %(code)s") % {"code": exc.code}},
                                 f"{paper.field}.DuongDanTaiTepTin") from None
    except (OSError, ValueError) as exc:  # URLError, timeouts, refused connections, bad URLs
        raise InboundUnavailable(unavailable % {"name": paper.name, "field": paper.field,
                                                "why": str(getattr(exc, "reason", exc))[:200]},
                                 f"{paper.field}.DuongDanTaiTepTin") from None
    if len(content) > limit:
        raise InboundInvalid(_("Giấy tờ “%(name)s” (%(field)s) vượt quá dung lượng cho phép (%(mb)d MB mỗi tệp).")
                             % {"name": paper.name, "field": paper.field, "mb": settings.UPLOAD_MAX_MB}, paper.field)
    try:
        uploads.check_content(content, label=paper.name, filename=paper.filename, field=paper.field)
    except uploads.UploadError as exc:
        raise InboundInvalid(exc.message, paper.field) from None
    return content


# --- the one way in -------------------------------------------------------------------------------


def _storable(value):
    """The payload as PostgreSQL's jsonb can hold it: a NUL character (which jsonb refuses) in a
    field we do not read is replaced, not a reason for a server error."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    return value


def _digest(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _accepted(connector: str, code: str) -> InboundDossier | None:
    found = (InboundDossier.objects.filter(connector=connector, external_code=code,
                                           status=InboundDossier.Status.ACCEPTED)
             .select_related("dossier").first())
    if found is not None:
        found.created = False
    return found


def receive_dossier(*, connector: str, payload: dict) -> InboundDossier:
    """The delivered dossier as an accepted `InboundDossier` (`.created`: False for a repeated
    delivery, which creates nothing and answers the same). A refusal raises `InboundError`
    (`InboundInvalid`: fix the payload; `InboundUnavailable`: a paper could not be fetched, try
    again) after recording the refused row with its reason; no dossier, no paper is left behind.
    Call it outside any transaction: it fetches over the network, then commits its own."""
    if connector not in known_connectors():
        raise UnknownConnector(_("Không có hệ thống liên thông “%(code)s”.") % {"code": connector}, "connector")
    code = external_code(payload)
    found = _accepted(connector, code)
    if found is not None:
        return found
    digest = _digest(payload)
    try:
        parsed = parse(payload)
        target = _target(parsed)
        ids = _paper_ids(target.version, parsed.papers)
        contents = [fetch_paper(connector, paper) for paper in parsed.papers]
        papers = [PaperInput(required_paper_id=pid, name=paper.name, content=content, filename=paper.filename)
                  for pid, paper, content in zip(ids, parsed.papers, contents, strict=True)]
        return _create(connector, parsed, target, papers, payload=payload, digest=digest)
    except InboundError as exc:
        _refuse(connector, code, payload=payload, digest=digest, reason=exc.message)
        raise


def _create(connector: str, parsed: Parsed, target: Target, papers: list[PaperInput], *, payload: dict,
            digest: str) -> InboundDossier:
    try:
        with transaction.atomic():
            row = InboundDossier.objects.select_for_update().filter(connector=connector,
                                                                    external_code=parsed.code).first()
            if row is not None and row.status == InboundDossier.Status.ACCEPTED:
                row.created = False  # a twin delivery committed while we fetched
                return row
            if row is None:
                # Claim the code first: a twin delivery's insert waits on the unique index until we
                # commit, then finds our dossier — before it writes any paper file of its own.
                row = InboundDossier(connector=connector, external_code=parsed.code,
                                     status=InboundDossier.Status.ACCEPTED, payload_sha256=digest)
                row.save()
            if Dossier.objects.filter(code__iexact=parsed.code).exists():
                # Before any paper is written: a refused dossier leaves no file behind.
                raise InboundInvalid(_("Trường “MaHoSo”: mã hồ sơ “%(code)s” đã được dùng cho một hồ sơ khác.")
                                     % {"code": parsed.code}, "MaHoSo")
            dossier = services.dossier_submit(
                actor=None, receiving_agency=target.desk, procedure=target.version,
                competent_agency=target.competent, applicant=parsed.applicant, case=parsed.case,
                papers=papers, issue_code=False,
            )
            services.dossier_keep_code(dossier=dossier, code=parsed.code)
            row.status, row.dossier, row.error = InboundDossier.Status.ACCEPTED, dossier, ""
            row.payload, row.payload_sha256, row.received_at = _storable(payload), digest, timezone.now()
            row.save()
            row.created = True
            return row
    except DossierError as exc:
        field = exc.field
        if field.startswith("papers."):  # papers.2.file → TaiLieuNop[2]
            field = f"TaiLieuNop[{field.split('.')[1]}]"
        raise InboundInvalid(exc.message, FIELDS.get(field, field)) from None
    except IntegrityError:
        # A twin delivery inserted the row (or the code) first and committed: answer its result.
        found = _accepted(connector, parsed.code)
        if found is None:
            raise
        return found


def _refuse(connector: str, code: str, *, payload, digest: str, reason: str) -> None:
    """Record why a delivery was refused (its own short transaction: nothing else of it was
    written). An accepted row is never turned back into a refusal."""
    with transaction.atomic():
        row = InboundDossier.objects.select_for_update().filter(connector=connector, external_code=code).first()
        if row is not None and row.status == InboundDossier.Status.ACCEPTED:
            return
        row = row or InboundDossier(connector=connector, external_code=code)
        row.status, row.error = InboundDossier.Status.REFUSED, reason
        row.payload = _storable(payload) if isinstance(payload, dict) else {}
        row.payload_sha256, row.received_at = digest, timezone.now()
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            pass  # a twin recorded it meanwhile


def mark_acknowledged(inbound: InboundDossier) -> None:
    """The sender was told we have it (the pull loop's ack, or the push endpoint's answer)."""
    InboundDossier.objects.filter(pk=inbound.pk, acknowledged_at__isnull=True).update(acknowledged_at=timezone.now())
