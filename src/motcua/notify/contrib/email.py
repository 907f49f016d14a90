"""E-mail through Django's mail backend (SMTP in production, console in the demo)."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from ..base import BaseSender, SendError
from ..registry import register


@register
class EmailSender(BaseSender):
    code = "email"
    channel = "email"
    label = "Thư điện tử"
    text_style = "long"
    takes_message_id = True

    def recipient_for(self, applicant) -> str:
        return (applicant.email or "").strip()

    def send(self, recipient: str, subject: str, body: str, *, dossier=None, message_id: str = "") -> None:
        # A stuck SMTP server must not hold the relay forever: the retry takes over.
        timeout = settings.EMAIL_TIMEOUT
        try:
            EmailMessage(subject, body, None, [recipient], headers={"Message-ID": message_id} if message_id else None,
                         connection=get_connection(fail_silently=False, timeout=timeout)).send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as exc:
            # OSError covers a refused connection or a timeout: the server may be back later.
            raise SendError(f"{type(exc).__name__}: {exc}") from exc
