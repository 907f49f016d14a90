"""Sender plugins: one class per way of reaching a citizen (e-mail, SMS, Zalo …).

A sender knows its channel, which address of the applicant it uses, and how to hand one message
to its transport. It does not decide *what* to say (the dossier's notices render the text) nor
*when* to retry (the outbox relay does, notify/outbox.py). Modelled on Open Forms'
`payments/base.py`: the core talks only to this interface; vendors live in `contrib/`.
"""

from __future__ import annotations


class SendError(Exception):
    """The transport refused or could not be reached; the delivery will be retried."""


class BaseSender:
    # Registry key (a vendor: "email", "sms_demo", "sms_<provider>"); several senders may share
    # a channel, only the ones listed in NOTIFY_SENDERS are used.
    code: str = ""
    channel: str = ""  # "email" | "sms" | "zalo"
    label: str = ""
    # "long": the full letter (e-mail); "short": the text-message version of the notice.
    text_style: str = "long"
    # True when send() takes `message_id`: the outbox message id as the transport's own
    # duplicate-dropping id (the e-mail Message-ID), so a resend after a crash is the same message.
    takes_message_id: bool = False

    def recipient_for(self, applicant) -> str:
        """The applicant's address on this channel, or "" when they gave none."""
        raise NotImplementedError

    def send(self, recipient: str, subject: str, body: str, *, dossier=None) -> None:
        """Deliver one message. Raise `SendError` for a failure worth retrying (with
        `takes_message_id`, also accept a `message_id` keyword)."""
        raise NotImplementedError

    @staticmethod
    def mask(recipient: str) -> str:
        """What the notification log keeps of the address (Law on Personal Data Protection 2025:
        the log proves a notice went out, it need not be a second copy of the address book)."""
        if "@" in recipient:
            local, _sep, domain = recipient.partition("@")
            return f"{local[:1]}***@{domain}"
        if len(recipient) > 6:
            return f"{recipient[:3]}****{recipient[-3:]}"
        return "***"
