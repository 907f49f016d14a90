"""The one error type and the one place that presents it."""

from django.contrib.auth.models import AnonymousUser

from motcua.dossiers.policy import ActionNotPermitted
from motcua.dossiers.validation import DossierError
from motcua.errors import MotcuaError, RefusalMiddleware, form_errors, problem
from motcua.payments.services import PaymentError
from motcua.ratings.services import RatingError


def test_every_refusal_is_a_motcua_error_with_a_field_that_defaults_to_empty():
    for cls in (DossierError, PaymentError, RatingError, ActionNotPermitted):
        exc = cls("Thông báo")
        assert isinstance(exc, MotcuaError) and exc.field == "" and exc.message == "Thông báo"


def test_form_errors_name_the_form_field():
    assert form_errors(DossierError("Số điện thoại sai.", "applicant.phone")) == {
        "applicant_phone": "Số điện thoại sai."
    }
    assert form_errors(DossierError("Sai.")) == {"form": "Sai."}


def test_the_problem_document_tells_refusal_from_permission():
    assert problem(DossierError("Sai.", "reason")) == {
        "type": "about:blank", "title": "Sai.", "status": 422, "detail": "Sai.", "field": "reason"}
    assert problem(ActionNotPermitted("Không có quyền.", "actor"))["status"] == 403


def test_an_uncaught_refusal_is_a_page_with_its_message_not_a_server_error(rf, db):
    middleware = RefusalMiddleware(lambda request: None)
    request = rf.post("/can-bo/ho-so/1/hanh-dong/attach_result/")
    request.user = AnonymousUser()
    response = middleware.process_exception(
        request, DossierError("Tệp kết quả hỏng, không ký được.", "file")
    )
    assert response.status_code == 422
    assert "Tệp kết quả hỏng, không ký được." in response.content.decode()
    assert (
        middleware.process_exception(request, ActionNotPermitted("Không có quyền.")).status_code
        == 403
    )
    assert middleware.process_exception(request, ValueError("a bug")) is None  # bugs stay loud
