"""The test catalogue: the procedures the tests name, each with the facts they assert (limits,
papers, fees, online level, forms, process budgets), built as published versions.

The facts follow the demo catalogue of commune procedures, reduced to what the tests read: a
procedure here has the cases, papers and fees a test checks, not the whole legal listing.
Budgets are hours on the 8-hour day; non-return steps never exceed the smallest case limit.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils.html import escape

from motcua.catalog import services
from motcua.catalog.models import (
    Fee,
    Field,
    FormTemplate,
    OnlineField,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    ProcessStep,
    ProcessTemplate,
    RequiredPaper,
    StepAgency,
)
from tests.agencies.factories import position

FIELDS = {"ho_tich": "Hộ tịch", "chung_thuc": "Chứng thực", "cu_tru": "Cư trú"}

# --- processes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    role: str
    hours: int
    position: str | None = None
    at: str = (
        StepAgency.COMPETENT
    )  # receiving, competent, or the kind of agency: police, social_insurance
    is_return: bool = False


RECEIVE = "Tiếp nhận, kiểm tra, số hóa hồ sơ"
RETURN = Step(
    "Trả kết quả, xác nhận trên hệ thống", "receiver", 0, at=StepAgency.RECEIVING, is_return=True
)


def receive_step(hours: int, name: str = RECEIVE) -> Step:
    return Step(name, "receiver", hours, at=StepAgency.RECEIVING)


# Civil status decided the same day: 1 + 4 + 2 + 1 = 8 h.
CIVIL_SAME_DAY = [
    receive_step(1),
    Step("Công chức tư pháp - hộ tịch thẩm định, dự thảo kết quả", "specialist", 4),
    Step("Lãnh đạo UBND xã ký duyệt", "leader", 2, "chu_tich"),
    Step("Văn thư vào số, đóng dấu, phát hành", "specialist", 1, "van_thu"),
    RETURN,
]
# Civil status in 3 working days: 2 + 2 + 12 + 4 + 3 + 1 = 24 h.
CIVIL_THREE_DAYS = [
    receive_step(2),
    Step("Lãnh đạo phòng chuyên môn phân công xử lý", "leader", 2, "truong_phong"),
    Step("Công chức tư pháp - hộ tịch thẩm định, dự thảo kết quả", "specialist", 12),
    Step("Lãnh đạo phòng chuyên môn xem xét, trình ký", "leader", 4, "truong_phong"),
    Step("Chủ tịch UBND xã ký duyệt", "leader", 3, "chu_tich"),
    Step("Văn thư vào số, đóng dấu, phát hành", "specialist", 1, "van_thu"),
    RETURN,
]
# Certification the same day: 1 + 4 + 2 + 1 = 8 h.
CERTIFY_SAME_DAY = [
    receive_step(1),
    Step("Công chức tư pháp - hộ tịch kiểm tra, ghi lời chứng", "specialist", 4),
    Step("Lãnh đạo UBND xã ký chứng thực", "leader", 2, "pho_chu_tich"),
    Step("Văn thư vào sổ chứng thực, đóng dấu", "specialist", 1, "van_thu"),
    RETURN,
]
# Certification in 2 working days: 1 + 1 + 8 + 2 + 3 + 1 = 16 h (the lifecycle tests' process).
CERTIFY_TWO_DAYS = [
    receive_step(1),
    Step("Lãnh đạo phòng chuyên môn phân công xử lý", "leader", 1, "truong_phong"),
    Step("Công chức tư pháp - hộ tịch thẩm định, dự thảo lời chứng", "specialist", 8),
    Step("Lãnh đạo phòng chuyên môn xem xét, trình ký", "leader", 2, "truong_phong"),
    Step("Lãnh đạo UBND xã ký chứng thực", "leader", 3, "pho_chu_tich"),
    Step("Văn thư vào sổ chứng thực, đóng dấu", "specialist", 1, "van_thu"),
    RETURN,
]
# Residence, decided by the commune police in 7 working days: 2 + 4 + 40 + 8 = 54 h of 56 h.
RESIDENCE = [
    receive_step(2),
    Step("Trưởng Công an xã phân công xử lý", "leader", 4, "truong_phong", at="police"),
    Step(
        "Cán bộ đăng ký cư trú thẩm định, kiểm tra thực tế, dự thảo kết quả",
        "specialist",
        40,
        at="police",
    ),
    Step(
        "Trưởng Công an xã phê duyệt, cập nhật Cơ sở dữ liệu về cư trú",
        "leader",
        8,
        "truong_phong",
        at="police",
    ),
    RETURN,
]
# The birth + residence + health-insurance bundle across three agencies: 1 + 4 + 2 + 1 + 8 + 8 = 24
# h.
BUNDLE = [
    receive_step(1, "Tiếp nhận, kiểm tra, số hóa hồ sơ liên thông"),
    Step("Công chức tư pháp - hộ tịch thẩm định, đăng ký khai sinh", "specialist", 4),
    Step("Lãnh đạo UBND xã ký Giấy khai sinh", "leader", 2, "chu_tich"),
    Step("Văn thư vào số, đóng dấu; chuyển liên thông", "specialist", 1, "van_thu"),
    Step(
        "Công an xã đăng ký thường trú, cập nhật Cơ sở dữ liệu về cư trú",
        "specialist",
        8,
        at="police",
    ),
    Step(
        "Cơ quan bảo hiểm xã hội cấp thẻ bảo hiểm y tế cho trẻ",
        "specialist",
        8,
        at="social_insurance",
    ),
    RETURN,
]

# --- papers, fees, online form fields ----------------------------------------------------------


@dataclass(frozen=True)
class Paper:
    name: str
    kind: str = "original"
    required: bool = True
    count: int = 1
    case: str | None = None


@dataclass(frozen=True)
class FeeLine:
    name: str
    amount: int
    case: str | None = None
    channel: str = ""
    note: str = ""


ID_CARD = Paper("Thẻ Căn cước/Căn cước công dân hoặc hộ chiếu của người yêu cầu", "present")
AUTHORISATION = Paper("Văn bản ủy quyền (trường hợp nộp hồ sơ thay)", required=False)
BIRTH_CERTIFICATE = Paper(
    "Giấy chứng sinh; nếu không có thì văn bản xác nhận của người làm chứng hoặc giấy cam "
    "đoan về việc sinh"
)

_SEX = ["Nam", "Nữ"]
COMMITMENT = (
    "cam_doan",
    "Tôi cam đoan nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp "
    "luật về lời cam đoan của mình.",
    "checkbox",
    {},
)

# (key, label, kind, extra): the electronic declaration of birth registration (TT 04/2020/TT-BTP).
BIRTH_FORM = [
    ("tre_ho_ten", "Họ, chữ đệm, tên của trẻ", "text", {"max_length": 100}),
    ("tre_ngay_sinh", "Ngày, tháng, năm sinh của trẻ", "date", {}),
    ("tre_gioi_tinh", "Giới tính của trẻ", "select", {"choices": _SEX}),
    ("tre_noi_sinh", "Nơi sinh", "text", {"max_length": 300}),
    ("tre_dan_toc", "Dân tộc của trẻ", "text", {"max_length": 50}),
    ("tre_quoc_tich", "Quốc tịch của trẻ", "text", {"max_length": 50}),
    ("me_ho_ten", "Họ, chữ đệm, tên của mẹ", "text", {"max_length": 100}),
    ("me_so_dinh_danh", "Số định danh cá nhân của mẹ", "id_number", {}),
    ("me_dan_toc", "Dân tộc của mẹ", "text", {"max_length": 50}),
    ("cha_ho_ten", "Họ, chữ đệm, tên của cha", "text", {"required": False, "max_length": 100}),
    ("cha_so_dinh_danh", "Số định danh cá nhân của cha", "id_number", {"required": False}),
    ("cha_dan_toc", "Dân tộc của cha", "text", {"required": False, "max_length": 50}),
    ("quan_he", "Quan hệ của người yêu cầu với trẻ", "select",
     {"choices": ["Cha", "Mẹ", "Ông", "Bà", "Người thân thích khác", "Người được ủy quyền"]}),
    ("so_ban_sao", "Số bản sao trích lục đề nghị cấp", "number", {"required": False}),
    COMMITMENT,
]
# The certification request (phiếu yêu cầu, TT 01/2020/TT-BTP).
COPY_FORM = [
    ("ten_giay_to", "Tên giấy tờ, văn bản cần chứng thực bản sao", "text", {"max_length": 300}),
    ("co_quan_cap", "Cơ quan, tổ chức cấp giấy tờ, văn bản", "text", {"max_length": 300}),
    ("ngay_cap", "Ngày cấp giấy tờ, văn bản", "date", {"required": False}),
    ("so_trang", "Số trang của bản chính", "number", {}),
    ("so_ban_sao", "Số bản sao cần chứng thực", "number", {}),
    ("nhan_ket_qua", "Hình thức nhận kết quả", "select",
     {"choices": ["Nhận trực tiếp tại Bộ phận Một cửa (mang theo bản chính để đối chiếu)",
                  "Nhận qua dịch vụ bưu chính công ích"]}),
]

# --- procedures -----------------------------------------------------------------------------------

SAME_DAY = ("same_day", None)


@dataclass
class Spec:
    code: str
    name: str
    field: str
    online_level: str  # full, partial, none
    cases: list  # (key, name, (limit kind, limit value))
    papers: list[Paper]
    fees: list[FeeLine]
    process: list[Step]
    forms: list = field(
        default_factory=list
    )  # (form code, name): the blank of the paper of that name
    online_form: list = field(default_factory=list)
    legal_basis: str = ""
    result_type: str = ""


CIVIL_LAW = "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Nghị định 120/2025/NĐ-CP"
CERTIFY_LAW = "Nghị định 23/2015/NĐ-CP; Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC"

PROCEDURES = [
    Spec(
        "1.001193",
        "Đăng ký khai sinh",
        "ho_tich",
        "full",
        cases=[
            ("default", "Trường hợp thông thường (giải quyết ngay)", SAME_DAY),
            ("qua_han", "Đăng ký khai sinh quá hạn (sau 60 ngày kể từ ngày sinh)", SAME_DAY),
        ],
        papers=[Paper("Tờ khai đăng ký khai sinh"), BIRTH_CERTIFICATE, ID_CARD, AUTHORISATION],
        fees=[
            FeeLine("Lệ phí đăng ký khai sinh quá hạn", 8000, case="qua_han"),
            FeeLine("Lệ phí đăng ký khai sinh đúng hạn", 0, case="default"),
        ],
        process=CIVIL_SAME_DAY,
        forms=[("TT04/2020-BTP/KS", "Tờ khai đăng ký khai sinh")],
        online_form=BIRTH_FORM,
        legal_basis=CIVIL_LAW,
        result_type="Giấy khai sinh (bản chính)",
    ),
    Spec(
        "1.000656",
        "Đăng ký khai tử",
        "ho_tich",
        "full",
        cases=[("default", "Trường hợp thông thường (giải quyết ngay)", SAME_DAY)],
        papers=[
            Paper("Tờ khai đăng ký khai tử"),
            Paper("Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử"),
            ID_CARD,
        ],
        fees=[FeeLine("Lệ phí đăng ký khai tử đúng hạn", 0)],
        process=CIVIL_SAME_DAY,
        forms=[("TT04/2020-BTP/KT", "Tờ khai đăng ký khai tử")],
        legal_basis=CIVIL_LAW,
    ),
    Spec(
        "1.004884",
        "Đăng ký lại khai sinh",
        "ho_tich",
        "partial",
        cases=[("default", "Trường hợp thông thường", ("days", "5"))],
        papers=[Paper("Tờ khai đăng ký lại khai sinh"), ID_CARD],
        fees=[FeeLine("Lệ phí đăng ký lại khai sinh", 0)],
        process=CIVIL_THREE_DAYS,
        legal_basis=CIVIL_LAW,
    ),
    Spec(
        "1.000894",
        "Đăng ký kết hôn",
        "ho_tich",
        "partial",
        cases=[
            ("default", "Trường hợp đủ điều kiện, không cần xác minh (giải quyết ngay)", SAME_DAY),
            ("xac_minh", "Trường hợp cần xác minh điều kiện kết hôn", ("days", "5")),
        ],
        papers=[
            Paper("Tờ khai đăng ký kết hôn"),
            Paper(
                "Thẻ Căn cước/Căn cước công dân hoặc hộ chiếu của hai bên nam, nữ",
                "present",
                count=2,
            ),
        ],
        fees=[FeeLine("Lệ phí đăng ký kết hôn", 0)],
        process=CIVIL_SAME_DAY,
        legal_basis=CIVIL_LAW,
    ),
    Spec(
        "1.004873",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "ho_tich",
        "full",
        cases=[("default", "Trường hợp thông thường", ("days", "3"))],
        papers=[
            Paper("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"),
            Paper(
                "Giấy tờ chứng minh việc ly hôn hoặc việc vợ/chồng đã chết (nếu đã có vợ/chồng)",
                "copy",
                required=False,
            ),
            ID_CARD,
        ],
        fees=[FeeLine("Lệ phí cấp Giấy xác nhận tình trạng hôn nhân", 15000)],
        process=CIVIL_THREE_DAYS,
        legal_basis=CIVIL_LAW,
        result_type="Giấy xác nhận tình trạng hôn nhân",
    ),
    Spec(
        "DEMO.0002",
        "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm "
        "y tế cho trẻ em dưới 6 tuổi",
        "ho_tich",
        "full",
        cases=[
            ("default", "Trường hợp thông thường", ("days", "3")),
            ("xac_minh", "Trường hợp cần xác minh", ("days", "5")),
        ],
        papers=[
            Paper(
                "Tờ khai điện tử liên thông đăng ký khai sinh, đăng ký thường trú, "
                "cấp thẻ bảo hiểm y tế"
            ),
            BIRTH_CERTIFICATE,
        ],
        fees=[FeeLine("Lệ phí, phí liên thông", 0)],
        process=BUNDLE,
        legal_basis="Nghị định 63/2024/NĐ-CP; Luật Hộ tịch 2014; Luật Cư trú 2020",
    ),
    Spec(
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "chung_thuc",
        "partial",
        cases=[
            ("default", "Trường hợp thông thường (trong ngày)", SAME_DAY),
            (
                "nhieu_giay_to",
                "Nhiều loại giấy tờ, bản chính nhiều trang hoặc nhiều bản sao",
                ("days", "2"),
            ),
        ],
        papers=[
            Paper("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", "present"),
            Paper(
                "Bản sao cần chứng thực (trường hợp người yêu cầu tự chụp)", "copy", required=False
            ),
        ],
        fees=[FeeLine("Phí chứng thực bản sao (trang thứ nhất và thứ hai)", 2000)],
        process=CERTIFY_SAME_DAY,
        online_form=COPY_FORM,
        legal_basis=CERTIFY_LAW,
    ),
    Spec(
        "2.000884",
        "Chứng thực chữ ký trong giấy tờ, văn bản",
        "chung_thuc",
        "partial",
        cases=[("default", "Trường hợp thông thường (trong ngày)", SAME_DAY)],
        papers=[ID_CARD, Paper("Giấy tờ, văn bản mà người yêu cầu sẽ ký")],
        fees=[FeeLine("Phí chứng thực chữ ký", 10000)],
        process=CERTIFY_SAME_DAY,
        legal_basis=CERTIFY_LAW,
    ),
    Spec(
        "2.001035",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, "
        "quyền sử dụng đất, nhà ở",
        "chung_thuc",
        "partial",
        cases=[("default", "Trường hợp thông thường", ("days", "2"))],
        papers=[
            Paper("Dự thảo hợp đồng, giao dịch"),
            Paper("Giấy tờ tùy thân của các bên tham gia hợp đồng, giao dịch", "copy"),
            Paper(
                "Giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản hoặc giấy tờ thay thế", "copy"
            ),
        ],
        fees=[
            FeeLine(
                "Phí chứng thực hợp đồng, giao dịch", 50000, note="50.000 đồng/hợp đồng, giao dịch"
            )
        ],
        process=CERTIFY_TWO_DAYS,
        forms=[("TT01/2020-BTP", "Phiếu yêu cầu chứng thực hợp đồng, giao dịch")],
        legal_basis=CERTIFY_LAW,
        result_type="Hợp đồng, giao dịch đã được chứng thực",
    ),
    Spec(
        "1.004222",
        "Đăng ký thường trú",
        "cu_tru",
        "full",
        cases=[("default", "Trường hợp thông thường", ("days", "7"))],
        papers=[
            Paper("Tờ khai thay đổi thông tin cư trú (CT01)"),
            Paper(
                "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp "
                "(nếu thông tin chưa có trong cơ sở dữ liệu)",
                "copy",
            ),
        ],
        fees=[
            FeeLine("Lệ phí đăng ký thường trú (nộp trực tiếp)", 20000, channel="counter"),
            FeeLine("Lệ phí đăng ký thường trú (nộp trực tuyến)", 10000, channel="online"),
        ],
        process=RESIDENCE,
        forms=[("CT01", "Tờ khai thay đổi thông tin cư trú")],
        legal_basis="Luật Cư trú 2020; Nghị định 154/2024/NĐ-CP; Thông tư 55/2021/TT-BCA",
    ),
]
BY_CODE = {spec.code: spec for spec in PROCEDURES}

# --- building -------------------------------------------------------------------------------------


def form_html(name: str, code: str) -> bytes:
    """A printable blank standing in for the official form."""
    return (
        f"<!doctype html><html lang='vi'><meta charset='utf-8'><title>{escape(name)}</title><body>"
        "<p><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b></p>"
        f"<h1>{escape(name.upper())}</h1><p>Ký hiệu mẫu: {escape(code)}</p></body></html>"
    ).encode()


def fields() -> dict[str, Field]:
    return {
        code: Field.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in FIELDS.items()
    }


def process(version: ProcedureVersion, steps: list[Step], name: str = "") -> ProcessTemplate:
    template = ProcessTemplate.objects.create(
        version=version, name=name or f"Quy trình nội bộ — {version}"
    )
    for order, s in enumerate(steps, start=1):
        own = s.at in (StepAgency.RECEIVING, StepAgency.COMPETENT)
        ProcessStep.objects.create(
            template=template, order=order, name=s.name, role=s.role,
            position=position(s.position) if s.position else None,
            agency_kind=s.at if own else StepAgency.OTHER, other_agency_kind="" if own else s.at,
            budget_hours=Decimal(s.hours), is_return=s.is_return,
        )
    return template


def procedure(spec: Spec, *, publish: bool = True) -> ProcedureVersion:
    """The procedure with version 1 built from `spec`, published unless told otherwise."""
    proc = Procedure.objects.create(
        code=spec.code, name=spec.name, field=fields()[spec.field], level="commune", demo=True
    )
    version = ProcedureVersion.objects.create(
        procedure=proc,
        number=1,
        online_level=spec.online_level,
        legal_basis=spec.legal_basis,
        result_type=spec.result_type,
    )
    cases = {}
    for order, (key, name, (kind, value)) in enumerate(spec.cases):
        cases[key] = ProcedureCase.objects.create(
            version=version,
            key=key,
            name=name,
            limit_kind=kind,
            order=order,
            limit_value=Decimal(value) if value is not None else None,
        )
    forms = {}
    for code, paper_name in spec.forms:
        form = FormTemplate(version=version, code=code, name=paper_name)
        form.file.save(
            f"{spec.code}-{len(forms)}.html", ContentFile(form_html(paper_name, code)), save=False
        )
        form.save()
        forms[paper_name] = form
    for order, p in enumerate(spec.papers):
        RequiredPaper.objects.create(
            version=version,
            case=cases.get(p.case),
            name=p.name,
            kind=p.kind,
            count=p.count,
            required=p.required,
            form=forms.get(p.name),
            order=order,
        )
    for f in spec.fees:
        Fee.objects.create(
            version=version,
            case=cases.get(f.case),
            name=f.name,
            amount=f.amount,
            channel=f.channel,
            note=f.note,
        )
    for order, (key, label, kind, extra) in enumerate(spec.online_form):
        OnlineField.objects.create(
            version=version, key=key, label=label, kind=kind, order=order, **extra
        )
    process(version, spec.process, f"Quy trình nội bộ — {spec.name}"[:300])
    if publish:
        services.version_publish(version=version)
    return version


def build_catalogue() -> dict[str, ProcedureVersion]:
    """Every procedure of the test catalogue, published; by code."""
    return {spec.code: procedure(spec) for spec in PROCEDURES}
