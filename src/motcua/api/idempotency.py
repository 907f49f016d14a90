"""`Idempotency-Key` for the API's writes (docs/architecture.md §17).

A client that lost the answer to a POST (a timeout, a dropped connection) sends it again with the
same key: it gets the first answer again (status, body, `Idempotent-Replayed: true`) and nothing
is done twice. The same key with another body is refused (422 naming the header): the client
has a bug, and guessing which body it meant would be worse.

Two requests with the same key racing: the first inserts the key's row inside the transaction
that does the write; the second's insert waits on the unique (user, key) index until the first
commits, then fails and replays the stored answer — so one dossier, never two. A write that is
refused (an exception: validation, policy) rolls the key's row back with everything else, so a
refused request may be retried with the same key once its cause is fixed. Keys are kept
`API_IDEMPOTENCY_DAYS` days (`purge_idempotency_keys`, run daily by run_scheduler).
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.response import Response

from motcua.errors import BadParam, MotcuaError

from .models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY = 255


class IdempotencyError(MotcuaError):
    """The key was used for another request (422)."""


class MalformedKey(BadParam):
    """The header is not a key (400)."""


def fingerprint(request) -> str:
    """SHA-256 of the request's meaning, not its bytes: a multipart retry has a new boundary, a
    JSON retry may order its keys differently. Files count by their content's hash."""
    data = request.data
    if hasattr(data, "lists"):  # a form or multipart body: every value of every field
        fields = {key: [_value(v) for v in values] for key, values in data.lists()}
        files = {key: [_value(v) for v in values] for key, values in request.FILES.lists()}
        canonical = {"fields": fields, "files": files}
    else:
        canonical = data
    text = json.dumps([request.method, request.path, canonical], sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _value(value):
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"name": value.name, "sha256": digest.hexdigest()}
    return value


def key_of(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not key or len(key) > MAX_KEY or not all(33 <= ord(c) <= 126 for c in key):
        raise MalformedKey(
            _("Tiêu đề Idempotency-Key phải gồm 1–%(n)d ký tự ASCII in được, không có khoảng trắng.") % {"n": MAX_KEY},
            HEADER,
        )
    return key


def dossier_key(user, key: str) -> str:
    """The dossier's own idempotency key (unique column, 64 characters) for an API key: the
    intake service's own retry check then backs this one up."""
    return "api-" + hashlib.sha256(f"{user.pk}:{key}".encode()).hexdigest()[:60]


def _replay(row: IdempotentRequest) -> Response:
    headers = {"Idempotent-Replayed": "true"}
    if row.response_location:
        headers["Location"] = row.response_location
    return Response(row.response_body, status=row.response_status, headers=headers)


def _conflict(message) -> IdempotencyError:
    return IdempotencyError(message, HEADER)


def _cutoff(now=None):
    return (now or timezone.now()) - timedelta(days=settings.API_IDEMPOTENCY_DAYS)


def idempotent(request, handler) -> Response:
    """Run `handler()` (the write, answering a Response) at most once per (user, key)."""
    key = key_of(request)
    if key is None:
        return handler()
    user, what, digest = request.user, f"{request.method} {request.path}"[:300], fingerprint(request)
    with transaction.atomic():
        # A key past its days is forgotten: the retry is a new request.
        IdempotentRequest.objects.filter(user=user, key=key, created_at__lt=_cutoff()).delete()
        try:
            with transaction.atomic():
                row = IdempotentRequest.objects.create(user=user, key=key, request=what, body_sha256=digest)
        except IntegrityError:
            row = None
        if row is None:
            # Another request with this key committed first (we waited for it on the index).
            found = IdempotentRequest.objects.filter(user=user, key=key).first()
            if found is None:  # it was refused and rolled back in between: try once more
                row = IdempotentRequest.objects.create(user=user, key=key, request=what, body_sha256=digest)
            else:
                if found.request != what or found.body_sha256 != digest:
                    raise _conflict(_("Idempotency-Key này đã được dùng cho một yêu cầu khác (địa chỉ hoặc nội "
                                      "dung khác); hãy dùng một khóa mới cho mỗi yêu cầu mới."))
                return _replay(found)
        response = handler()
        row.response_status = response.status_code
        row.response_body = json.loads(json.dumps(response.data, default=str))
        row.response_location = response.get("Location", "")[:300]
        row.save(update_fields=["response_status", "response_body", "response_location"])
        return response


def purge(now=None) -> int:
    """Forget keys older than API_IDEMPOTENCY_DAYS; returns how many."""
    deleted, _rows = IdempotentRequest.objects.filter(created_at__lt=_cutoff(now)).delete()
    return deleted
