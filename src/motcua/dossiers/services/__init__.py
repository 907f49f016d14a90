"""Every write to a dossier, by verb family: `intake` (in and accepted or refused at reception),
`processing` (steps, transfers, pauses), `closing` (result, return, refusal, stop, withdrawal,
apology). Each service is keyword-only, takes the acting user as `actor`, asks `policy.require`
before writing and records its event in the same transaction. Import them from here."""

from ..validation import ApplicantInput, DossierError
from .closing import (
    RETURN_METHODS,
    dossier_apologise,
    dossier_attach_result,
    dossier_draft_apology,
    dossier_refuse,
    dossier_result_ready,
    dossier_return_result,
    dossier_stop,
    dossier_withdraw,
)
from .common import PaperInput, dossier_record_event
from .intake import (
    check_competent,
    dossier_accept,
    dossier_issue_code,
    dossier_keep_code,
    dossier_receive,
    dossier_refuse_at_counter,
    dossier_refuse_reception,
    dossier_submit,
    step_agency,
)
from .processing import (
    dossier_assign,
    dossier_confirm_payment,
    dossier_forward,
    dossier_receive_supplement,
    dossier_request_payment,
    dossier_request_supplement,
    dossier_transfer,
    dossier_transfer_back,
    eligible_assignees,
)

__all__ = [
    "RETURN_METHODS", "ApplicantInput", "DossierError", "PaperInput", "check_competent", "dossier_accept",
    "dossier_apologise", "dossier_assign", "dossier_attach_result", "dossier_confirm_payment",
    "dossier_draft_apology", "dossier_forward", "dossier_issue_code", "dossier_keep_code", "dossier_receive",
    "dossier_receive_supplement", "dossier_record_event", "dossier_refuse", "dossier_refuse_at_counter",
    "dossier_refuse_reception", "dossier_request_payment", "dossier_request_supplement", "dossier_result_ready",
    "dossier_return_result", "dossier_stop", "dossier_submit", "dossier_transfer", "dossier_transfer_back",
    "dossier_withdraw", "eligible_assignees", "step_agency",
]
