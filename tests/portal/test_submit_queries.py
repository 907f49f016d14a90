"""Online intake's statements per request (query-count assertions), so the hot path of
bench/intake_bench.py cannot silently grow again: 54 statements per dossier before the catalogue
cache and the single read of the draft, 28 after. And the code is issued last
(docs/architecture.md §11)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Dossier
from motcua.portal.models import SubmissionDraft
from tests.portal.factories import BIRTH, birth_form

WRITES = ("INSERT", "UPDATE", "DELETE")


def _flow(client, world):
    """Form POST, review GET, submit POST, each one's captured statements."""
    data = birth_form(world)
    with CaptureQueriesContext(connection) as form:
        response = client.post(f"/cong-dan/nop/{BIRTH}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    review = response["Location"]
    with CaptureQueriesContext(connection) as page:
        assert client.get(review).status_code == 200
    key = SubmissionDraft.objects.filter(dossier=None).latest("created_at").idempotency_key
    with CaptureQueriesContext(connection) as submit:
        response = client.post(review, {"idempotency_key": key})
    assert response.status_code == 302 and "/da-nop/" in response["Location"]
    return [[q["sql"] for q in ctx.captured_queries] for ctx in (form, page, submit)]


def _explain(statements):
    return "\n".join(f"{i:2}. {sql[:160]}" for i, sql in enumerate(statements, 1))


@pytest.mark.django_db
@pytest.mark.interop
def test_online_intake_statement_counts(citizen_client, world, media):
    _flow(citizen_client, world)  # the first dossier of the process fills the catalogue cache
    form, page, submit = _flow(citizen_client, world)
    # session, user, the version in force, the open-draft limit, the draft's INSERT
    assert len(form) == 5, _explain(form)
    # session, user, the draft (the version's form and papers: catalogue cache)
    assert len(page) == 3, _explain(page)
    # session, user, the locked draft, the idempotency key, the competent agency check, the
    # dossier's last event (the history's hash chain, #16: none yet, one indexed read), the
    # national portal's snapshot (#11, the connector on as a province runs it: the papers, the
    # procedure's field, the fee lines), 14 writes (the portal's outbox message beside the event;
    # per channel of the citizen's notice a Notification and its outbox message), the savepoints
    # of the submission and of the test's transaction, and the API clients' webhook subscriptions
    # for the event (#10: one indexed read of a small table, even when there is none)
    writes = [sql for sql in submit if sql.lstrip().upper().startswith(WRITES)]
    assert len(writes) == 14, _explain(submit)
    assert len(submit) == 28, _explain(submit)


@pytest.mark.django_db
def test_the_code_is_the_last_write_of_the_submission(citizen_client, world, media):
    """The desk's daily counter row stays locked from the code's upsert to the commit: every other
    write of the submission (the dossier, its papers, the form's answers, the notice, the draft)
    goes before it, and only the UPDATE storing the code comes after."""
    _form, _page, submit = _flow(citizen_client, world)
    upsert = next(i for i, sql in enumerate(submit) if "dossiers_codecounter" in sql)
    after = submit[upsert + 1:]
    assert after[0].startswith('UPDATE "dossiers_dossier" SET "code"'), _explain(submit)
    assert all(sql.startswith(("RELEASE SAVEPOINT", "COMMIT")) for sql in after[1:]), _explain(
        submit
    )
    before = [sql for sql in submit[:upsert] if sql.lstrip().upper().startswith(WRITES)]
    for table in (
        "dossiers_dossier",
        "dossiers_dossierpaper",
        "dossiers_dossierevent",
        "portal_submissiondata",
        "notify_notification",
        "outbox_message",
        "portal_submissiondraft",
    ):
        assert any(f'"{table}"' in sql for sql in before), table
    dossier = Dossier.objects.get(owner=world.citizen)
    assert dossier.code and dossier.code in dossier.search_text.upper()
