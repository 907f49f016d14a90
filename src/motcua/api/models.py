"""Rows of the REST API (docs/architecture.md §17): its clients and its idempotent requests."""

# --- Idempotent requests (api/idempotency.py, docs/architecture.md §17) ---

from django.conf import settings  # noqa: E402
from django.db import models  # noqa: E402


class IdempotentRequest(models.Model):
    """The first successful answer to a write sent with an `Idempotency-Key` header, replayed to a
    retry with the same key and body (a client that lost the answer must never create a second
    dossier). The key is the caller's own: unique per user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request = models.CharField(max_length=300)  # "POST /api/v1/dossiers/"
    body_sha256 = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(default=0)  # 0: still being answered
    response_body = models.JSONField(default=dict)
    response_location = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotent_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
