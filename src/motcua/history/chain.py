"""Hash chains over append-only records — pure Python, no Django (docs/architecture.md §13).

Each record of a chain carries `seq` (1, 2, 3… within its chain), `prev_hash` (the previous record's
`hash`, `GENESIS` for the first) and `hash = link(prev_hash, payload)`, where the payload is every
content field of the record, seq included. So:

- a record whose content was changed after the fact no longer matches its hash (ALTERED);
- a deleted record leaves a hole in the seqs (MISSING); the first record deleted too: seq ≠ 1;
- a record slipped in between needs the later seqs shifted (they are in their payloads: ALTERED)
  or a link that does not hold (LINK), and a chain read out of order shows ORDER.

What a chain does not prove on its own: an attacker with write access who recomputes every hash
from the forged record to the end, or who deletes the last records. Anchoring the latest hashes
outside the database (a printed or published digest) closes that; the chain makes every other
edit visible to `verify_history`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from itertools import groupby
from typing import Any

GENESIS = "0" * 64  # the prev_hash of every chain's first record

ALTERED = "altered"  # content or hash changed: the stored hash is not link(prev_hash, payload)
MISSING = "missing"  # a seq is absent: a record was deleted (or the chain does not start at 1)
LINK = "link"  # prev_hash is not the previous record's hash: a record replaced or slipped in
ORDER = "order"  # a seq repeated or going backwards: a record inserted or the chain reordered
KINDS = (ALTERED, MISSING, LINK, ORDER)


def _plain(value: Any) -> Any:
    """One value as JSON, in exactly one way: the same record read back from the database must
    serialise to the same bytes as when it was written."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:  # most fields: the fast path
        return value
    if kind is datetime or isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("a chained moment must carry its time zone")
        # UTC, microseconds always written: one text per instant whatever the zone it came in.
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    if kind is dict or isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if kind is list or isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):  # ids as ints (bool handled above)
        return int(value)
    if isinstance(value, float):
        # PostgreSQL's jsonb gives 1e16 back as 10000000000000000 (an int once read): integral
        # floats are written as ints. Others round-trip exactly through repr.
        return int(value) if value.is_integer() else value
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # as the column's scale gives it back
    raise TypeError(f"cannot chain a value of type {type(value).__name__}")


def canonical(payload: Mapping[str, Any]) -> bytes:
    """The payload as canonical JSON: sorted keys, no spaces, UTF-8, moments in UTC."""
    return json.dumps(_plain(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def link(prev_hash: str, payload: Mapping[str, Any]) -> str:
    """The hash of a record: SHA-256 over the previous hash and the canonical payload (hex)."""
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical(payload))
    return digest.hexdigest()


def extend(last_seq: int, last_hash: str, payloads: Iterable[Mapping[str, Any]]) -> list[tuple[int, str, str]]:
    """(seq, prev_hash, hash) of each new record appended after (last_seq, last_hash) — for
    writers that build many records of one chain at once (generators). Each payload must carry
    the seq it gets here, as the payload of a single write does."""
    out = []
    for payload in payloads:
        last_seq += 1
        h = link(last_hash, payload)
        out.append((last_seq, last_hash, h))
        last_hash = h
    return out


@dataclass(frozen=True)
class Break:
    """Where a chain stops holding: in which chain (scope), at which seq, what kind, and the
    expected value beside the stored one."""

    scope: Any
    seq: int
    kind: str
    expected: str
    stored: str


def verify(rows: Iterable[tuple[int, str, str, Mapping[str, Any]]], scope: Any = None,
           start: tuple[int, str] | None = None) -> Iterator[Break]:
    """The breaks of one chain, read in seq order as (seq, stored_prev, stored_hash, payload).

    Each record is judged on its own (its hash against its own prev_hash and payload) and against
    its predecessor as stored (seq + 1, prev_hash = the previous hash), so one edit is reported
    once, where it happened, and the rest of the chain is still checked.

    `start` = (seq, hash) of the last record of a prefix removed on purpose (a retention purge
    records it): the chain must go on from there, and records up to that seq, left by a purge
    that stopped half-way, are not judged."""
    expected_seq, expected_prev = (start[0] + 1, start[1]) if start else (1, GENESIS)
    for seq, stored_prev, stored_hash, payload in rows:
        if start and seq <= start[0]:
            continue
        if seq < expected_seq:
            yield Break(scope, seq, ORDER, f"seq {expected_seq}", f"seq {seq}")
        elif seq > expected_seq:
            # A hole: the link is broken too, but the hole is what happened — said once.
            missing = f"seq {expected_seq}" if seq == expected_seq + 1 else f"seq {expected_seq}–{seq - 1}"
            yield Break(scope, expected_seq, MISSING, missing, f"seq {seq}")
        elif stored_prev != expected_prev:
            yield Break(scope, seq, LINK, expected_prev, stored_prev)
        computed = link(stored_prev, payload)
        if computed != stored_hash:
            yield Break(scope, seq, ALTERED, computed, stored_hash)
        expected_seq, expected_prev = max(expected_seq, seq + 1), stored_hash


def verify_scopes(rows: Iterable[tuple[Any, int, str, str, Mapping[str, Any]]],
                  counts: dict | None = None, starts: Mapping[Any, tuple[int, str]] | None = None) -> Iterator[Break]:
    """The breaks of many chains read one after the other, ordered by (scope, seq), as
    (scope, seq, stored_prev, stored_hash, payload). Streams: one record in memory at a time.
    `counts`, when given, receives {"scopes": chains seen, "records": records seen}."""
    counts = counts if counts is not None else {}
    counts.setdefault("scopes", 0)
    counts.setdefault("records", 0)

    def tally(group):
        for _scope, seq, prev, h, payload in group:
            counts["records"] += 1
            yield seq, prev, h, payload

    for scope, group in groupby(rows, key=lambda row: row[0]):
        counts["scopes"] += 1
        yield from verify(tally(group), scope=scope, start=(starts or {}).get(scope))
