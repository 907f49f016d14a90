"""The registry of outbox receivers (base.Handler subclasses)."""

from __future__ import annotations

from .base import Handler


class Registry:
    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}

    def __call__(self, cls: type[Handler]) -> type[Handler]:
        """Class decorator: `@register` on a `Handler` subclass."""
        if not cls.receiver:
            raise ValueError(f"{cls.__name__} needs a receiver code")
        if cls.receiver in self._handlers:
            raise ValueError(f"receiver {cls.receiver!r} registered twice")
        self._handlers[cls.receiver] = cls()
        return cls

    def __getitem__(self, receiver: str) -> Handler:
        return self._handlers[receiver]

    def __contains__(self, receiver: str) -> bool:
        return receiver in self._handlers

    def __iter__(self):
        return iter(self._handlers.values())

    def unregister(self, receiver: str) -> None:
        """For tests that register a receiver of their own."""
        self._handlers.pop(receiver, None)


register = Registry()
