"""Hash chains on Django models: the three fields, the writer's one step, and the registry that
`manage.py verify_history` walks (docs/architecture.md §13). The hashing itself is `chain`.

To chain a model:

1. inherit `ChainedRecord` (seq, prev_hash, hash) and add a unique constraint on (scope, seq) —
   (seq) alone for a table that is one chain — so two writers can never fork a chain;
2. `register(ChainSpec(...))` next to the model, naming its content fields;
3. in its one writer, inside the transaction, after serialising the writers of the same chain
   (a row lock on the scope, or `lock_chain`): `append(SPEC, instance)` then `instance.save()`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from . import chain


class ChainedRecord(models.Model):
    """The chain's fields, filled by `append` before the first save, never edited."""

    seq = models.PositiveIntegerField(_("số thứ tự trong chuỗi"), editable=False)
    prev_hash = models.CharField(_("mã băm bản ghi trước"), max_length=64, editable=False)
    hash = models.CharField(_("mã băm"), max_length=64, editable=False)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class ChainSpec:
    """What is chained: the model, its content fields (attnames: `actor_id`, not `actor`), and the
    field whose value splits the table into independent chains (`dossier_id`; None: one chain)."""

    name: str
    model: type[models.Model]
    fields: tuple[str, ...]
    scope: str | None = None
    label: Any = ""  # what one chain is, for people ("hồ sơ")
    # Scope values → what people call them (dossier ids → codes), for the report of breaks.
    describe: Callable[[list], Mapping[Any, str]] | None = field(default=None, compare=False)
    # Chains whose oldest records may be removed on purpose (a retention purge): scope value →
    # (seq, hash) of the last removed record, which the chain goes on from.
    starts: Callable[[], Mapping[Any, tuple[int, str]]] | None = field(default=None, compare=False)

    def payload(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The hashed content of one record: every content field and its seq."""
        out = {name: values[name] for name in self.fields}
        out["seq"] = values["seq"]
        return out


_REGISTRY: dict[str, ChainSpec] = {}


def register(spec: ChainSpec) -> ChainSpec:
    _REGISTRY[spec.name] = spec
    return spec


def registered() -> list[ChainSpec]:
    return list(_REGISTRY.values())


def lock_chain(spec: ChainSpec, scope_value: Any = None) -> None:
    """Serialise the writers of one chain until the end of the transaction, for writers that hold
    no row lock of their own (a table that is one chain). PostgreSQL: an advisory lock per
    (chain, scope); SQLite serialises write transactions already (IMMEDIATE, settings.py)."""
    if connection.vendor != "postgresql":
        return
    name = f"chain:{spec.name}:{scope_value}"
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def append(spec: ChainSpec, record: models.Model) -> models.Model:
    """Give an unsaved record its place in its chain: seq, prev_hash, hash from the chain's last
    record. The caller has serialised the writers of this chain (see `lock_chain`) and saves the
    record after this, changing none of its content fields."""
    rows = spec.model._default_manager.all()
    if spec.scope is not None:
        rows = rows.filter(**{spec.scope: getattr(record, spec.scope)})
    last = rows.order_by("-seq").values_list("seq", "hash").first()
    if last is None and spec.starts is not None:
        # Every record purged: the chain goes on from the last one removed, not from genesis.
        last = spec.starts().get(getattr(record, spec.scope) if spec.scope is not None else None)
    seq, prev = last or (0, chain.GENESIS)
    record.seq, record.prev_hash = seq + 1, prev
    record.hash = chain.link(prev, spec.payload({**{f: getattr(record, f) for f in spec.fields}, "seq": seq + 1}))
    return record


def stored_rows(spec: ChainSpec, scopes: Iterable | None = None, chunk_size: int = 2000) -> Iterator[tuple]:
    """Every record as (scope, seq, prev_hash, hash, payload), ordered by (scope, seq), streamed
    from a server-side cursor (memory stays flat whatever the table's size)."""
    columns = ["seq", "prev_hash", "hash", *[f for f in spec.fields if f not in ("seq",)]]
    if spec.scope is not None and spec.scope not in columns:
        columns.append(spec.scope)
    rows = spec.model._default_manager.all()
    if scopes is not None:
        rows = rows.filter(**{f"{spec.scope}__in": list(scopes)})
    order = [spec.scope, "seq"] if spec.scope is not None else ["seq"]
    for values in rows.order_by(*order).values(*columns).iterator(chunk_size=chunk_size):
        scope = values[spec.scope] if spec.scope is not None else None
        yield scope, values["seq"], values["prev_hash"], values["hash"], spec.payload(values)


def verify(spec: ChainSpec, scopes: Iterable | None = None, counts: dict | None = None,
           chunk_size: int = 2000) -> Iterator[chain.Break]:
    """The breaks of a registered chain (all of it, or the given scope values)."""
    starts = spec.starts() if spec.starts is not None else None
    return chain.verify_scopes(stored_rows(spec, scopes, chunk_size), counts, starts)
