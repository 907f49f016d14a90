"""Rows of the REST API (docs/architecture.md §17): its clients and its idempotent requests."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- API clients (api/clients.py, api/auth.py) ------------------------------------------------


class ApiClient(models.Model):
    """A machine account of another system (national portal, provincial LGSP, a sector system).

    Its `user` holds memberships like an officer's, so the same selectors and policy decide what
    it sees and does; `operations` narrows which API operations its token may call. Only the
    SHA-256 of the token is stored (a token is 256 random bits: a plain hash suffices, no slow KDF
    needed) with a short visible `prefix` to recognise it in lists and logs."""

    name = models.CharField(_("tên"), max_length=200)
    system = models.TextField(_("hệ thống"), blank=True, help_text=_("Hệ thống nào gọi API, ai chịu trách nhiệm."))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client",
        verbose_name=_("tài khoản máy"),
    )
    operations = models.JSONField(_("thao tác được phép"), default=list)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("đầu mã truy cập"), max_length=16, editable=False)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ứng dụng gọi API")
        verbose_name_plural = _("ứng dụng gọi API")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())


# --- end of API clients -------------------------------------------------------------------------


# --- Idempotent requests (api/idempotency.py, docs/architecture.md §17) ---


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


# --- Webhook subscriptions (api/webhooks.py, docs/architecture.md §17) ---


class WebhookSubscription(models.Model):
    """An API client's request to be told of dossier events: each event on a dossier its client may
    read, with an action it subscribed to, is POSTed to `url` through the outbox, signed with
    HMAC-SHA256 under `secret`. The secret is stored as is (it must sign every delivery, so a hash
    would be useless) and shown only once, in the answer that created the subscription."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="webhooks",
                               verbose_name=_("ứng dụng gọi API"))
    url = models.URLField(_("địa chỉ nhận"), max_length=2000)
    # Names of policy.RULES; empty: every event.
    actions = models.JSONField(_("thao tác theo dõi"), default=list, blank=True)
    secret = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đăng ký webhook")
        verbose_name_plural = _("đăng ký webhook")
        ordering = ["pk"]
        indexes = [models.Index(fields=["active"], name="api_webhook_active")]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.url}"

    def wants(self, action: str) -> bool:
        return not self.actions or action in self.actions
