"""The pure hash chain (motcua.history.chain): canonical payloads, links, and the verifier's
verdict on every kind of tampering — altered, deleted, inserted, reordered records."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.history import chain

SAIGON = timezone(timedelta(hours=7))


def _payload(seq, **extra):
    return {"dossier_id": 7, "action": f"a{seq}", "at": datetime(2026, 3, 2, 10, seq % 60, tzinfo=UTC),
            "note": "", "actor_id": None, "data": {}, "seq": seq} | extra


def _build(payloads):
    """A valid chain: (seq, prev, hash, payload) rows."""
    links = chain.extend(0, chain.GENESIS, payloads)
    return [(seq, prev, h, p) for (seq, prev, h), p in zip(links, payloads)]


def _chain(n):
    return _build([_payload(i) for i in range(1, n + 1)])


def test_canonical_form_is_sorted_compact_utc_and_unique():
    at_local = datetime(2026, 3, 2, 17, 0, tzinfo=SAIGON)
    a = chain.canonical({"b": 1, "a": at_local, "c": None, "d": {"y": [1, (2, 3)], "x": "Định"}})
    b = chain.canonical({"d": {"x": "Định", "y": [1, [2, 3]]}, "c": None, "a": at_local.astimezone(UTC), "b": 1})
    assert a == b
    assert a == ('{"a":"2026-03-02T10:00:00.000000Z","b":1,"c":null,"d":{"x":"Định","y":[1,[2,3]]}}'
                 .encode())
    # What PostgreSQL's jsonb gives back for an integral float is an int: the same bytes.
    assert chain.canonical({"n": 1e16}) == chain.canonical({"n": 10**16})
    assert chain.canonical({"n": True}) == b'{"n":true}'
    assert chain.canonical({"n": Decimal("50000.00")}) == b'{"n":"50000.00"}'


def test_naive_moments_and_unknown_types_are_refused():
    with pytest.raises(ValueError):
        chain.canonical({"at": datetime(2026, 3, 2, 10, 0)})
    with pytest.raises(TypeError):
        chain.canonical({"x": object()})


def test_link_depends_on_the_previous_hash_and_every_field():
    p = _payload(1)
    h = chain.link(chain.GENESIS, p)
    assert len(h) == 64 and int(h, 16) >= 0
    assert chain.link("1" * 64, p) != h
    assert chain.link(chain.GENESIS, p | {"note": "x"}) != h
    assert chain.link(chain.GENESIS, p | {"at": p["at"] + timedelta(microseconds=1)}) != h


def test_a_valid_chain_has_no_break():
    assert list(chain.verify(_chain(5))) == []
    assert list(chain.verify([])) == []


def test_an_altered_record_is_reported_once_where_it_happened():
    rows = _chain(5)
    seq, prev, h, p = rows[2]
    rows[2] = (seq, prev, h, p | {"note": "sửa lén"})
    [broken] = chain.verify(rows, scope="D1")
    assert (broken.scope, broken.seq, broken.kind, broken.stored) == ("D1", 3, chain.ALTERED, h)
    assert broken.expected == chain.link(prev, rows[2][3])


def test_an_altered_record_with_its_hash_recomputed_breaks_the_next_link():
    rows = _chain(5)
    seq, prev, _h, p = rows[2]
    forged = p | {"note": "sửa lén"}
    rows[2] = (seq, prev, chain.link(prev, forged), forged)
    [broken] = chain.verify(rows)
    assert (broken.seq, broken.kind, broken.expected, broken.stored) == (4, chain.LINK, rows[2][2], rows[3][1])


def test_a_deleted_record_is_a_missing_seq():
    rows = _chain(5)
    del rows[2]
    [broken] = chain.verify(rows)
    assert (broken.seq, broken.kind, broken.expected, broken.stored) == (3, chain.MISSING, "seq 3", "seq 4")
    rows = _chain(5)
    del rows[0]
    [broken] = chain.verify(rows)
    assert (broken.seq, broken.kind) == (1, chain.MISSING)


def test_an_inserted_record_is_reported():
    rows = _chain(4)
    # Slipped in after seq 2, as a valid-looking record, the later seqs shifted (a record's seq is
    # in its payload, as read from the row), so their hashes no longer hold.
    forged = _payload(3, action="forged")
    inserted = (3, rows[1][2], chain.link(rows[1][2], forged), forged)
    shifted = [(seq + 1, prev, h, p | {"seq": seq + 1}) for seq, prev, h, p in rows[2:]]
    breaks = list(chain.verify(rows[:2] + [inserted] + shifted))
    assert [(b.seq, b.kind) for b in breaks] == [(4, chain.LINK), (4, chain.ALTERED), (5, chain.ALTERED)]
    # Or with its seq repeated (no unique constraint in the way).
    breaks = list(chain.verify(rows[:2] + [inserted] + rows[2:]))
    assert (breaks[0].seq, breaks[0].kind) == (3, chain.ORDER)


def test_reordered_records_are_reported():
    rows = _chain(4)
    breaks = list(chain.verify([rows[0], rows[2], rows[1], rows[3]]))
    assert (breaks[0].seq, breaks[0].kind) == (2, chain.MISSING)
    assert any(b.kind == chain.ORDER for b in breaks)


def test_many_chains_are_verified_apart_and_counted():
    rows = [("A", *r) for r in _chain(3)] + [("B", *r) for r in _chain(2)]
    counts = {}
    assert list(chain.verify_scopes(rows, counts)) == []
    assert counts == {"scopes": 2, "records": 5}
    rows[4] = ("B", 2, "f" * 64, rows[4][3], rows[4][4])
    # The prev_hash is hashed too: the record no longer matches its own hash either.
    assert [(b.scope, b.seq, b.kind) for b in chain.verify_scopes(rows)] == [("B", 2, chain.LINK),
                                                                           ("B", 2, chain.ALTERED)]


# --- properties --------------------------------------------------------------------------------

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.datetimes(timezones=st.just(UTC)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
payload_bodies = st.lists(st.dictionaries(st.text(min_size=1, max_size=6), values, max_size=4), min_size=1,
                          max_size=8)


def _numbered(bodies):
    return [b | {"seq": i} for i, b in enumerate(bodies, 1)]


@given(payload_bodies)
def test_any_chain_built_by_extend_verifies(bodies):
    assert list(chain.verify(_build(_numbered(bodies)))) == []


@given(payload_bodies, st.data())
def test_any_altered_record_is_found_at_its_seq(bodies, data):
    rows = _build(_numbered(bodies))
    i = data.draw(st.integers(0, len(rows) - 1))
    seq, prev, h, p = rows[i]
    changed = p | {"tampered": data.draw(values)}
    rows[i] = (seq, prev, h, changed)
    breaks = list(chain.verify(rows))
    assert [(b.seq, b.kind) for b in breaks] == [(seq, chain.ALTERED)]


@given(payload_bodies, st.data())
def test_any_deleted_record_but_the_last_is_found(bodies, data):
    rows = _build(_numbered(bodies))
    if len(rows) < 2:
        return
    i = data.draw(st.integers(0, len(rows) - 2))
    del rows[i]
    breaks = list(chain.verify(rows))
    assert [(b.seq, b.kind) for b in breaks] == [(i + 1, chain.MISSING)]


@given(payload_bodies, st.data())
def test_any_permutation_that_moves_a_record_is_found(bodies, data):
    rows = _build(_numbered(bodies))
    shuffled = data.draw(st.permutations(rows))
    assert (list(chain.verify(shuffled)) == []) == (shuffled == rows)
