"""The outbox relay on PostgreSQL, one pass at a time (`relay.run_once`), time frozen: stream order
under failures, backoff with jitter, "needs attention" that is never dropped, leases."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from motcua.outbox import relay, selectors
from motcua.outbox.models import Attempt, Message, Repush
from motcua.outbox.services import enqueue, retry_now
from tests.moments import local
from tests.outbox.support import deliver_due

T0 = local(2026, 3, 2, 10, 0)
R = "test-recorder"


def put(key, *, stream="s1", **behaviour):
    with transaction.atomic():
        return enqueue(receiver=R, kind="test", payload={"key": key, **behaviour}, stream=stream)


def test_a_stream_is_delivered_in_order_while_its_head_fails(db, recorder, freeze, settings):
    settings.OUTBOX_RETRY_SECONDS = 10
    freeze(T0)
    a1 = put("a1", fail=2)
    put("a2")
    put("a3", fail=1)
    put("a4")
    b1 = put("b1", stream="s2")
    put("b2", stream="s2")
    put("c", stream="")  # no stream: no order
    moment = T0
    for _ in range(12):
        deliver_due()
        moment += timedelta(seconds=45)
        freeze(moment)
    assert Message.objects.filter(receiver=R).exclude(status="delivered").count() == 0
    delivered = recorder.delivered()
    assert [k for k in delivered if k.startswith("a")] == ["a1", "a2", "a3", "a4"]
    assert [k for k in delivered if k.startswith("b")] == ["b1", "b2"]
    # Stream s2 was not held back by s1's failing head: delivered in the first pass.
    assert Message.objects.get(pk=b1.pk).delivered_at == T0
    # No later message of s1 was even tried before a1 was delivered.
    a1 = Message.objects.get(pk=a1.pk)
    first_try_of_others = Attempt.objects.filter(message__stream="s1").exclude(message=a1).order_by("started_at")[0]
    assert first_try_of_others.started_at >= a1.delivered_at
    assert a1.attempts == 3 and list(a1.attempt_log.values_list("outcome", flat=True)) == [
        "failed", "failed", "delivered"]
    assert {k: recorder.tries[k] for k in ("a1", "a2", "a3", "a4")} == {"a1": 3, "a2": 1, "a3": 2, "a4": 1}


def test_backoff_doubles_up_to_the_cap_with_jitter_within_bounds(settings):
    settings.OUTBOX_RETRY_SECONDS = 10
    settings.OUTBOX_RETRY_MAX_SECONDS = 600
    for attempts, nominal in [(1, 10), (2, 20), (3, 40), (4, 80), (5, 160), (6, 320), (7, 600), (20, 600)]:
        delays = {relay.backoff(attempts).total_seconds() for _ in range(200)}
        assert all(nominal * 0.75 <= d <= nominal for d in delays), (attempts, min(delays), max(delays))
        assert len(delays) > 150  # jittered, not one fixed value
    # Grows: the shortest delay of a step is longer than the longest of the step before (until the cap).
    for attempts in range(1, 6):
        assert 0.75 * 10 * 2 ** attempts > 10 * 2 ** (attempts - 1)


def test_each_failure_waits_longer(db, recorder, freeze, settings):
    settings.OUTBOX_RETRY_SECONDS = 10
    settings.OUTBOX_ATTENTION_AFTER = 50
    freeze(T0)
    message = put("x", fail=5)
    waits = []
    moment = T0
    for _ in range(5):
        relay.run_once(worker="w")
        message.refresh_from_db()
        waits.append((message.next_attempt_at - moment).total_seconds())
        moment = message.next_attempt_at
        freeze(moment)
    assert [10 * 0.75 <= waits[0] <= 10, 20 * 0.75 <= waits[1] <= 20, 40 * 0.75 <= waits[2] <= 40,
            80 * 0.75 <= waits[3] <= 80, 160 * 0.75 <= waits[4] <= 160] == [True] * 5
    assert waits == sorted(waits) and message.status == "pending"
    relay.run_once(worker="w")
    message.refresh_from_db()
    assert message.status == "delivered" and message.attempts == 6 and message.last_error == ""


def test_after_n_failures_a_message_needs_attention_is_kept_and_still_retried(db, recorder, freeze, settings, world):
    settings.OUTBOX_ATTENTION_AFTER = 3
    settings.OUTBOX_RETRY_MAX_SECONDS = 600
    freeze(T0)
    message = put("x", fail=100)
    follower = put("y")
    moment = T0
    for _ in range(3):
        relay.run_once(worker="w")
        moment += timedelta(hours=1)
        freeze(moment)
    message.refresh_from_db()
    assert message.status == "attention" and message.attempts == 3
    assert "Nơi nhận không trả lời — lần 3" == message.last_error
    last = message.attempt_log.last().finished_at
    assert last + timedelta(seconds=450) <= message.next_attempt_at <= last + timedelta(seconds=600)
    assert Message.objects.get(pk=follower.pk).status == "pending"  # held behind its head, in order
    [row] = [r for r in selectors.backlog_by_receiver() if r["receiver"] == R]
    assert (row["attention"], row["pending"], row["failing"], row["delivered"]) == (1, 1, 0, 0)
    # Still retried at the longest interval: a later pass tries again (and never deletes it).
    relay.run_once(worker="w")
    message.refresh_from_db()
    assert message.attempts == 4 and message.status == "attention"
    # An officer retries now: one audit row, the message due at once.
    repush = retry_now(messages=Message.objects.filter(receiver=R), actor=world.admin,
                       scope="Cần xử lý: bộ ghi thử nghiệm", note="Đã liên hệ nơi nhận")
    assert repush.count == 2 and repush.receiver == R and Repush.objects.get() == repush
    message.refresh_from_db()
    assert message.next_attempt_at == moment
    recorder.tries["x"] = 1000  # the receiver is back (past the failures its payload asks for)
    relay.run_once(worker="w")
    relay.run_once(worker="w")
    assert set(Message.objects.filter(receiver=R).values_list("status", flat=True)) == {"delivered"}
    assert recorder.delivered() == ["x", "y"]


def test_a_permanent_error_needs_attention_at_once(db, recorder, freeze):
    freeze(T0)
    message = put("x", permanent=True)
    assert relay.run_once(worker="w") == {"claimed": 1, "delivered": 0, "failed": 1}
    message.refresh_from_db()
    assert message.status == "attention" and message.attempts == 1
    assert message.last_error == "Nơi nhận từ chối vĩnh viễn — code 99"


def test_a_handler_bug_is_a_failed_attempt_retried_not_a_lost_message(db, recorder, freeze):
    freeze(T0)
    message = put("x", crash=True)
    assert relay.run_once(worker="w") == {"claimed": 1, "delivered": 0, "failed": 1}
    message.refresh_from_db()
    assert message.status == "pending" and message.leased_by == "" and "KeyError" in message.last_error
    freeze(T0 + timedelta(minutes=1))
    assert relay.run_once(worker="w")["delivered"] == 1


def test_a_dead_relays_lease_runs_out_and_another_relay_takes_the_message(db, recorder, freeze, settings):
    settings.OUTBOX_LEASE_SECONDS = 60
    freeze(T0)
    message = put("x")
    [claimed] = relay.claim(worker="dead-relay")  # claimed, then the process died
    assert claimed.pk == message.pk
    message.refresh_from_db()
    assert message.leased_by == "dead-relay" and message.lease_until == T0 + timedelta(seconds=60)
    freeze(T0 + timedelta(seconds=59))
    assert relay.run_once(worker="other") == {"claimed": 0, "delivered": 0, "failed": 0}
    freeze(T0 + timedelta(seconds=61))
    assert relay.run_once(worker="other") == {"claimed": 1, "delivered": 1, "failed": 0}
    message.refresh_from_db()
    assert message.status == "delivered" and message.attempts == 1 and message.leased_by == ""
    assert message.attempt_log.get().worker == "other"
    # The dead relay, were it to wake up, skips the message: the lease is no longer its own.
    assert relay.deliver_one(claimed, "dead-relay") == "skipped" and recorder.tries == {"x": 1}


def test_a_relay_that_lost_its_lease_mid_delivery_keeps_the_other_relays_outcome(db, recorder, freeze, settings):
    settings.OUTBOX_LEASE_SECONDS = 60
    freeze(T0)
    message = put("x")
    [slow] = relay.claim(worker="slow")
    # The slow relay's lease ran out while it talked to the receiver; another relay delivered it.
    freeze(T0 + timedelta(seconds=61))
    assert relay.run_once(worker="fast")["delivered"] == 1
    # The slow relay finishes its delivery late (a duplicate the receiver drops by message id).
    relay._record(slow, "slow", T0, answer="ok x", error=None)
    message.refresh_from_db()
    assert message.status == "delivered" and message.attempts == 1
    assert sorted(message.attempt_log.values_list("worker", flat=True)) == ["fast", "slow"]


def test_a_message_for_a_receiver_without_handler_stays_pending_and_visible(db, freeze):
    freeze(T0)
    with transaction.atomic():
        message = enqueue(receiver="not-installed", kind="test", payload={})
    assert relay.run_once(worker="w")["claimed"] == 0
    message.refresh_from_db()
    assert message.status == "pending" and message.attempts == 0
    [row] = [r for r in selectors.backlog_by_receiver() if r["receiver"] == "not-installed"]
    assert row["pending"] == 1 and row["undelivered"] == 1


def test_receivers_filter(db, recorder, freeze):
    freeze(T0)
    put("x")
    assert relay.run_once(worker="w", receivers=["notice"])["claimed"] == 0
    assert relay.run_once(worker="w", receivers=[R])["delivered"] == 1


def test_backlog_by_receiver_and_oldest_age(db, recorder, freeze, settings):
    settings.OUTBOX_ATTENTION_AFTER = 1
    freeze(T0)
    put("old", stream="")
    put("never", stream="", permanent=True)
    freeze(T0 + timedelta(minutes=5))
    put("failing", stream="", fail=5)
    put("ok", stream="")
    settings.OUTBOX_ATTENTION_AFTER = 10
    relay.run_once(worker="w")  # old, ok delivered; never → attention; failing → failing
    freeze(T0 + timedelta(minutes=10))
    put("new", stream="")
    [row] = [r for r in selectors.backlog_by_receiver() if r["receiver"] == R]
    assert {k: row[k] for k in ("pending", "failing", "attention", "delivered", "undelivered")} == {
        "pending": 1, "failing": 1, "attention": 1, "delivered": 2, "undelivered": 3}
    assert row["label"] == "Bộ ghi thử nghiệm"
    assert row["oldest_undelivered_at"] == T0 and row["oldest_age"] == timedelta(minutes=10)


def test_messages_of_dossier_with_their_attempts(db, recorder, freeze, world):
    from tests.dossiers.factories import receive

    freeze(T0)
    dossier = receive(world)
    with transaction.atomic():
        first = enqueue(receiver=R, kind="create", payload={"key": "1", "fail": 1}, dossier=dossier)
        enqueue(receiver=R, kind="update", payload={"key": "2"}, dossier=dossier)
    assert first.stream == f"{R}:dossier:{dossier.pk}"
    for minute in (0, 1, 2):
        freeze(T0 + timedelta(minutes=minute))
        relay.run_once(worker="w", receivers=[R])
    messages = list(selectors.messages_of_dossier(dossier, receiver=R))
    assert [(m.kind, m.status, [a.outcome for a in m.attempt_log.all()]) for m in messages] == [
        ("create", "delivered", ["failed", "delivered"]), ("update", "delivered", ["delivered"])]
    # The dossier's notices are outbox messages too.
    assert {m.receiver for m in selectors.messages_of_dossier(dossier)} == {R, "notice"}


def test_enqueue_kicks_the_relay_after_commit_and_the_task_delivers(db, recorder, freeze,
                                                                      django_capture_on_commit_callbacks):
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    freeze(T0)
    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            put("x", stream="")
            put("y", stream="")
    # One kick for the commit, however many rows it wrote.
    [kick] = DBTaskResult.objects.all()[before:]
    assert kick.task_path == "motcua.outbox.tasks.relay_soon"
    # Rolled back: neither the row nor a kick.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            put("z", stream="")
            raise RuntimeError
    assert DBTaskResult.objects.count() == before + 1 and not Message.objects.filter(payload__key="z").exists()
    # The next commit kicks again.
    with django_capture_on_commit_callbacks(execute=True):
        put("w", stream="")
    assert DBTaskResult.objects.count() == before + 2
    # The worker runs the kick exactly as db_worker does: one relay pass delivers both.
    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
    result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
    result.claim(worker.worker_id)
    worker.run_task(result)
    result.refresh_from_db()
    assert result.status == "SUCCESSFUL" and result.return_value == {"claimed": 3, "delivered": 3, "failed": 0}
    assert sorted(recorder.delivered()) == ["w", "x", "y"]


def test_run_relay_once_and_its_refusals(db, recorder, freeze):
    freeze(T0)
    put("x")
    call_command("run_relay", "--once", "--receiver", R)
    assert recorder.delivered() == ["x"]
    with pytest.raises(CommandError, match="Không có nơi nhận: khong-co"):
        call_command("run_relay", "--once", "--receiver", "khong-co")
    with pytest.raises(CommandError, match="--interval phải lớn hơn 0"):
        call_command("run_relay", "--interval", "0")


def test_the_admin_shows_messages_read_only(db, recorder, freeze, client, world):
    freeze(T0)
    message = put("x")
    relay.run_once(worker="w")
    client.force_login(world.admin)
    page = client.get(f"/admin/outbox/message/{message.pk}/change/")
    assert page.status_code == 200 and "ok x" in page.content.decode()
    assert client.get("/admin/outbox/message/add/").status_code == 403
    assert client.post(f"/admin/outbox/message/{message.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Message.objects.filter(pk=message.pk).exists()
