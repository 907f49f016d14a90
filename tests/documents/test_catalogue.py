"""The versioned catalogue of official forms (TT 03/2025/TT-VPCP Phụ lục I; TT 01/2018/TT-VPCP)."""

from datetime import date

import pytest

from motcua.documents.models import OfficialForm
from motcua.documents.selectors import FormNotConfigured, form_for


def test_catalogue_holds_both_schemes(db):
    tt03 = dict(OfficialForm.objects.filter(scheme="TT03/2025").values_list("kind", "number"))
    tt01 = dict(OfficialForm.objects.filter(scheme="TT01/2018").values_list("kind", "number"))
    assert tt03 == {
        "receipt": "01", "supplement_request": "02", "refusal": "03", "apology": "04",
        "stop_notice": "05", "control_sheet": "06", "log_book": "07",
    }
    assert tt01 == {
        "receipt": "01", "supplement_request": "02", "refusal": "03", "apology": "04",
        "control_sheet": "05", "log_book": "06",
    }
    assert OfficialForm.objects.get(scheme="TT01/2018", kind="receipt").page_size == "A5"


def test_form_for_picks_the_current_circular_by_default(db):
    form = form_for("receipt", on=date(2026, 3, 2))
    assert (form.scheme, form.number, form.name) == (
        "TT03/2025",
        "01",
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    )
    assert form.label == "Mẫu số 01 – TT 03/2025/TT-VPCP"
    assert "Phụ lục I" in form.legal_basis
    assert form_for("log_book", on=date(2026, 3, 2)).number == "07"


def test_a_province_keeping_the_old_numbering_deactivates_the_new_rows(db):
    OfficialForm.objects.filter(scheme="TT03/2025").exclude(kind="stop_notice").update(active=False)
    assert form_for("control_sheet", on=date(2026, 3, 2)).number == "05"
    assert form_for("log_book", on=date(2026, 3, 2)).scheme == "TT01/2018"
    # TT 01/2018 had no stop notice: the TT 03/2025 Mẫu 05 stays in use.
    assert form_for("stop_notice", on=date(2026, 3, 2)).number == "05"


def test_papers_dated_before_tt03_get_the_tt01_form(db):
    assert form_for("receipt", on=date(2024, 6, 1)).scheme == "TT01/2018"
    with pytest.raises(FormNotConfigured):
        form_for("stop_notice", on=date(2024, 6, 1))


def test_no_active_form_is_a_clear_error(db):
    OfficialForm.objects.filter(kind="refusal").update(active=False)
    with pytest.raises(FormNotConfigured, match="biểu mẫu"):
        form_for("refusal")
