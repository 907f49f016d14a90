"""A real SMTP server's inbox for tests (aiosmtpd on 127.0.0.1), shared by the notification tests
and the browser journey: messages decoded as a mail client would."""

import socket
from dataclasses import dataclass
from email import message_from_bytes
from email.header import decode_header, make_header
from email.policy import default as default_policy


@dataclass
class Mail:
    """One message as the SMTP server received it."""

    recipients: list[str]
    raw: bytes

    @property
    def subject(self) -> str:
        # RFC 2047; Django folds a long encoded subject onto a continuation line, and
        # decode_header/make_header drop that folding whitespace as mail clients do.
        return str(make_header(decode_header(message_from_bytes(self.raw)["Subject"])))

    @property
    def body(self) -> str:
        message = message_from_bytes(self.raw, policy=default_policy)
        return message.get_body(preferencelist=("plain",)).get_content()


class Inbox:
    def __init__(self):
        self.messages: list[Mail] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(Mail(list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.messages if address in m.recipients]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
