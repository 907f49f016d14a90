"""The province's profile of the national-portal protocol: data, not code.

Public provincial implementations differ in the services' names, the envelope around the data,
the answer codes that mean "already exists" or "session expired", a few field names and constant
extras a province's platform requires. All of that is `profile.json` (shipped here), replaced as a
whole by the file DVCQG_PROFILE names. Payloads are built and stored under the national names; a
profile's `fields` renames them at delivery, so a profile change reaches messages already waiting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DEFAULT_PATH = Path(__file__).with_name("profile.json")


@dataclass(frozen=True)
class Profile:
    raw: dict

    def __getitem__(self, key):
        return self.raw[key]

    def service(self, name: str) -> str:
        return self.raw["services"][name]

    def envelope(self, name: str) -> str:
        return self.raw["envelope"][name]

    def answer(self, name: str) -> str:
        return self.raw["answer"][name]

    def codes(self, name: str) -> frozenset[str]:
        return frozenset(str(c) for c in self.raw.get(name, ()))

    def render(self, kind: str, data: dict) -> dict:
        """The stored payload (national names) as this province's platform wants it: renamed
        fields, then its constant extras for this kind of message."""
        out = _rename(data, self.raw.get("fields") or {})
        out.update(self.raw.get("extras", {}).get(kind) or {})
        return out

    def read(self, data):
        """An answer's record back under the national names (the reverse renaming)."""
        back = {theirs: ours for ours, theirs in (self.raw.get("fields") or {}).items()}
        return _rename(data, back)


def _rename(value, names: dict):
    if isinstance(value, dict):
        return {names.get(k, k): _rename(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, names) for v in value]
    return value


_cache: dict[str, tuple[float, Profile]] = {}


def load() -> Profile:
    """The profile in force (read again when its file changed: an operator may edit it)."""
    path = Path(getattr(settings, "DVCQG_PROFILE", "") or DEFAULT_PATH)
    mtime = path.stat().st_mtime
    cached = _cache.get(str(path))
    if cached is None or cached[0] != mtime:
        with path.open(encoding="utf-8") as f:
            cached = (mtime, Profile(json.load(f)))
        _cache[str(path)] = cached
    return cached[1]
