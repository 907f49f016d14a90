"""The one status table: every status of ours has its national code, nothing is collapsed, and
every dossier action is classified (a new action forces a decision about what it sends)."""

import pytest

from motcua.dossiers.models import Status
from motcua.dossiers.policy import RULES
from motcua.interop.contrib.dvcqg import connector, statuses


def test_every_status_of_ours_is_in_the_table():
    assert {status for status, _event in statuses.TABLE} == set(Status.values)


def test_every_national_code_is_reached_and_only_drafts_are_never_sent():
    codes = [code for code in statuses.TABLE.values() if code is not None]
    assert set(codes) == set(range(1, 11))
    assert [key for key, code in statuses.TABLE.items() if code is None] == [(Status.DRAFT, statuses.ANY)]
    assert set(statuses.NATIONAL_LABELS) == set(range(1, 11))


def test_the_statuses_map_one_to_one_except_where_a_status_has_two_meanings():
    assert statuses.national_code(Status.SUBMITTED) == 1
    assert statuses.national_code(Status.RECEIVED) == 2
    assert statuses.national_code(Status.IN_PROGRESS) == 4
    assert statuses.national_code(Status.AWAITING_SUPPLEMENT) == 5
    assert statuses.national_code(Status.AWAITING_PAYMENT) == 6
    assert statuses.national_code(Status.WITHDRAWN) == 7
    assert statuses.national_code(Status.STOPPED) == 8
    assert statuses.national_code(Status.RESULT_READY) == 9
    assert statuses.national_code(Status.RETURNED) == 10
    assert statuses.national_code(Status.REFUSED, "refuse_reception") == 3
    assert statuses.national_code(Status.REFUSED, "refuse") == 9
    with pytest.raises(KeyError):  # a refusal without its event is not guessed
        statuses.national_code(Status.REFUSED)


def test_every_dossier_action_is_classified_as_a_processing_step_or_not():
    assert set(RULES) <= connector.PROGRESS_ACTIONS | connector.QUIET_ACTIONS
    assert not connector.PROGRESS_ACTIONS & connector.QUIET_ACTIONS
    assert connector.STATE_ACTIONS <= set(RULES)
