"""Writes of citizen accounts and of "my papers". Views and forms only parse input and call these.

Every refusal is an `AccountError` whose message is Vietnamese and names the field at fault,
and whose `field` says which input to mark.
"""

import hashlib
import logging
import os
import secrets
import uuid

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import uploads
from motcua.errors import MotcuaError

from . import lockout, selectors
from .identifiers import normalise_email, normalise_id_number, normalise_phone
from .models import CitizenPaper, OidcIdentity, User

logger = logging.getLogger(__name__)


class AccountError(MotcuaError):
    """A refused account action or invalid input; `errors` holds every fault of a form at once."""

    def __init__(self, message: str, field: str = "", errors: dict[str, str] | None = None):
        super().__init__(message, field)
        #: field → message, for forms that show every fault at once.
        self.errors = errors if errors is not None else {field or "__all__": message}

    @classmethod
    def many(cls, errors: dict[str, str]) -> "AccountError":
        field, message = next(iter(errors.items()))
        return cls(" ".join(errors.values()), field, dict(errors))


# --- registration ------------------------------------------------------------------------------


def _new_username() -> str:
    # Opaque on purpose: the staff login (/can-bo/dang-nhap/) authenticates by username, so a
    # username equal to the phone number would hand guessers a second name for the account.
    # Citizens never type it; they use phone or e-mail.
    return f"cd-{secrets.token_hex(8)}"


def _lock_identifiers(*values: str) -> None:
    """Serialise registrations that claim the same phone or e-mail, so two simultaneous sign-ups
    cannot both pass the uniqueness check (no unique index: a staff account may share the
    phone of its owner's citizen account). SQLite transactions are already serialised
    (IMMEDIATE, settings.py)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for value in sorted(v for v in values if v):
            key = int.from_bytes(hashlib.sha256(f"account:{value}".encode()).digest()[:8], "big", signed=True)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


_PASSWORD_MESSAGES = {
    # Django's Vietnamese catalogue lacks some of these (the plural of "too short").
    "password_too_short": "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
    "password_too_common": "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác.",
    "password_entirely_numeric": "Mật khẩu không được chỉ gồm chữ số.",
    "password_too_similar": "Mật khẩu quá giống thông tin cá nhân của bạn.",
}


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        messages = []
        for error in exc.error_list:
            template = _PASSWORD_MESSAGES.get(error.code)
            if template:
                messages.append(_(template) % (error.params or {}))
            else:
                messages.append(_("Mật khẩu: %(message)s") % {"message": " ".join(error.messages)})
        raise AccountError(" ".join(messages), "password1") from None


def _split_name(full_name: str) -> tuple[str, str]:
    """Vietnamese order, family name first: "Nguyễn Văn An" → last "Nguyễn Văn", first "An"."""
    last, _sep, first = full_name.rpartition(" ")
    return last, first


def _clean_full_name(raw: str, field: str = "full_name") -> str:
    full_name = " ".join((raw or "").split())
    if not full_name:
        raise AccountError(_("Họ và tên không được để trống."), field)
    if len(full_name) > 150:
        raise AccountError(_("Họ và tên quá dài (tối đa 150 ký tự)."), field)
    return full_name


def citizen_register(*, full_name: str, phone: str = "", email: str = "", password: str,
                     password_again: str | None = None, id_number: str = "") -> User:
    """A new citizen account, identified by phone or e-mail (at least one, each unique among
    citizens). No membership is created: a citizen never enters the staff desk.

    Every faulty field is reported at once: AccountError.errors maps field → message."""
    errors: dict[str, str] = {}
    try:
        full_name = _clean_full_name(full_name)
    except AccountError as exc:
        errors[exc.field] = exc.message
    clean_phone = ""
    if (phone or "").strip():
        clean_phone = normalise_phone(phone) or ""
        if not clean_phone:
            errors["phone"] = _("Số điện thoại không hợp lệ (ví dụ 0912345678).")
    clean_email = ""
    if (email or "").strip():
        clean_email = normalise_email(email) or ""
        if not clean_email:
            errors["email"] = _("Thư điện tử không hợp lệ (ví dụ ten@example.vn).")
    if not (phone or "").strip() and not (email or "").strip():
        errors["phone"] = _("Cần nhập số điện thoại hoặc thư điện tử (ít nhất một) để đăng nhập.")
    clean_id = ""
    if (id_number or "").strip():
        clean_id = normalise_id_number(id_number) or ""
        if not clean_id:
            errors["id_number"] = _("Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số.")
    last, first = _split_name(full_name) if "full_name" not in errors else ("", "")
    user = User(username=_new_username(), first_name=first, last_name=last, phone=clean_phone,
                email=clean_email, id_number=clean_id)
    if not password:
        errors["password1"] = _("Mật khẩu không được để trống.")
    else:
        try:
            _check_password(password, user)
        except AccountError as exc:
            errors[exc.field] = exc.message
        if password_again is not None and password != password_again:
            errors["password2"] = _("Mật khẩu nhập lại không khớp với mật khẩu.")
    if errors:
        raise AccountError.many(errors)
    with transaction.atomic():
        _lock_identifiers(clean_phone, clean_email)
        if clean_phone and selectors.citizens().filter(phone=clean_phone).exists():
            errors["phone"] = _("Số điện thoại này đã được dùng cho một tài khoản khác.")
        if clean_email and selectors.citizens().filter(email=clean_email).exists():
            errors["email"] = _("Thư điện tử này đã được dùng cho một tài khoản khác.")
        if errors:
            raise AccountError.many(errors)
        user.set_password(password)
        user.save()
    return user


# --- login ---------------------------------------------------------------------------------------


def citizen_authenticate(*, request, identifier: str, password: str) -> User:
    """The citizen whose phone / e-mail and password these are, or AccountError. The same message
    whether the account exists or not. Through `django.contrib.auth.authenticate` with the request,
    so axes counts the failure and refuses a locked client (accounts/lockout.py); a lock is an
    AccountError on field "locked"."""
    identifier = (identifier or "").strip()
    if not identifier or not password:
        raise AccountError(_("Hãy nhập số điện thoại hoặc thư điện tử và mật khẩu."), "identifier")
    user = authenticate(request, identifier=identifier, password=password)
    if lockout.is_locked_out(request):
        raise AccountError(lockout.message(), "locked")
    if user is None:
        raise AccountError(_("Số điện thoại/thư điện tử hoặc mật khẩu không đúng."), "identifier")
    return user


# --- identity providers (VNeID) -------------------------------------------------------------------


def citizen_from_identity(*, provider: str, subject: str, full_name: str = "", phone: str = "",
                          email: str = "", id_number: str = "", link_to: User | None = None) -> User:
    """The citizen behind an identity provider's subject: the linked account, else `link_to` (a
    citizen signed in locally who chose to link), else a new account.

    Never linked by matching e-mail, phone or ID number: those on a local account are typed by
    whoever registered it, so matching on them would hand a VNeID user's account to someone who
    registered their number first. Claims refresh the name and the (now verified) ID number, and
    fill phone / e-mail only when no other citizen uses them.
    """
    if not subject:
        raise AccountError(_("Nhà cung cấp định danh không trả về mã định danh người dùng."))
    now = timezone.now()
    user = selectors.identity_user(provider=provider, subject=subject)
    created = False
    if user is None:
        try:
            with transaction.atomic():
                if link_to is not None:
                    if not selectors.is_citizen(link_to):
                        raise AccountError(_("Chỉ tài khoản công dân mới liên kết được với định danh điện tử."))
                    if selectors.identities_of(link_to).filter(provider=provider).exists():
                        raise AccountError(_("Tài khoản này đã liên kết với một định danh khác của cùng nhà cung cấp."))
                    user = link_to
                else:
                    user = User(username=_new_username())
                    user.set_unusable_password()
                    user.save()
                    created = True
                OidcIdentity.objects.create(user=user, provider=provider, subject=subject, last_login_at=now)
        except IntegrityError:
            # Two callbacks for the same new subject at once: the other one created it.
            user = selectors.identity_user(provider=provider, subject=subject)
            if user is None:
                raise
            created = False
    else:
        OidcIdentity.objects.filter(provider=provider, subject=subject).update(last_login_at=now)
    _apply_claims(user, full_name=full_name, phone=phone, email=email, id_number=id_number, created=created)
    return user


def _apply_claims(user: User, *, full_name: str, phone: str, email: str, id_number: str, created: bool) -> None:
    changed = []
    name = " ".join((full_name or "").split())[:150]
    if name:
        last, first = _split_name(name)
        if (user.last_name, user.first_name) != (last, first):
            user.last_name, user.first_name = last, first
            changed += ["last_name", "first_name"]
    clean_id = normalise_id_number(id_number)
    if clean_id and (user.id_number != clean_id or not user.id_number_verified):
        user.id_number, user.id_number_verified = clean_id, True
        changed += ["id_number", "id_number_verified"]
    clean_phone = normalise_phone(phone) if phone else None
    if clean_phone and not user.phone and not selectors.citizens().filter(phone=clean_phone).exists():
        user.phone = clean_phone
        changed.append("phone")
    clean_email = normalise_email(email) if email else None
    if clean_email and not user.email and not selectors.citizens().filter(email=clean_email).exists():
        user.email = clean_email
        changed.append("email")
    if changed:
        user.save(update_fields=changed)


# --- my papers ---------------------------------------------------------------------------------


def paper_max_mb() -> int:
    return settings.UPLOAD_MAX_MB


def _max_bytes() -> int:
    return paper_max_mb() * 1024 * 1024


def check_paper_size(*, size: int, filename: str) -> None:
    """Refuse an empty or oversized file before reading it into memory (the view calls this with
    the upload's declared size; `citizen_paper_add` checks the real content again)."""
    try:
        uploads.check_size(size, label=_("Giấy tờ"), filename=filename, field="file")
    except uploads.UploadError as exc:
        raise AccountError(exc.message, "file") from None


def citizen_paper_add(*, actor: User, name: str, content: bytes, filename: str,
                      source: str = CitizenPaper.Source.UPLOAD, dossier=None) -> CitizenPaper:
    """Store a paper in the acting citizen's papers (kho dữ liệu điện tử của công dân, NĐ 45/2020).

    The content must pass `uploads.check_content` (a PDF, JPEG or PNG, well-formed, inert, at most
    UPLOAD_MAX_MB); it is stored privately under a random name. `source`: CitizenPaper.Source
    (upload, a paper handed in with a dossier, a result); `dossier`: the dossier it came from —
    the caller vouches that the dossier belongs to them.
    """
    if not getattr(actor, "is_authenticated", False) or actor.pk is None:
        raise AccountError(_("Cần đăng nhập để lưu giấy tờ."))
    clean_name = " ".join((name or "").split())
    if not clean_name:
        raise AccountError(_("Tên giấy tờ không được để trống."), "name")
    if len(clean_name) > 500:
        raise AccountError(_("Tên giấy tờ quá dài (tối đa 500 ký tự)."), "name")
    shown = os.path.basename((filename or "").replace("\\", "/"))[:255] or _("(không tên)")
    try:
        # The one check of every channel (motcua/uploads.py): content, structure, size.
        kind = uploads.check_content(content or b"", label=clean_name, filename=shown, field="file")
    except uploads.UploadError as exc:
        raise AccountError(exc.message, "file") from None
    if source not in CitizenPaper.Source.values:
        raise AccountError(_("Nguồn giấy tờ không hợp lệ."), "source")
    limit = settings.CITIZEN_PAPERS_MAX
    if selectors.citizen_papers(actor).count() >= limit:
        raise AccountError(
            _("Kho giấy tờ đã đủ %(n)d giấy tờ; hãy xóa bớt giấy tờ không còn dùng.") % {"n": limit}, "file"
        )
    paper = CitizenPaper(
        owner=actor, name=clean_name, source=source, sha256=hashlib.sha256(content).hexdigest(),
        size=len(content), content_type=kind.content_type, dossier=dossier, original_name=shown,
    )
    # The stored name is random: the citizen's file name never reaches the file system.
    paper.file.save(f"{uuid.uuid4().hex}{kind.extension}", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            paper.save()
    except Exception:
        paper.file.storage.delete(paper.file.name)
        raise
    return paper


def citizen_paper_delete(*, actor: User, paper_id: int) -> None:
    """Delete one of the acting citizen's papers (CitizenPaper.DoesNotExist for anyone else's). A submission
    that reuses a paper must copy its bytes into the dossier's own paper, so that deleting it
    here never takes anything from a dossier."""
    paper = selectors.citizen_paper_get(actor, paper_id)
    storage, name = paper.file.storage, paper.file.name
    with transaction.atomic():
        paper.delete()
        # The file goes only once the row is gone for good; a lost file deletion leaves an
        # orphan on disk, never a row without its file.
        transaction.on_commit(lambda: storage.delete(name))
    logger.info("citizen paper deleted", extra={"user_id": actor.pk, "paper_id": paper_id})
