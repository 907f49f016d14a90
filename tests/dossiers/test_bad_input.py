"""Bad input is refused with a Vietnamese message naming the field, and nothing is saved.

services.py: "Messages are Vietnamese and name the field at fault"; every service runs in one
transaction, so a refused reception leaves no dossier, applicant, paper, event or code counter
behind — and, since files are not transactional, no scan in MEDIA_ROOT either (uploads are
size-limited and stored privately, docs/architecture.md §13).

Procedure 2.001035 (contract certification, 2 working days, commune level, 3 required papers).
Received Monday 02/03/2026 10:00 → due Wednesday 04/03/2026 10:00.
"""

from dataclasses import replace
from datetime import datetime

import pytest

from motcua.accounts.models import User
from motcua.catalog.models import RequiredPaper
from motcua.dossiers import services
from motcua.dossiers.models import (
    Apology,
    Applicant,
    CodeCounter,
    Dossier,
    DossierEvent,
    DossierPaper,
    DossierStep,
    Holding,
    Pause,
    SupplementRequest,
)
from motcua.dossiers.services import ApplicantInput, DossierError, PaperInput
from motcua.outbox.models import Message
from tests.dossiers.factories import APPLICANT, all_papers, receive, refresh
from tests.moments import local
from tests.pdf import minimal_pdf

PROC = "2.001035"
MONDAY_10 = local(2026, 3, 2, 10, 0)
TUESDAY_9 = local(2026, 3, 3, 9, 0)
DUE = local(2026, 3, 4, 10, 0)
FRIDAY_10 = local(2026, 3, 6, 10, 0)

# --- helpers -------------------------------------------------------------------------------------

COUNTED = (Dossier, Applicant, DossierPaper, DossierEvent, CodeCounter, DossierStep, Holding, Pause,
           SupplementRequest, Apology, Message)  # the last: no notice to the citizen in the outbox


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded scans go to a fresh directory, so "no file written" can be checked."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files_under(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


def state(root, dossier=None):
    counts = {m.__name__: m.objects.count() for m in COUNTED}
    row = None
    if dossier is not None:
        row = Dossier.objects.values().get(pk=dossier.pk)
    return counts, row, files_under(root)


def assert_refused(err, field, *words):
    assert err.value.field == field, err.value.message
    for word in words:
        assert word in err.value.message


def receive_kwargs(world, **overrides):
    kwargs = dict(
        actor=world.receiver,
        receiving_agency=world.desk_a,
        procedure=PROC,
        competent_agency=world.commune_a,
        applicant=APPLICANT,
        papers=all_papers(PROC),
    )
    kwargs.update(overrides)
    return kwargs


def submit(world, **overrides):
    kwargs = dict(actor=world.citizen, receiving_agency=world.desk_a, procedure=PROC,
                  competent_agency=world.commune_a, applicant=APPLICANT, papers=all_papers(PROC))
    kwargs.update(overrides)
    return services.dossier_submit(**kwargs)


def required_names():
    return list(
        RequiredPaper.objects.filter(
            version__procedure__code=PROC, version__status="published", required=True
        )
        .order_by("order")
        .values_list("name", flat=True)
    )


def foreign_paper():
    """A catalogue paper of another procedure (birth registration)."""
    return PaperInput(
        required_paper_id=RequiredPaper.objects.filter(version__procedure__code="1.001193")
        .first()
        .pk,
        content=minimal_pdf(),
        filename="scan.pdf",
        content_type="application/pdf",
    )


# --- counter reception ---------------------------------------------------------------------------


def test_a_valid_reception_writes_its_scans_under_media_root(world, freeze, media):
    # The control for every "no file written" below: scans really land in the redirected MEDIA_ROOT.
    freeze(MONDAY_10)
    before, _row, _files = state(media)
    dossier = services.dossier_receive(**receive_kwargs(world))
    after, _row, files = state(media)
    assert len(files) == 3 == dossier.papers.count()
    assert (
        after["Dossier"] == before["Dossier"] + 1
        and after["CodeCounter"] == before["CodeCounter"] + 1
    )


def person(**changes):
    return replace(APPLICANT, **changes)


BAD_RECEPTIONS = {
    "cccd_of_11_digits": (
        lambda w: {"applicant": person(id_number="04009500123")},
        "applicant.id_number",
        ["12 chữ số"],
    ),
    "cccd_of_13_digits": (
        lambda w: {"applicant": person(id_number="0400950012345")},
        "applicant.id_number",
        ["12 chữ số"],
    ),
    "cccd_with_letters": (
        lambda w: {"applicant": person(id_number="04009500123A")},
        "applicant.id_number",
        ["số định danh cá nhân"],
    ),
    "empty_name": (
        lambda w: {"applicant": person(full_name="   ")},
        "applicant.full_name",
        ["họ và tên", "không được để trống"],
    ),
    "bad_phone": (
        lambda w: {"applicant": person(phone="12345")},
        "applicant.phone",
        ["số điện thoại"],
    ),
    "bad_email": (
        lambda w: {"applicant": person(email="dinh@")},
        "applicant.email",
        ["thư điện tử"],
    ),
    "organisation_with_bad_tax_code": (
        lambda w: {
            "applicant": ApplicantInput(
                full_name="Công ty TNHH Định", id_number="12345", kind="organisation"
            )
        },
        "applicant.id_number",
        ["mã số doanh nghiệp"],
    ),
    "unknown_applicant_kind": (
        lambda w: {"applicant": person(kind="robot")},
        "applicant.kind",
        ["không hợp lệ"],
    ),
    "representative_with_bad_cccd": (
        lambda w: {"representative": person(full_name="Trần Thị Ủy Quyền", id_number="123")},
        "representative.id_number",
        ["Người được ủy quyền", "12 chữ số"],
    ),
    "paper_of_another_procedure": (
        lambda w: {"papers": [foreign_paper(), *all_papers(PROC)]},
        "papers.0",
        ["không thuộc danh mục"],
    ),
    "paper_without_a_name": (
        lambda w: {"papers": [PaperInput(name="  "), *all_papers(PROC)]},
        "papers.0.name",
        ["chưa có tên giấy tờ"],
    ),
    "paper_count_zero": (
        lambda w: {"papers": [replace(all_papers(PROC)[0], count=0), *all_papers(PROC)[1:]]},
        "papers.0.count",
        ["số lượng"],
    ),
    "province_as_competent_agency": (
        lambda w: {"competent_agency": w.province},
        "competent_agency",
        ["cấp xã", "giải quyết"],
    ),
    "desk_as_competent_agency": (
        lambda w: {"competent_agency": w.desk_a},
        "competent_agency",
        ["giải quyết"],
    ),
    "unknown_case": (lambda w: {"case": "khong_ton_tai"}, "case", ["trường hợp"]),
    "unknown_procedure": (
        lambda w: {"procedure": "9.999999"},
        "procedure",
        ["Thủ tục", "không có phiên bản"],
    ),
    "received_in_the_future": (
        lambda w: {"received_at": local(2026, 3, 2, 10, 0, 1)},
        "received_at",
        ["tương lai"],
    ),
    "online_channel_at_the_counter": (
        lambda w: {"channel": "online"},
        "channel",
        ["Kênh tiếp nhận"],
    ),
}


@pytest.mark.parametrize("case", BAD_RECEPTIONS)
def test_bad_reception_input_is_refused_naming_the_field_and_saves_nothing(
    world, freeze, media, case
):
    freeze(MONDAY_10)
    overrides, field, words = BAD_RECEPTIONS[case]
    kwargs = receive_kwargs(world, **overrides(world))
    before = state(media)
    with pytest.raises(DossierError) as err:
        services.dossier_receive(**kwargs)
    assert_refused(err, field, *words)
    assert state(media) == before
    assert files_under(media) == []


def test_a_missing_required_paper_is_refused_listing_its_name(world, freeze, media):
    freeze(MONDAY_10)
    names = required_names()
    papers = [
        p
        for p in all_papers(PROC)
        if RequiredPaper.objects.get(pk=p.required_paper_id).name != names[1]
    ]
    before = state(media)
    with pytest.raises(DossierError) as err:
        services.dossier_receive(**receive_kwargs(world, papers=papers))
    assert_refused(err, "papers", "thiếu giấy tờ bắt buộc", names[1])
    assert names[0] not in err.value.message and names[2] not in err.value.message
    assert state(media) == before


def test_all_missing_required_papers_are_listed(world, freeze, media):
    freeze(MONDAY_10)
    before = state(media)
    with pytest.raises(DossierError) as err:
        services.dossier_receive(**receive_kwargs(world, papers=[]))
    assert_refused(err, "papers", "thiếu giấy tờ bắt buộc", *required_names())
    assert state(media) == before


def test_an_oversized_scan_is_refused(world, freeze, media, settings):
    settings.UPLOAD_MAX_MB = 1
    freeze(MONDAY_10)
    papers = all_papers(PROC)
    papers[0] = replace(papers[0], content=b"%PDF" + b"0" * (2 * 1024 * 1024), filename="to.pdf")
    before = state(media)
    with pytest.raises(DossierError) as err:
        services.dossier_receive(**receive_kwargs(world, papers=papers))
    assert_refused(err, "papers.0.file", "vượt quá dung lượng cho phép (1 MB", "to.pdf")
    assert state(media) == before
    assert files_under(media) == []


def test_a_scan_of_exactly_the_limit_is_accepted(world, freeze, media, settings):
    settings.UPLOAD_MAX_MB = 1
    freeze(MONDAY_10)
    papers = all_papers(PROC)
    papers[0] = replace(papers[0], content=minimal_pdf(size=1024 * 1024))
    dossier = services.dossier_receive(**receive_kwargs(world, papers=papers))
    assert dossier.papers.order_by("pk").first().size == 1024 * 1024


def _oversized_last(world, settings):
    settings.UPLOAD_MAX_MB = 1
    papers = all_papers(PROC)
    papers[-1] = replace(papers[-1], content=b"0" * (2 * 1024 * 1024))
    return papers, f"papers.{len(papers) - 1}.file"


def _foreign_last(world, settings):
    papers = [*all_papers(PROC), foreign_paper()]
    return papers, f"papers.{len(papers) - 1}"


@pytest.mark.parametrize(
    "bad", [_oversized_last, _foreign_last], ids=["oversized_last", "foreign_paper_last"]
)
def test_a_refused_reception_leaves_no_scan_behind_even_after_valid_papers(
    world, freeze, media, settings, bad
):
    freeze(MONDAY_10)
    papers, field = bad(world, settings)
    before = state(media)
    with pytest.raises(DossierError) as err:
        services.dossier_receive(**receive_kwargs(world, papers=papers))
    assert err.value.field == field
    assert state(media)[0] == before[0]  # the rows are rolled back …
    assert files_under(media) == []  # … and no file may be left


def test_a_naive_received_at_is_refused(world, freeze, media):
    freeze(MONDAY_10)
    before = state(media)
    with pytest.raises(DossierError) as err:
        services.dossier_receive(**receive_kwargs(world, received_at=datetime(2026, 3, 2, 9, 0)))
    assert_refused(err, "received_at")
    assert state(media) == before


def test_online_submission_with_bad_input_saves_nothing(world, freeze, media):
    freeze(MONDAY_10)
    before = state(media)
    with pytest.raises(DossierError) as err:
        submit(world, applicant=person(id_number="04009500123"))
    assert_refused(err, "applicant.id_number", "12 chữ số")
    assert state(media) == before


# --- idempotent retries --------------------------------------------------------------------------


def test_a_retried_reception_with_the_same_key_returns_the_same_dossier(world, freeze, media):
    freeze(MONDAY_10)
    first = services.dossier_receive(**receive_kwargs(world), idempotency_key="quay-1-0001")
    after_first = state(media, first)
    freeze(local(2026, 3, 2, 10, 5))  # the retry comes a little later
    again = services.dossier_receive(**receive_kwargs(world), idempotency_key="quay-1-0001")
    assert again.pk == first.pk and again.code == first.code
    assert state(media, first) == after_first
    # A different key is a different dossier.
    other = services.dossier_receive(**receive_kwargs(world), idempotency_key="quay-1-0002")
    assert other.pk != first.pk


def test_a_retried_online_submission_with_the_same_key_returns_the_same_dossier(
    world, freeze, media
):
    freeze(MONDAY_10)
    first = submit(world, idempotency_key="web-7f3a")
    after_first = state(media, first)
    freeze(local(2026, 3, 2, 10, 0, 3))
    again = submit(world, idempotency_key="web-7f3a")
    assert again.pk == first.pk and again.code == first.code
    assert state(media, first) == after_first


def test_a_reused_key_does_not_hand_the_dossier_to_a_receiver_of_another_desk(world, freeze, media):
    freeze(MONDAY_10)
    first = services.dossier_receive(**receive_kwargs(world), idempotency_key="k-1")
    try:
        got = services.dossier_receive(
            **receive_kwargs(world, actor=world.outsider, receiving_agency=world.desk_a),
            idempotency_key="k-1",
        )
    except DossierError:
        return
    assert got.pk != first.pk


def test_a_reused_key_does_not_hand_the_dossier_to_another_citizen(world, freeze, media):
    freeze(MONDAY_10)
    first = submit(world, idempotency_key="web-1")
    stranger = User.objects.create(username="congdan_khac")
    try:
        got = submit(world, actor=stranger, idempotency_key="web-1")
    except DossierError:
        return
    assert got.pk != first.pk and got.owner == stranger


# --- actions on an existing dossier --------------------------------------------------------------


@pytest.fixture
def submitted(world, freeze):
    freeze(MONDAY_10)
    return submit(world)


@pytest.fixture
def in_progress(world, freeze):
    """At step 2 (the head of section, role leader); due Wednesday 10:00; now Tuesday 09:00."""
    freeze(MONDAY_10)
    dossier = services.dossier_forward(dossier=receive(world, code=PROC), actor=world.receiver)
    freeze(TUESDAY_9)
    return refresh(dossier)


@pytest.fixture
def ready(world, freeze):
    freeze(MONDAY_10)
    dossier = receive(world, code=PROC)
    for actor in (world.receiver, world.head, world.specialist, world.head, world.leader):
        dossier = services.dossier_forward(dossier=dossier, actor=actor)
    return services.dossier_result_ready(dossier=dossier, actor=world.clerk)


@pytest.mark.parametrize(("reason_code", "reason", "field", "word"), [
    ("bogus", "Thiếu bản chính", "reason_code", "Mã lý do"),
    ("", "Thiếu bản chính", "reason_code", "Mã lý do"),
    ("incomplete", "", "reason", "không được để trống"),
    ("incomplete", "   \n ", "reason", "Lý do"),
])
def test_refusing_reception_needs_a_known_reason_code_and_a_reason(
    world, media, submitted, reason_code, reason, field, word
):
    before = state(media, submitted)
    with pytest.raises(DossierError) as err:
        services.dossier_refuse_reception(
            dossier=submitted, actor=world.receiver, reason_code=reason_code, reason=reason
        )
    assert_refused(err, field, word)
    assert state(media, submitted) == before


@pytest.mark.parametrize(("reason_code", "reason", "field"), [
    ("bogus", "Không đủ điều kiện", "reason_code"),
    ("not_eligible", " ", "reason"),
])
def test_refusing_during_processing_needs_a_known_reason_code_and_a_reason(
    world, media, in_progress, reason_code, reason, field
):
    before = state(media, in_progress)
    with pytest.raises(DossierError) as err:
        services.dossier_refuse(
            dossier=in_progress, actor=world.head, reason_code=reason_code, reason=reason
        )
    assert_refused(err, field, "Lý do" if field == "reason" else "Mã lý do")
    assert state(media, in_progress) == before


BAD_APOLOGIES = {
    "before_the_current_appointment": (local(2026, 3, 3, 15, 0), "phải sau ngày hẹn hiện tại"),
    "equal_to_the_current_appointment": (DUE, "phải sau ngày hẹn hiện tại"),
    "naive_datetime": (datetime(2026, 3, 6, 10, 0), "không hợp lệ"),
    "missing": (None, "không hợp lệ"),
    "on_a_saturday": (local(2026, 3, 7, 10, 0), "giờ làm việc"),
    "at_lunch": (local(2026, 3, 6, 12, 0), "giờ làm việc"),
    "in_the_evening": (local(2026, 3, 6, 18, 0), "giờ làm việc"),
    "on_a_holiday": (local(2026, 4, 30, 10, 0), "giờ làm việc"),
}


@pytest.mark.parametrize("case", BAD_APOLOGIES)
def test_an_apology_with_a_bad_new_appointment_is_refused(world, media, in_progress, case):
    new_appointment_at, word = BAD_APOLOGIES[case]
    before = state(media, in_progress)
    with pytest.raises(DossierError) as err:
        services.dossier_apologise(dossier=in_progress, actor=world.leader, reason="Chờ xác minh",
                                   new_appointment_at=new_appointment_at)
    assert_refused(err, "new_appointment_at", "Ngày hẹn mới", word)
    assert state(media, in_progress) == before


def test_an_apology_without_a_reason_is_refused(world, media, in_progress):
    before = state(media, in_progress)
    with pytest.raises(DossierError) as err:
        services.dossier_apologise(
            dossier=in_progress, actor=world.leader, reason=" ", new_appointment_at=FRIDAY_10
        )
    assert_refused(err, "reason", "Lý do chậm giải quyết")
    assert state(media, in_progress) == before


def test_a_valid_apology_is_recorded(world, media, in_progress):
    # The control for the refusals above: the same call with a good date goes through.
    services.dossier_apologise(dossier=in_progress, actor=world.leader, reason="Chờ xác minh",
                               new_appointment_at=FRIDAY_10)
    assert refresh(in_progress).appointment_at == FRIDAY_10


@pytest.mark.parametrize(("method", "detail", "field", "word"), [
    ("email", "Nguyễn Văn Định", "method", "Hình thức trả kết quả"),
    ("", "Nguyễn Văn Định", "method", "không hợp lệ"),
    ("counter", "", "detail", "Người nhận kết quả"),
    ("post", "  ", "detail", "Mã bưu gửi"),
    ("counter", "x" * 201, "detail", "quá dài"),
])
def test_returning_a_result_needs_a_known_method_and_a_detail(
    world, media, ready, method, detail, field, word
):
    before = state(media, ready)
    with pytest.raises(DossierError) as err:
        services.dossier_return_result(
            dossier=ready, actor=world.receiver, method=method, detail=detail
        )
    assert_refused(err, field, word)
    assert state(media, ready) == before


@pytest.mark.parametrize(("items", "reason", "field", "word"), [
    ([], "Bản chụp mờ", "items", "thành phần cần bổ sung"),
    (["", "   "], "Bản chụp mờ", "items", "thành phần cần bổ sung"),
    (["Bản chính giấy tờ tùy thân"], "", "reason", "Lý do yêu cầu bổ sung"),
])
def test_a_supplement_request_needs_items_and_a_reason(
    world, media, in_progress, items, reason, field, word
):
    before = state(media, in_progress)
    with pytest.raises(DossierError) as err:
        services.dossier_request_supplement(
            dossier=in_progress, actor=world.head, items=items, reason=reason
        )
    assert_refused(err, field, word)
    assert state(media, in_progress) == before


def test_an_oversized_supplement_scan_saves_nothing(world, freeze, media, settings, in_progress):
    dossier = services.dossier_request_supplement(
        dossier=in_progress, actor=world.head, items=["Bản chính"], reason="Bản chụp mờ"
    )
    settings.UPLOAD_MAX_MB = 1
    papers = [
        PaperInput(name="Bản chính hợp đồng", content=minimal_pdf(), filename="a.pdf"),
        PaperInput(name="Giấy tờ tùy thân", content=b"0" * (2 * 1024 * 1024), filename="b.pdf"),
    ]
    before = state(media, dossier)
    with pytest.raises(DossierError) as err:
        services.dossier_receive_supplement(dossier=dossier, actor=world.receiver, papers=papers)
    assert_refused(err, "papers.1.file", "vượt quá")
    assert state(media, dossier) == before
