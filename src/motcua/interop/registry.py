"""The registry of connectors; INTEROP_CONNECTORS names the ones whose outbound sync is on."""

from __future__ import annotations

from django.conf import settings

from .base import Connector


class Registry:
    def __init__(self) -> None:
        self._connectors: dict[str, Connector] = {}

    def __call__(self, cls: type[Connector]) -> type[Connector]:
        """Class decorator: `@register` on a `Connector` subclass."""
        if not cls.code:
            raise ValueError(f"{cls.__name__} needs a code")
        if cls.code in self._connectors:
            raise ValueError(f"connector {cls.code!r} registered twice")
        self._connectors[cls.code] = cls()
        return cls

    def __getitem__(self, code: str) -> Connector:
        return self._connectors[code]

    def __contains__(self, code: str) -> bool:
        return code in self._connectors

    def __iter__(self):
        return iter(self._connectors.values())

    def enabled(self) -> list[Connector]:
        """The connectors named by INTEROP_CONNECTORS, in that order (an unknown code is skipped
        here; nothing is sent for it)."""
        return [self._connectors[code] for code in settings.INTEROP_CONNECTORS if code in self._connectors]


register = Registry()


def enabled() -> list[Connector]:
    return register.enabled()
