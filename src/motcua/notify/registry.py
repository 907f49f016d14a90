"""The registry of sender plugins; NOTIFY_SENDERS chooses which ones are used."""

from __future__ import annotations

from django.conf import settings

from .base import BaseSender


class Registry:
    def __init__(self) -> None:
        self._senders: dict[str, BaseSender] = {}

    def __call__(self, cls: type[BaseSender]) -> type[BaseSender]:
        """Class decorator: `@register` on a `BaseSender` subclass."""
        if not cls.code or not cls.channel:
            raise ValueError(f"{cls.__name__} needs a code and a channel")
        if cls.code in self._senders:
            raise ValueError(f"sender {cls.code!r} registered twice")
        self._senders[cls.code] = cls()
        return cls

    def __getitem__(self, code: str) -> BaseSender:
        return self._senders[code]

    def __contains__(self, code: str) -> bool:
        return code in self._senders

    def __iter__(self):
        return iter(self._senders.values())

    def enabled(self) -> list[BaseSender]:
        # motcua.web.checks refuses unknown codes at start-up; this guards a changed setting.
        codes = settings.NOTIFY_SENDERS
        unknown = [code for code in codes if code not in self._senders]
        if unknown:
            raise LookupError(f"NOTIFY_SENDERS names unknown senders: {', '.join(unknown)}")
        return [self._senders[code] for code in codes]


register = Registry()
