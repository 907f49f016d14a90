"""The policy table itself: well-formed, and documented where people look for the law."""

from pathlib import Path

from motcua.dossiers import policy
from motcua.dossiers.models import Status

DOCS = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def test_every_legal_guard_is_listed_with_its_clause_in_the_architecture_page():
    text = DOCS.read_text()
    missing = [
        (action, clause) for action, _message, clause in policy.legal_table() if clause not in text
    ]
    assert not missing, missing
    assert len(policy.legal_table()) >= 10


def test_every_rule_names_real_statuses_and_someone_who_may_act():
    statuses = set(Status.values) | {policy.NEW}
    for name, rule in policy.RULES.items():
        assert rule.sources and rule.sources <= statuses, name
        assert rule.target is None or rule.target in statuses, name
        assert rule.roles or rule.owner or rule.system, name  # nobody may do it: a dead rule
        assert not rule.roles or rule.at, name  # a role counts somewhere
        assert str(rule.label).strip(), name


def test_an_unknown_action_is_refused_with_a_message(world):
    decision = policy.can(world.receiver, "teleport", None)
    assert not decision and decision.field == "action" and decision.message
