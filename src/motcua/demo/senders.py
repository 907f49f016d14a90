"""Demo text-message senders: nothing leaves the machine, each message is stored as a
`DemoMessage` and shown to officers at /thong-bao/demo/, so a demo shows what a citizen's phone
would receive. A real provider is another notify plugin with the same `send()`.

Registered when the demo app is ready (`DemoConfig.ready`): without the demo, NOTIFY_SENDERS
cannot name them.
"""

from django.conf import settings

from motcua.catalog.text import strip_marks
from motcua.notify.base import BaseSender
from motcua.notify.registry import register

from .models import DemoMessage


def _phone(applicant) -> str:
    return "".join(ch for ch in (applicant.phone or "") if ch.isdigit() or ch == "+")


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 3].rsplit(" ", 1)[0]
    return cut + "..."


@register
class DemoSmsSender(BaseSender):
    code = "sms_demo"
    channel = "sms"
    label = "Tin nhắn SMS (minh họa)"
    text_style = "short"

    def recipient_for(self, applicant) -> str:
        return _phone(applicant)

    def send(self, recipient: str, subject: str, body: str, *, dossier=None) -> None:
        # Many SMS gateways accept only GSM-7/ASCII, and a single Vietnamese letter with a
        # diacritic switches the whole message to UCS-2 (70 characters a segment instead of
        # 160): SMS text goes out without diacritics (catalog.text.strip_marks) — but in its own
        # case: the dossier code must reach the citizen as issued.
        DemoMessage.objects.create(
            channel=self.channel,
            sender=self.code,
            recipient=recipient,
            dossier=dossier,
            body=shorten(strip_marks(body), settings.NOTIFY_SMS_MAX_CHARS),
        )


@register
class DemoZaloSender(BaseSender):
    """Zalo (OA/ZNS) messages carry Unicode: the text keeps its diacritics."""

    code = "zalo_demo"
    channel = "zalo"
    label = "Tin nhắn Zalo (minh họa)"
    text_style = "short"

    def recipient_for(self, applicant) -> str:
        return _phone(applicant)

    def send(self, recipient: str, subject: str, body: str, *, dossier=None) -> None:
        DemoMessage.objects.create(
            channel=self.channel, sender=self.code, recipient=recipient, dossier=dossier, body=body
        )
