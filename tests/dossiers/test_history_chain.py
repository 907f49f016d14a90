"""The dossier history's hash chain (#16, tamper-evident history): every event written through
the services is chained to its dossier's previous one, and `manage.py verify_history` reports an
event altered, deleted or slipped in behind the services' back — with the dossier and the seq."""

import importlib
import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import F

from motcua.dossiers import services
from motcua.dossiers.models import EVENT_CHAIN, DossierEvent, Status
from motcua.history import chain
from motcua.history.chained import append, lock_chain
from motcua.history.chained import verify as verify_chain
from motcua.payments import services as payments
from tests.dossiers.factories import receive, walk_to_last_step
from tests.moments import local


def _history(world, freeze):
    """Three dossiers through the real services, their actions interleaved: one to its return,
    one paid in cash and withdrawn, one through a supplement and a transfer."""
    freeze(local(2026, 3, 2, 9, 0))
    a, b, c = receive(world), receive(world), receive(world)
    freeze(local(2026, 3, 2, 9, 30))
    payments.payment_record_cash(dossier=b, actor=world.receiver, amount="50.000")
    a = walk_to_last_step(world, freeze, a, [local(2026, 3, 2, 10, 0), local(2026, 3, 2, 10, 30),
                                             local(2026, 3, 2, 11, 0), local(2026, 3, 2, 14, 0),
                                             local(2026, 3, 2, 15, 0)])
    c = walk_to_last_step(world, freeze, c, [local(2026, 3, 2, 15, 30), local(2026, 3, 2, 16, 0)])
    freeze(local(2026, 3, 3, 8, 0))
    b = services.dossier_withdraw(dossier=b, actor=world.receiver, reason="Người nộp xin rút")
    c = services.dossier_request_supplement(dossier=c, actor=world.specialist, items=["Bản sao sổ đỏ"],
                                            reason="Bản sao không rõ số thửa")
    freeze(local(2026, 3, 3, 9, 0))
    c = services.dossier_receive_supplement(dossier=c, actor=world.receiver, note="Đã nhận bản sao")
    freeze(local(2026, 3, 3, 10, 0))
    a = services.dossier_result_ready(dossier=a, actor=world.clerk)
    c = services.dossier_transfer(dossier=c, actor=world.specialist, to_agency=world.police_a, note="Xác minh")
    freeze(local(2026, 3, 3, 11, 0))
    a = services.dossier_return_result(dossier=a, actor=world.receiver, method="counter", detail="Định")
    c = services.dossier_transfer_back(dossier=c, actor=world.police, note="Đã xác minh")
    return a, b, c


def _events(dossier):
    return list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))


def _breaks(*dossiers):
    return [(b.scope, b.seq, b.kind) for b in verify_chain(EVENT_CHAIN, [d.pk for d in dossiers] or None)]


def _run(*args):
    out = io.StringIO()
    try:
        call_command("verify_history", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_events_written_through_the_services_form_one_chain_per_dossier(world, freeze):
    a, b, c = _history(world, freeze)
    for dossier, actions in ((a, ["receive", "forward", "forward", "forward", "forward", "forward", "result_ready",
                                  "return_result"]),
                             (b, ["receive", "pay_cash", "withdraw"]),
                             (c, ["receive", "forward", "forward", "request_supplement", "receive_supplement",
                                  "transfer", "transfer_back"])):
        events = _events(dossier)
        assert [e.action for e in events] == actions
        # seq 1, 2, 3… and each event points at its predecessor's hash, across interleaved actions.
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert [e.prev_hash for e in events] == [chain.GENESIS] + [e.hash for e in events[:-1]]
        assert len({e.hash for e in events}) == len(events)
    assert _breaks(a, b, c) == []
    printed, error = _run()
    assert error is None, printed
    assert "0 chỗ đứt" in printed and "Lịch sử toàn vẹn." in printed


def test_every_content_field_is_hashed(world, freeze):
    a, _b, _c = _history(world, freeze)
    event = _events(a)[1]
    for field, value in (("action", "accept"), ("from_status", "draft"), ("to_status", Status.REFUSED),
                         ("step", None), ("agency", world.police_a), ("actor", world.leader),
                         ("at", local(2026, 3, 2, 9, 5)), ("note", "thêm"), ("reason_code", "other"),
                         ("data", {"x": 1}), ("prev_hash", "1" * 64), ("hash", "2" * 64)):
        with transaction.atomic():
            DossierEvent.objects.filter(pk=event.pk).update(**{field: value})
            assert (a.pk, 2, chain.ALTERED) in _breaks(a), field
            transaction.set_rollback(True)
    assert _breaks(a) == []


def test_a_note_changed_behind_the_services_is_reported_with_its_dossier_and_seq(world, freeze):
    a, b, _c = _history(world, freeze)
    target = _events(b)[1]  # pay_cash
    DossierEvent.objects.filter(pk=target.pk).update(note="Đã thu 5.000 đồng")
    assert _breaks() == [(b.pk, 2, chain.ALTERED)]
    printed, error = _run()
    assert error is not None and error.returncode == 1
    assert f"hồ sơ {b.code}, seq 2: altered" in printed
    assert f"lưu {target.hash}" in printed
    assert "1 chỗ đứt" in printed


def test_a_moment_moved_behind_the_services_is_reported(world, freeze):
    a, _b, _c = _history(world, freeze)
    target = _events(a)[3]
    DossierEvent.objects.filter(pk=target.pk).update(at=local(2026, 3, 2, 10, 1))
    assert _breaks() == [(a.pk, 4, chain.ALTERED)]


def test_a_deleted_middle_event_is_reported(world, freeze):
    _a, _b, c = _history(world, freeze)
    DossierEvent.objects.filter(pk=_events(c)[3].pk).delete()  # request_supplement
    assert _breaks() == [(c.pk, 4, chain.MISSING)]
    printed, _error = _run("--dossier", c.code)
    assert f"hồ sơ {c.code}, seq 4: missing" in printed and "mong đợi seq 4, lưu seq 5" in printed


def test_a_forged_event_slipped_in_is_reported(world, freeze):
    a, _b, _c = _history(world, freeze)
    events = _events(a)
    # Room made after seq 2 (the later seqs shifted, from the last down: unique (dossier, seq)),
    # and a forged forward chained properly onto seq 2.
    for e in reversed(events[2:]):
        DossierEvent.objects.filter(pk=e.pk).update(seq=e.seq + 1)
    forged = DossierEvent(dossier=a, action="forward", from_status="in_progress", to_status="in_progress",
                          actor=world.leader, at=local(2026, 3, 2, 10, 15), note="bước chèn", seq=3,
                          prev_hash=events[1].hash)
    forged.hash = chain.link(forged.prev_hash, EVENT_CHAIN.payload(
        {f: getattr(forged, f) for f in EVENT_CHAIN.fields} | {"seq": 3}))
    DossierEvent.objects.bulk_create([forged])
    breaks = _breaks()
    assert breaks[0] == (a.pk, 4, chain.LINK)
    assert {(seq, kind) for _scope, seq, kind in breaks[1:]} == {(n, chain.ALTERED) for n in range(4, 10)}
    # Appended at the end with a made-up hash: reported too.
    b = _b
    last = _events(b)[-1]
    DossierEvent.objects.bulk_create([DossierEvent(
        dossier=b, action="receive_supplement", from_status="withdrawn", to_status="withdrawn",
        at=local(2026, 3, 3, 12, 0), seq=last.seq + 1, prev_hash=last.hash, hash="0" * 64)])
    assert (b.pk, 4, chain.ALTERED) in _breaks()


def test_the_command_exits_with_status_1_and_names_the_break(world, freeze, capsys, monkeypatch):
    a, _b, _c = _history(world, freeze)
    # As from the shell (manage.py), but keeping the test's connection: run_from_argv closes them.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    execute_from_command_line(["manage.py", "verify_history", "--skip-checks"])  # clean: returns normally
    DossierEvent.objects.filter(pk=_events(a)[0].pk).update(note="sửa")
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "verify_history", "--skip-checks", "--dossier", a.code])
    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert f"hồ sơ {a.code}, seq 1: altered (nội dung hoặc mã băm đã bị sửa)" in captured.out
    assert "dossier_events: 1 hồ sơ, 8 bản ghi đã kiểm tra, 1 chỗ đứt" in captured.out
    assert "KHÔNG toàn vẹn" in captured.err


def test_an_unknown_dossier_or_chain_is_a_usage_error(world):
    _printed, error = _run("--dossier", "KHONG-CO")
    assert error.returncode == 2 and "KHONG-CO" in str(error)
    _printed, error = _run("--chain", "nope")
    assert error.returncode == 2 and "nope" in str(error)


def test_two_writers_cannot_fork_a_chain(world, freeze):
    """Were a writer to forget the dossier's lock, the second event computed from the same last
    event is refused by the unique (dossier, seq), not chained beside the first."""
    a, _b, _c = _history(world, freeze)
    last = _events(a)[-1]
    first = append(EVENT_CHAIN, DossierEvent(dossier=a, action="x", to_status=a.status, at=last.at))
    second = append(EVENT_CHAIN, DossierEvent(dossier=a, action="y", to_status=a.status, at=last.at))
    assert first.seq == second.seq == last.seq + 1
    first.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    assert _breaks(a) == []


def test_the_backfill_migration_chains_existing_events_as_the_writer_does(world, freeze):
    """Events that existed before the chain get it from the data migration, in (at, id) order —
    the same seqs and hashes as `dossier_record_event` gives."""
    a, b, c = _history(world, freeze)
    written = {e.pk: (e.seq, e.prev_hash, e.hash) for e in DossierEvent.objects.filter(dossier__in=[a, b, c])}
    DossierEvent.objects.update(seq=F("seq") + 1000, prev_hash="", hash="")
    assert _breaks(a, b, c) != []
    backfill = importlib.import_module("motcua.dossiers.migrations.0005_event_chain_backfill").backfill
    backfill(apps, SimpleNamespace(connection=connection))
    assert {e.pk: (e.seq, e.prev_hash, e.hash) for e in DossierEvent.objects.filter(dossier__in=[a, b, c])} == written
    assert _breaks() == []


def test_lock_chain_serialises_in_the_transaction_and_is_reentrant(world):
    """For a table that is one chain (no row lock to lean on): an advisory lock per (chain, scope)
    until the end of the transaction, which the same transaction may take again."""
    with transaction.atomic():
        lock_chain(EVENT_CHAIN, 1)
        lock_chain(EVENT_CHAIN, 1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
            assert cursor.fetchone()[0] >= 1
