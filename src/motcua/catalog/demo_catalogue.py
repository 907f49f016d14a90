"""Danh mục thủ tục hành chính cấp xã dùng cho bản demo và kiểm thử (dữ liệu thuần, không Django).

What this is: the demo catalogue of commune-level administrative procedures (thủ tục hành chính
cấp xã) that the loader turns into Field / Procedure / ProcedureCase / RequiredPaper / Fee /
FormTemplate / ProcessTemplate rows. Pure Python data; no Django import.

Where the facts come from: /work/shared/data/commune-procedures.md (gathered November 2026 from
published provincial catalogue decisions and the laws they cite) and DESIGN.md §0. Each fact
there carries a confidence marker, kept here:
  C = read in a copy of the legal text or an official catalogue;
  S = secondary source;
  M = believed, NOT confirmed.
A procedure's ``confidence`` is the weakest marker among its time limit and its fees; anything
else that is only believed (typical papers, online level, demo amounts, demo codes, the internal
process) is named in ``note`` with the literal marker "[M]" so the loader/UI can show it.

Conventions:
- ``code``: national procedure code (mã TTHC). Where the national code is unknown the entry uses
  a clearly marked demo code "DEMO.nnnn" and says so in ``note``.
- Limits: "same_day" (legal "ngay"/"trong ngày"; clock starts the next working day after the
  cut-off), working "days" as a string that is a multiple of 0.5, or working "hours".
- ``process``: internal electronic process modelled on Nghệ An Quyết định 3857/QĐ-UBND
  (26/11/2025): receive → head assigns → officer appraises and drafts → head reviews → leader
  signs → clerk issues → return (not counted). Budgets are hours on the 8-hour day; the sum of
  the non-return steps never exceeds the smallest case limit. Step budgets are demo values [M].
- Form codes: the circular's number ("TT04/2020-BTP") plus a short suffix of our own
  ("/KS", "/KH" …) so that each civil-status form has a distinct code; "CT01" is the official
  residence form code; ``None`` where no official code is known.
- Fees are VND integers; per-unit rules (per page, per copy, caps) are written in the fee note.
"""

from decimal import Decimal, InvalidOperation

SOURCES = {
    "vl2637": (
        "Quyết định số 2637/QĐ-UBND ngày 16/11/2025 của Ủy ban nhân dân tỉnh Vĩnh Long công bố "
        "thủ tục hành chính lĩnh vực chứng thực thuộc thẩm quyền giải quyết của UBND cấp xã"
    ),
    "nd23_2015": (
        "Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 của Chính phủ về cấp bản sao từ sổ gốc, chứng "
        "thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch (sửa đổi, "
        "bổ sung bởi Nghị định số 07/2025/NĐ-CP và Nghị định số 280/2025/NĐ-CP)"
    ),
    "tt01_2020": (
        "Thông tư số 01/2020/TT-BTP ngày 03/3/2020 của Bộ Tư pháp quy định chi tiết và hướng dẫn "
        "thi hành Nghị định số 23/2015/NĐ-CP"
    ),
    "tt226_2016": (
        "Thông tư số 226/2016/TT-BTC ngày 11/11/2016 của Bộ Tài chính quy định mức thu, chế độ "
        "thu, nộp, quản lý và sử dụng phí chứng thực"
    ),
    "luat_ho_tich": "Luật Hộ tịch số 60/2014/QH13 ngày 20/11/2014",
    "nd123_2015": (
        "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều "
        "và biện pháp thi hành Luật Hộ tịch (đã được sửa đổi, bổ sung)"
    ),
    "nd120_2025": (
        "Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền "
        "của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp"
    ),
    "tt04_2020": (
        "Thông tư số 04/2020/TT-BTP ngày 28/5/2020 của Bộ Tư pháp quy định chi tiết thi hành một "
        "số điều của Luật Hộ tịch và Nghị định số 123/2015/NĐ-CP (mẫu tờ khai hộ tịch)"
    ),
    "nd63_2024": (
        "Nghị định số 63/2024/NĐ-CP ngày 10/6/2024 của Chính phủ quy định thực hiện liên thông "
        "điện tử 02 nhóm thủ tục hành chính: đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo "
        "hiểm y tế cho trẻ em dưới 6 tuổi; đăng ký khai tử, xóa đăng ký thường trú, giải quyết "
        "mai táng phí, tử tuất"
    ),
    "luat_cu_tru": "Luật Cư trú số 68/2020/QH14 ngày 13/11/2020",
    "nd154_2024": (
        "Nghị định số 154/2024/NĐ-CP ngày 26/11/2024 của Chính phủ quy định chi tiết một số điều "
        "và biện pháp thi hành Luật Cư trú"
    ),
    "tt55_2021": (
        "Thông tư số 55/2021/TT-BCA ngày 15/5/2021 của Bộ trưởng Bộ Công an quy định chi tiết một "
        "số điều và biện pháp thi hành Luật Cư trú"
    ),
    "tt75_2022": (
        "Thông tư số 75/2022/TT-BTC ngày 22/12/2022 của Bộ Tài chính quy định mức thu, chế độ thu, "
        "nộp và quản lý lệ phí đăng ký cư trú"
    ),
    "qd24_2021": (
        "Quyết định số 24/2021/QĐ-TTg ngày 16/7/2021 của Thủ tướng Chính phủ quy định quy trình "
        "rà soát hộ nghèo, hộ cận nghèo hằng năm và quy trình xác định hộ làm nông nghiệp, lâm "
        "nghiệp, ngư nghiệp và diêm nghiệp có mức sống trung bình giai đoạn 2022 – 2025"
    ),
    "nd07_2021": (
        "Nghị định số 07/2021/NĐ-CP ngày 27/01/2021 của Chính phủ quy định chuẩn nghèo đa chiều "
        "giai đoạn 2021 – 2025"
    ),
    "nd168_2025": "Nghị định số 168/2025/NĐ-CP của Chính phủ về đăng ký doanh nghiệp",
    "na3857": (
        "Quyết định số 3857/QĐ-UBND ngày 26/11/2025 của Ủy ban nhân dân tỉnh Nghệ An (quy trình "
        "nội bộ, quy trình điện tử giải quyết thủ tục hành chính; mẫu quy trình cho bản demo)"
    ),
}

FIELDS = [
    ("ho_tich", "Hộ tịch"),
    ("chung_thuc", "Chứng thực"),
    ("cu_tru", "Cư trú"),
    ("giam_ngheo", "Giảm nghèo"),
    ("ho_kinh_doanh", "Thành lập và hoạt động của hộ kinh doanh"),
]

# --------------------------------------------------------------------------------------------
# Shared internal processes (demo budgets [M], shape after Nghệ An QĐ 3857/QĐ-UBND).
# Each procedure gets its own copies (``[dict(s) for s in ...]``) so nothing is shared.
# --------------------------------------------------------------------------------------------

_RETURN = {
    "name": "Trả kết quả, xác nhận trên hệ thống", "role": "receiver", "position": None,
    "agency": "receiving", "budget_hours": "0", "is_return": True,
}

# Justice (tư pháp – hộ tịch / chứng thực), same day: 1 + 4 + 2 + 1 = 8 h.
_TP_8H = [
    {"name": "Tiếp nhận, kiểm tra, số hóa hồ sơ", "role": "receiver", "position": None,
     "agency": "receiving", "budget_hours": "1", "is_return": False},
    {"name": "Công chức tư pháp - hộ tịch thẩm định, dự thảo kết quả", "role": "specialist",
     "position": None, "agency": "competent", "budget_hours": "4", "is_return": False},
    {"name": "Lãnh đạo UBND xã ký duyệt", "role": "leader", "position": "chu_tich",
     "agency": "competent", "budget_hours": "2", "is_return": False},
    {"name": "Văn thư vào số, đóng dấu, phát hành", "role": "specialist", "position": "van_thu",
     "agency": "competent", "budget_hours": "1", "is_return": False},
    _RETURN,
]

# Certification, same day: 1 + 4 + 2 + 1 = 8 h (signed by a Vice-Chairman).
_CT_8H = [
    {"name": "Tiếp nhận, kiểm tra, số hóa hồ sơ", "role": "receiver", "position": None,
     "agency": "receiving", "budget_hours": "1", "is_return": False},
    {"name": "Công chức tư pháp - hộ tịch kiểm tra, ghi lời chứng", "role": "specialist",
     "position": None, "agency": "competent", "budget_hours": "4", "is_return": False},
    {"name": "Lãnh đạo UBND xã ký chứng thực", "role": "leader", "position": "pho_chu_tich",
     "agency": "competent", "budget_hours": "2", "is_return": False},
    {"name": "Văn thư vào sổ chứng thực, đóng dấu", "role": "specialist", "position": "van_thu",
     "agency": "competent", "budget_hours": "1", "is_return": False},
    _RETURN,
]

# Certification, 2 working days: 1 + 1 + 8 + 2 + 3 + 1 = 16 h.
_CT_16H = [
    {"name": "Tiếp nhận, kiểm tra, số hóa hồ sơ", "role": "receiver", "position": None,
     "agency": "receiving", "budget_hours": "1", "is_return": False},
    {"name": "Lãnh đạo phòng chuyên môn phân công xử lý", "role": "leader",
     "position": "truong_phong", "agency": "competent", "budget_hours": "1", "is_return": False},
    {"name": "Công chức tư pháp - hộ tịch thẩm định, dự thảo lời chứng", "role": "specialist",
     "position": None, "agency": "competent", "budget_hours": "8", "is_return": False},
    {"name": "Lãnh đạo phòng chuyên môn xem xét, trình ký", "role": "leader",
     "position": "truong_phong", "agency": "competent", "budget_hours": "2", "is_return": False},
    {"name": "Lãnh đạo UBND xã ký chứng thực", "role": "leader", "position": "pho_chu_tich",
     "agency": "competent", "budget_hours": "3", "is_return": False},
    {"name": "Văn thư vào sổ chứng thực, đóng dấu", "role": "specialist", "position": "van_thu",
     "agency": "competent", "budget_hours": "1", "is_return": False},
    _RETURN,
]

# Civil status, 3 working days: 2 + 2 + 12 + 4 + 3 + 1 = 24 h.
_TP_24H = [
    {"name": "Tiếp nhận, kiểm tra, số hóa hồ sơ", "role": "receiver", "position": None,
     "agency": "receiving", "budget_hours": "2", "is_return": False},
    {"name": "Lãnh đạo phòng chuyên môn phân công xử lý", "role": "leader",
     "position": "truong_phong", "agency": "competent", "budget_hours": "2", "is_return": False},
    {"name": "Công chức tư pháp - hộ tịch thẩm định, dự thảo kết quả", "role": "specialist",
     "position": None, "agency": "competent", "budget_hours": "12", "is_return": False},
    {"name": "Lãnh đạo phòng chuyên môn xem xét, trình ký", "role": "leader",
     "position": "truong_phong", "agency": "competent", "budget_hours": "4", "is_return": False},
    {"name": "Chủ tịch UBND xã ký duyệt", "role": "leader", "position": "chu_tich",
     "agency": "competent", "budget_hours": "3", "is_return": False},
    {"name": "Văn thư vào số, đóng dấu, phát hành", "role": "specialist", "position": "van_thu",
     "agency": "competent", "budget_hours": "1", "is_return": False},
    _RETURN,
]

# Civil status, 5 working days: 4 + 4 + 20 + 6 + 4 + 2 = 40 h.
_TP_40H = [
    {"name": "Tiếp nhận, kiểm tra, số hóa hồ sơ", "role": "receiver", "position": None,
     "agency": "receiving", "budget_hours": "4", "is_return": False},
    {"name": "Lãnh đạo phòng chuyên môn phân công xử lý", "role": "leader",
     "position": "truong_phong", "agency": "competent", "budget_hours": "4", "is_return": False},
    {"name": "Công chức tư pháp - hộ tịch thẩm định, xác minh, dự thảo kết quả",
     "role": "specialist", "position": None, "agency": "competent", "budget_hours": "20",
     "is_return": False},
    {"name": "Lãnh đạo phòng chuyên môn xem xét, trình ký", "role": "leader",
     "position": "truong_phong", "agency": "competent", "budget_hours": "6", "is_return": False},
    {"name": "Chủ tịch UBND xã ký duyệt", "role": "leader", "position": "chu_tich",
     "agency": "competent", "budget_hours": "4", "is_return": False},
    {"name": "Văn thư vào số, đóng dấu, phát hành", "role": "specialist", "position": "van_thu",
     "agency": "competent", "budget_hours": "2", "is_return": False},
    _RETURN,
]

# --------------------------------------------------------------------------------------------
# Frequently repeated papers and notes
# --------------------------------------------------------------------------------------------

_ID_PRESENT = {"name": "Thẻ Căn cước/Căn cước công dân hoặc hộ chiếu của người yêu cầu",
               "kind": "present", "count": 1, "required": True, "case": None}
_AUTH_LETTER = {"name": "Văn bản ủy quyền (trường hợp nộp hồ sơ thay)", "kind": "original",
                "count": 1, "required": False, "case": None}

_CT_PAPERS_M = "Thành phần hồ sơ là thành phần điển hình [M]."
_PROCESS_M = "Quy trình nội bộ và định mức giờ theo mẫu Nghệ An, giá trị demo [M]."

PROCEDURES = [
    # ======================================================================================
    # HỘ TỊCH
    # ======================================================================================
    {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": "ho_tich",
        "level": "commune",
        "vertical": False,
        "online_level": "full",
        "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Nghị định 120/2025/NĐ-CP",
        "result_type": "Giấy khai sinh (bản chính)",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["luat_ho_tich", "nd123_2015", "nd120_2025", "tt04_2020"],
        "confidence": "C",
        "note": (
            "Giải quyết ngay khi nhận đủ hồ sơ; thời hạn đi đăng ký: 60 ngày kể từ ngày sinh [C]. "
            "Mức DVC trực tuyến toàn trình [M]. " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường (giải quyết ngay)",
             "limit_kind": "same_day", "limit_value": None},
            # Registration after the 60-day period (đăng ký khai sinh quá hạn): same procedure,
            # a fee set by the provincial council [M].
            {"key": "qua_han", "name": "Đăng ký khai sinh quá hạn (sau 60 ngày kể từ ngày sinh)",
             "limit_kind": "same_day", "limit_value": None},
        ],
        "papers": [
            {"name": "Tờ khai đăng ký khai sinh", "kind": "original", "count": 1,
             "required": True, "case": None},
            {"name": "Giấy chứng sinh; nếu không có thì văn bản xác nhận của người làm chứng "
                     "hoặc giấy cam đoan về việc sinh",
             "kind": "original", "count": 1, "required": True, "case": None},
            dict(_ID_PRESENT),
            dict(_AUTH_LETTER),
        ],
        "fees": [
            {"name": "Lệ phí đăng ký khai sinh quá hạn", "amount": 8000, "channel": None,
             "case": "qua_han",
             "note": "Mức do HĐND tỉnh quy định; 8.000 đồng là giá trị demo [M]"},
            {"name": "Lệ phí đăng ký khai sinh đúng hạn", "amount": 0, "channel": None,
             "case": "default",
             "note": "Miễn lệ phí khi đăng ký đúng hạn cho người cư trú trong nước [C]; "
                     "đăng ký quá hạn theo mức HĐND tỉnh quy định [M]"},
        ],
        "forms": [
            {"code": "TT04/2020-BTP/KS", "name": "Tờ khai đăng ký khai sinh"},
        ],
        "process": [dict(s) for s in _TP_8H],
    },
    {
        "code": "1.000656",
        "name": "Đăng ký khai tử",
        "field": "ho_tich",
        "level": "commune",
        "vertical": False,
        "online_level": "full",
        "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Nghị định 120/2025/NĐ-CP",
        "result_type": "Trích lục khai tử (bản chính)",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["luat_ho_tich", "nd123_2015", "nd120_2025", "tt04_2020"],
        "confidence": "C",
        "note": (
            "Giải quyết ngay khi nhận đủ hồ sơ; thời hạn đi đăng ký: 15 ngày kể từ ngày chết [C]. "
            "Mức DVC trực tuyến toàn trình [M]. " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường (giải quyết ngay)",
             "limit_kind": "same_day", "limit_value": None},
        ],
        "papers": [
            {"name": "Tờ khai đăng ký khai tử", "kind": "original", "count": 1,
             "required": True, "case": None},
            {"name": "Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử", "kind": "original",
             "count": 1, "required": True, "case": None},
            dict(_ID_PRESENT),
            dict(_AUTH_LETTER),
        ],
        "fees": [
            {"name": "Lệ phí đăng ký khai tử đúng hạn", "amount": 0, "channel": None,
             "case": None, "note": "Miễn lệ phí khi đăng ký đúng hạn [C]"},
        ],
        "forms": [
            {"code": "TT04/2020-BTP/KT", "name": "Tờ khai đăng ký khai tử"},
        ],
        "process": [dict(s) for s in _TP_8H],
    },
    {
        "code": "1.000894",
        "name": "Đăng ký kết hôn",
        "field": "ho_tich",
        "level": "commune",
        "vertical": False,
        "online_level": "partial",
        "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Nghị định 120/2025/NĐ-CP",
        "result_type": "Giấy chứng nhận kết hôn (02 bản chính, mỗi bên 01 bản)",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["luat_ho_tich", "nd123_2015", "nd120_2025", "tt04_2020"],
        "confidence": "C",
        "note": (
            "Giải quyết ngay; không quá 05 ngày làm việc nếu cần xác minh điều kiện kết hôn [C]. "
            "Hai bên nam, nữ phải có mặt khi trao Giấy chứng nhận kết hôn. "
            "Mức DVC trực tuyến một phần (hai bên phải có mặt) [M]. " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp đủ điều kiện, không cần xác minh "
                                       "(giải quyết ngay)",
             "limit_kind": "same_day", "limit_value": None},
            {"key": "xac_minh", "name": "Trường hợp cần xác minh điều kiện kết hôn",
             "limit_kind": "days", "limit_value": "5"},
        ],
        "papers": [
            {"name": "Tờ khai đăng ký kết hôn", "kind": "original", "count": 1,
             "required": True, "case": None},
            {"name": "Thẻ Căn cước/Căn cước công dân hoặc hộ chiếu của hai bên nam, nữ",
             "kind": "present", "count": 2, "required": True, "case": None},
            {"name": "Giấy xác nhận tình trạng hôn nhân (nếu người yêu cầu không cư trú tại xã "
                     "nơi đăng ký kết hôn và thông tin chưa có trong cơ sở dữ liệu)",
             "kind": "original", "count": 1, "required": False, "case": None},
        ],
        "fees": [
            {"name": "Lệ phí đăng ký kết hôn", "amount": 0, "channel": None, "case": None,
             "note": "Miễn lệ phí khi hai bên là công dân Việt Nam cư trú ở trong nước [C]"},
        ],
        "forms": [
            {"code": "TT04/2020-BTP/KH", "name": "Tờ khai đăng ký kết hôn"},
        ],
        "process": [dict(s) for s in _TP_8H],
    },
    {
        "code": "1.004873",
        "name": "Cấp Giấy xác nhận tình trạng hôn nhân",
        "field": "ho_tich",
        "level": "commune",
        "vertical": False,
        "online_level": "full",
        "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Nghị định 120/2025/NĐ-CP",
        "result_type": "Giấy xác nhận tình trạng hôn nhân",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["luat_ho_tich", "nd123_2015", "nd120_2025", "tt04_2020"],
        "confidence": "M",
        "note": (
            "Thời hạn 03 ngày làm việc [M]. Lệ phí do HĐND tỉnh quy định; số tiền là giá trị "
            "demo [M]. Mức DVC trực tuyến toàn trình [M]. " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường", "limit_kind": "days",
             "limit_value": "3"},
        ],
        "papers": [
            {"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "kind": "original",
             "count": 1, "required": True, "case": None},
            {"name": "Giấy tờ chứng minh việc ly hôn hoặc việc vợ/chồng đã chết (nếu đã có "
                     "vợ/chồng)",
             "kind": "copy", "count": 1, "required": False, "case": None},
            dict(_ID_PRESENT),
        ],
        "fees": [
            {"name": "Lệ phí cấp Giấy xác nhận tình trạng hôn nhân", "amount": 15000,
             "channel": None, "case": None,
             "note": "Mức do HĐND tỉnh quy định; 15.000 đồng là giá trị demo [M]"},
        ],
        "forms": [
            {"code": "TT04/2020-BTP/XNHN", "name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"},
        ],
        "process": [dict(s) for s in _TP_24H],
    },
    {
        "code": "DEMO.0001",
        "name": "Đăng ký nhận cha, mẹ, con",
        "field": "ho_tich",
        "level": "commune",
        "vertical": False,
        "online_level": "partial",
        "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Nghị định 120/2025/NĐ-CP",
        "result_type": "Trích lục đăng ký nhận cha, mẹ, con (bản chính)",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["luat_ho_tich", "nd123_2015", "nd120_2025", "tt04_2020"],
        "confidence": "M",
        "note": (
            "Mã TTHC giả định cho bản demo (chưa xác định được mã quốc gia). Thời hạn 03 ngày làm "
            "việc, kéo dài thêm không quá 05 ngày làm việc nếu cần xác minh [C]. Các bên phải có "
            "mặt. Lệ phí do HĐND tỉnh quy định; số tiền là giá trị demo [M]. Mức DVC trực tuyến "
            "một phần [M]. " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường", "limit_kind": "days",
             "limit_value": "3"},
            {"key": "xac_minh", "name": "Trường hợp cần xác minh (03 + 05 ngày làm việc)",
             "limit_kind": "days", "limit_value": "8"},
        ],
        "papers": [
            {"name": "Tờ khai đăng ký nhận cha, mẹ, con", "kind": "original", "count": 1,
             "required": True, "case": None},
            {"name": "Chứng cứ chứng minh quan hệ cha, con hoặc mẹ, con (văn bản giám định ADN "
                     "hoặc giấy tờ, văn bản khác)",
             "kind": "original", "count": 1, "required": True, "case": None},
            {"name": "Thẻ Căn cước/Căn cước công dân hoặc hộ chiếu của bên nhận và bên được nhận",
             "kind": "present", "count": 2, "required": True, "case": None},
        ],
        "fees": [
            {"name": "Lệ phí đăng ký nhận cha, mẹ, con", "amount": 15000, "channel": None,
             "case": None,
             "note": "Mức do HĐND tỉnh quy định; 15.000 đồng là giá trị demo [M]"},
        ],
        "forms": [
            {"code": "TT04/2020-BTP/NCMC", "name": "Tờ khai đăng ký nhận cha, mẹ, con"},
        ],
        "process": [dict(s) for s in _TP_24H],
    },
    {
        "code": "1.004859",
        "name": "Đăng ký thay đổi, cải chính hộ tịch",
        "field": "ho_tich",
        "level": "commune",
        "vertical": False,
        "online_level": "full",
        "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Nghị định 120/2025/NĐ-CP",
        "result_type": "Trích lục thay đổi, cải chính hộ tịch (bản chính)",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["luat_ho_tich", "nd123_2015", "nd120_2025", "tt04_2020"],
        "confidence": "M",
        "note": (
            "Thời hạn 03 ngày làm việc, kéo dài thêm không quá 03 ngày làm việc nếu cần xác minh "
            "[C]. Lệ phí do HĐND tỉnh quy định; số tiền là giá trị demo [M]. Mức DVC trực tuyến "
            "toàn trình [M]. " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường", "limit_kind": "days",
             "limit_value": "3"},
            {"key": "xac_minh", "name": "Trường hợp cần xác minh (03 + 03 ngày làm việc)",
             "limit_kind": "days", "limit_value": "6"},
        ],
        "papers": [
            {"name": "Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
             "kind": "original", "count": 1, "required": True, "case": None},
            {"name": "Giấy tờ làm căn cứ cho việc thay đổi, cải chính hộ tịch", "kind": "copy",
             "count": 1, "required": True, "case": None},
            {"name": "Giấy tờ hộ tịch đã cấp cần thay đổi, cải chính", "kind": "present",
             "count": 1, "required": True, "case": None},
            {"name": "Văn bản đồng ý của người được thay đổi, cải chính (nếu là người từ đủ 09 "
                     "tuổi trở lên)",
             "kind": "original", "count": 1, "required": False, "case": None},
            dict(_ID_PRESENT),
        ],
        "fees": [
            {"name": "Lệ phí đăng ký thay đổi, cải chính hộ tịch", "amount": 15000,
             "channel": None, "case": None,
             "note": "Mức do HĐND tỉnh quy định; 15.000 đồng là giá trị demo [M]"},
        ],
        "forms": [
            {"code": "TT04/2020-BTP/TDCC",
             "name": "Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch"},
        ],
        "process": [dict(s) for s in _TP_24H],
    },
    {
        "code": "DEMO.0003",
        "name": "Bổ sung thông tin hộ tịch",
        "field": "ho_tich",
        "level": "commune",
        "vertical": False,
        "online_level": "full",
        "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Nghị định 120/2025/NĐ-CP",
        "result_type": "Ghi nội dung bổ sung vào Sổ hộ tịch và giấy tờ hộ tịch; trích lục",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["luat_ho_tich", "nd123_2015", "nd120_2025", "tt04_2020"],
        "confidence": "M",
        "note": (
            "Mã TTHC giả định cho bản demo (chưa xác định được mã quốc gia). Giải quyết ngay [C]. "
            "Lệ phí do HĐND tỉnh quy định; số tiền là giá trị demo [M]. Mức DVC trực tuyến toàn "
            "trình [M]. " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường (giải quyết ngay)",
             "limit_kind": "same_day", "limit_value": None},
        ],
        "papers": [
            {"name": "Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
             "kind": "original", "count": 1, "required": True, "case": None},
            {"name": "Giấy tờ làm căn cứ cho việc bổ sung thông tin hộ tịch", "kind": "copy",
             "count": 1, "required": True, "case": None},
            {"name": "Giấy tờ hộ tịch đã cấp cần bổ sung thông tin", "kind": "present",
             "count": 1, "required": True, "case": None},
            dict(_ID_PRESENT),
        ],
        "fees": [
            {"name": "Lệ phí bổ sung thông tin hộ tịch", "amount": 10000, "channel": None,
             "case": None,
             "note": "Mức do HĐND tỉnh quy định; 10.000 đồng là giá trị demo [M]"},
        ],
        "forms": [
            {"code": "TT04/2020-BTP/TDCC",
             "name": "Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch"},
        ],
        "process": [dict(s) for s in _TP_8H],
    },
    {
        "code": "2.000635",
        "name": "Cấp bản sao trích lục hộ tịch",
        "field": "ho_tich",
        "level": "commune",
        "vertical": False,
        "online_level": "full",
        "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Nghị định 120/2025/NĐ-CP",
        "result_type": "Bản sao trích lục hộ tịch",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["luat_ho_tich", "nd123_2015", "nd120_2025", "tt04_2020"],
        "confidence": "M",
        "note": (
            "Giải quyết trong ngày [S]. Phí theo quy định của Bộ Tài chính; 8.000 đồng/bản sao "
            "(Thông tư 281/2016/TT-BTC) là mức tin là đúng, chưa đối chiếu [M]. Mức DVC trực "
            "tuyến toàn trình [M]. " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường (trong ngày)",
             "limit_kind": "same_day", "limit_value": None},
        ],
        "papers": [
            {"name": "Tờ khai cấp bản sao trích lục hộ tịch", "kind": "original", "count": 1,
             "required": True, "case": None},
            dict(_ID_PRESENT),
            dict(_AUTH_LETTER),
        ],
        "fees": [
            {"name": "Phí cấp bản sao trích lục hộ tịch", "amount": 8000, "channel": None,
             "case": None, "note": "8.000 đồng/bản sao trích lục [M]"},
        ],
        "forms": [
            {"code": "TT04/2020-BTP/BSTL", "name": "Tờ khai cấp bản sao trích lục hộ tịch"},
        ],
        "process": [dict(s) for s in _TP_8H],
    },
    {
        "code": "1.004884",
        "name": "Đăng ký lại khai sinh",
        "field": "ho_tich",
        "level": "commune",
        "vertical": False,
        "online_level": "partial",
        "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Nghị định 120/2025/NĐ-CP",
        "result_type": "Giấy khai sinh (bản chính) ghi \"Đăng ký lại\"",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["luat_ho_tich", "nd123_2015", "nd120_2025", "tt04_2020"],
        "confidence": "M",
        "note": (
            "Thời hạn 05 ngày làm việc [M]. Lệ phí do HĐND tỉnh quy định; số tiền là giá trị demo "
            "[M]. Mức DVC trực tuyến một phần [M]. " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường", "limit_kind": "days",
             "limit_value": "5"},
        ],
        "papers": [
            {"name": "Tờ khai đăng ký lại khai sinh", "kind": "original", "count": 1,
             "required": True, "case": None},
            {"name": "Văn bản cam đoan về việc đã đăng ký khai sinh nhưng không lưu giữ được "
                     "bản chính Giấy khai sinh",
             "kind": "original", "count": 1, "required": True, "case": None},
            {"name": "Giấy tờ, tài liệu có nội dung liên quan đến việc khai sinh", "kind": "copy",
             "count": 1, "required": True, "case": None},
            dict(_ID_PRESENT),
        ],
        "fees": [
            {"name": "Lệ phí đăng ký lại khai sinh", "amount": 5000, "channel": None,
             "case": None,
             "note": "Mức do HĐND tỉnh quy định; 5.000 đồng là giá trị demo [M]"},
        ],
        "forms": [
            {"code": "TT04/2020-BTP/DLKS", "name": "Tờ khai đăng ký lại khai sinh"},
        ],
        "process": [dict(s) for s in _TP_40H],
    },
    {
        "code": "DEMO.0002",
        "name": "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ "
                "bảo hiểm y tế cho trẻ em dưới 6 tuổi",
        "field": "ho_tich",
        "level": "commune",
        "vertical": False,
        "online_level": "full",
        "legal_basis": "Nghị định 63/2024/NĐ-CP; Luật Hộ tịch 2014; Luật Cư trú 2020",
        "result_type": "Giấy khai sinh; thông tin đăng ký thường trú trong Cơ sở dữ liệu về cư "
                       "trú; thẻ bảo hiểm y tế của trẻ",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["nd63_2024", "luat_ho_tich", "luat_cu_tru"],
        "confidence": "S",
        "note": (
            "Mã TTHC giả định cho bản demo (nhóm thủ tục liên thông, không có mã quốc gia riêng "
            "trong tệp dữ kiện). Không quá 03 ngày làm việc, không quá 05 ngày làm việc nếu cần "
            "xác minh; nhận sau 15:00 thì tính từ ngày làm việc tiếp theo [S]. Không phát sinh "
            "thêm chi phí [S]. Liên thông: UBND xã (tư pháp), Công an xã, cơ quan bảo hiểm xã "
            "hội. Mức DVC trực tuyến toàn trình [M]. Phân bổ giờ giữa các cơ quan là giá trị "
            "demo [M]."
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường", "limit_kind": "days",
             "limit_value": "3"},
            {"key": "xac_minh", "name": "Trường hợp cần xác minh", "limit_kind": "days",
             "limit_value": "5"},
        ],
        "papers": [
            {"name": "Tờ khai điện tử liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ "
                     "bảo hiểm y tế",
             "kind": "original", "count": 1, "required": True, "case": None},
            {"name": "Giấy chứng sinh; nếu không có thì văn bản xác nhận của người làm chứng "
                     "hoặc giấy cam đoan về việc sinh",
             "kind": "original", "count": 1, "required": True, "case": None},
            {"name": "Văn bản đồng ý cho đăng ký thường trú của chủ hộ/chủ sở hữu chỗ ở hợp pháp "
                     "(nếu trẻ đăng ký thường trú vào chỗ ở không thuộc sở hữu của cha, mẹ)",
             "kind": "original", "count": 1, "required": False, "case": None},
        ],
        "fees": [
            {"name": "Lệ phí, phí liên thông", "amount": 0, "channel": None, "case": None,
             "note": "Không phát sinh thêm chi phí; miễn lệ phí đăng ký khai sinh đúng hạn [S]"},
        ],
        "forms": [
            {"code": None,
             "name": "Tờ khai điện tử liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ "
                     "bảo hiểm y tế cho trẻ em dưới 6 tuổi"},
        ],
        # 1 + 4 + 2 + 1 (UBND xã) + 8 (Công an xã) + 8 (BHXH) = 24 h = 3 working days.
        "process": [
            {"name": "Tiếp nhận, kiểm tra, số hóa hồ sơ liên thông", "role": "receiver",
             "position": None, "agency": "receiving", "budget_hours": "1", "is_return": False},
            {"name": "Công chức tư pháp - hộ tịch thẩm định, đăng ký khai sinh",
             "role": "specialist", "position": None, "agency": "competent", "budget_hours": "4",
             "is_return": False},
            {"name": "Lãnh đạo UBND xã ký Giấy khai sinh", "role": "leader",
             "position": "chu_tich", "agency": "competent", "budget_hours": "2",
             "is_return": False},
            {"name": "Văn thư vào số, đóng dấu; chuyển liên thông", "role": "specialist",
             "position": "van_thu", "agency": "competent", "budget_hours": "1",
             "is_return": False},
            {"name": "Công an xã đăng ký thường trú, cập nhật Cơ sở dữ liệu về cư trú",
             "role": "specialist", "position": None, "agency": "police", "budget_hours": "8",
             "is_return": False},
            {"name": "Cơ quan bảo hiểm xã hội cấp thẻ bảo hiểm y tế cho trẻ",
             "role": "specialist", "position": None, "agency": "social_insurance",
             "budget_hours": "8", "is_return": False},
            dict(_RETURN),
        ],
    },
    # ======================================================================================
    # CHỨNG THỰC (Vĩnh Long QĐ 2637/QĐ-UBND [C]; phí TT 226/2016/TT-BTC)
    # ======================================================================================
    {
        "code": "2.000815",
        "name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "field": "chung_thuc",
        "level": "commune",
        "vertical": False,
        "online_level": "partial",
        "legal_basis": "Nghị định 23/2015/NĐ-CP (sửa đổi bởi Nghị định 07/2025/NĐ-CP, Nghị định "
                       "280/2025/NĐ-CP); Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC",
        "result_type": "Bản sao được chứng thực từ bản chính",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["vl2637", "nd23_2015", "tt01_2020", "tt226_2016"],
        "confidence": "C",
        "note": (
            "Trong ngày; kéo dài thêm không quá 02 ngày làm việc khi cùng lúc chứng thực nhiều "
            "loại giấy tờ, bản chính nhiều trang hoặc nhiều bản sao [C] — trường hợp này được mô "
            "hình hóa thành 02 ngày làm việc kể từ thời điểm bắt đầu tính (chặt hơn một chút so "
            "với \"trong ngày + 02 ngày\"). Nộp trực tiếp, qua bưu chính hoặc trực tuyến [C]. Mức "
            "DVC trực tuyến một phần [M]. " + _CT_PAPERS_M + " " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường (trong ngày)",
             "limit_kind": "same_day", "limit_value": None},
            {"key": "nhieu_giay_to", "name": "Nhiều loại giấy tờ, bản chính nhiều trang hoặc "
                                             "nhiều bản sao",
             "limit_kind": "days", "limit_value": "2"},
        ],
        "papers": [
            {"name": "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao",
             "kind": "present", "count": 1, "required": True, "case": None},
            {"name": "Bản sao cần chứng thực (trường hợp người yêu cầu tự chụp)", "kind": "copy",
             "count": 1, "required": False, "case": None},
        ],
        "fees": [
            {"name": "Phí chứng thực bản sao (trang thứ nhất và thứ hai)", "amount": 2000,
             "channel": None, "case": None,
             "note": "2.000 đồng/trang; từ trang thứ ba trở đi 1.000 đồng/trang; tối đa "
                     "200.000 đồng/bản [C]"},
        ],
        "forms": [],
        "process": [dict(s) for s in _CT_8H],
    },
    {
        "code": "2.000884",
        "name": "Chứng thực chữ ký trong giấy tờ, văn bản",
        "field": "chung_thuc",
        "level": "commune",
        "vertical": False,
        "online_level": "partial",
        "legal_basis": "Nghị định 23/2015/NĐ-CP (sửa đổi bởi Nghị định 07/2025/NĐ-CP, Nghị định "
                       "280/2025/NĐ-CP); Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC",
        "result_type": "Giấy tờ, văn bản đã được chứng thực chữ ký",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["vl2637", "nd23_2015", "tt01_2020", "tt226_2016"],
        "confidence": "C",
        "note": (
            "Trong ngày [C]. Người yêu cầu ký trước mặt người thực hiện chứng thực. Mức DVC trực "
            "tuyến một phần [M]. " + _CT_PAPERS_M + " " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường (trong ngày)",
             "limit_kind": "same_day", "limit_value": None},
        ],
        "papers": [
            dict(_ID_PRESENT),
            {"name": "Giấy tờ, văn bản mà người yêu cầu sẽ ký", "kind": "original", "count": 1,
             "required": True, "case": None},
        ],
        "fees": [
            {"name": "Phí chứng thực chữ ký", "amount": 10000, "channel": None, "case": None,
             "note": "10.000 đồng/trường hợp [C]"},
        ],
        "forms": [],
        "process": [dict(s) for s in _CT_8H],
    },
    {
        "code": "2.000992",
        "name": "Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật của "
                "UBND cấp xã",
        "field": "chung_thuc",
        "level": "commune",
        "vertical": False,
        "online_level": "partial",
        "legal_basis": "Nghị định 23/2015/NĐ-CP (sửa đổi bởi Nghị định 07/2025/NĐ-CP, Nghị định "
                       "280/2025/NĐ-CP); Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC",
        "result_type": "Bản dịch đã được chứng thực chữ ký người dịch",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["vl2637", "nd23_2015", "tt01_2020", "tt226_2016"],
        "confidence": "C",
        "note": (
            "Trong ngày [C]. Mức DVC trực tuyến một phần [M]. " + _CT_PAPERS_M + " " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường (trong ngày)",
             "limit_kind": "same_day", "limit_value": None},
        ],
        "papers": [
            {"name": "Bản dịch (kèm bản chính hoặc bản sao giấy tờ, văn bản cần dịch)",
             "kind": "original", "count": 1, "required": True, "case": None},
            {"name": "Bản chính giấy tờ, văn bản cần dịch", "kind": "present", "count": 1,
             "required": True, "case": None},
            {"name": "Thẻ Căn cước/Căn cước công dân hoặc hộ chiếu của người dịch",
             "kind": "present", "count": 1, "required": True, "case": None},
        ],
        "fees": [
            {"name": "Phí chứng thực chữ ký người dịch", "amount": 10000, "channel": None,
             "case": None, "note": "10.000 đồng/trường hợp [C]"},
        ],
        "forms": [],
        "process": [dict(s) for s in _CT_8H],
    },
    {
        "code": "2.001035",
        "name": "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng "
                "đất, nhà ở",
        "field": "chung_thuc",
        "level": "commune",
        "vertical": False,
        "online_level": "partial",
        "legal_basis": "Nghị định 23/2015/NĐ-CP (sửa đổi bởi Nghị định 07/2025/NĐ-CP, Nghị định "
                       "280/2025/NĐ-CP); Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC",
        "result_type": "Hợp đồng, giao dịch đã được chứng thực",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["vl2637", "nd23_2015", "tt01_2020", "tt226_2016"],
        "confidence": "C",
        "note": (
            "Không quá 02 ngày làm việc [C]. Các bên ký trước mặt người thực hiện chứng thực. Mức "
            "DVC trực tuyến một phần [M]. " + _CT_PAPERS_M + " " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường", "limit_kind": "days",
             "limit_value": "2"},
        ],
        "papers": [
            {"name": "Dự thảo hợp đồng, giao dịch", "kind": "original", "count": 1,
             "required": True, "case": None},
            {"name": "Giấy tờ tùy thân của các bên tham gia hợp đồng, giao dịch", "kind": "copy",
             "count": 1, "required": True, "case": None},
            {"name": "Giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản hoặc giấy tờ thay thế",
             "kind": "copy", "count": 1, "required": True, "case": None},
        ],
        "fees": [
            {"name": "Phí chứng thực hợp đồng, giao dịch", "amount": 50000, "channel": None,
             "case": None, "note": "50.000 đồng/hợp đồng, giao dịch [C]"},
        ],
        "forms": [
            {"code": "TT01/2020-BTP", "name": "Phiếu yêu cầu chứng thực hợp đồng, giao dịch"},
        ],
        "process": [dict(s) for s in _CT_16H],
    },
    {
        "code": "2.001019",
        "name": "Chứng thực di chúc",
        "field": "chung_thuc",
        "level": "commune",
        "vertical": False,
        "online_level": "partial",
        "legal_basis": "Nghị định 23/2015/NĐ-CP (sửa đổi bởi Nghị định 07/2025/NĐ-CP, Nghị định "
                       "280/2025/NĐ-CP); Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC",
        "result_type": "Di chúc đã được chứng thực",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["vl2637", "nd23_2015", "tt01_2020", "tt226_2016"],
        "confidence": "C",
        "note": (
            "Không quá 02 ngày làm việc [C]. Người lập di chúc ký trước mặt người thực hiện chứng "
            "thực. Mức DVC trực tuyến một phần [M]. " + _CT_PAPERS_M + " " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường", "limit_kind": "days",
             "limit_value": "2"},
        ],
        "papers": [
            {"name": "Dự thảo di chúc", "kind": "original", "count": 1, "required": True,
             "case": None},
            {"name": "Giấy tờ tùy thân của người lập di chúc", "kind": "copy", "count": 1,
             "required": True, "case": None},
            {"name": "Giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản (nếu di chúc liên quan "
                     "đến tài sản phải đăng ký)",
             "kind": "copy", "count": 1, "required": False, "case": None},
        ],
        "fees": [
            {"name": "Phí chứng thực di chúc", "amount": 50000, "channel": None, "case": None,
             "note": "50.000 đồng/di chúc [C]"},
        ],
        "forms": [
            {"code": "TT01/2020-BTP", "name": "Phiếu yêu cầu chứng thực hợp đồng, giao dịch"},
        ],
        "process": [dict(s) for s in _CT_16H],
    },
    {
        "code": "2.001016",
        "name": "Chứng thực văn bản từ chối nhận di sản",
        "field": "chung_thuc",
        "level": "commune",
        "vertical": False,
        "online_level": "partial",
        "legal_basis": "Nghị định 23/2015/NĐ-CP (sửa đổi bởi Nghị định 07/2025/NĐ-CP, Nghị định "
                       "280/2025/NĐ-CP); Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC",
        "result_type": "Văn bản từ chối nhận di sản đã được chứng thực",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["vl2637", "nd23_2015", "tt01_2020", "tt226_2016"],
        "confidence": "C",
        "note": (
            "Không quá 02 ngày làm việc [C]. Mức DVC trực tuyến một phần [M]. "
            + _CT_PAPERS_M + " " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường", "limit_kind": "days",
             "limit_value": "2"},
        ],
        "papers": [
            {"name": "Dự thảo văn bản từ chối nhận di sản", "kind": "original", "count": 1,
             "required": True, "case": None},
            {"name": "Giấy tờ tùy thân của người từ chối nhận di sản", "kind": "copy",
             "count": 1, "required": True, "case": None},
            {"name": "Giấy tờ về tài sản là di sản của người để lại di sản", "kind": "copy",
             "count": 1, "required": True, "case": None},
            {"name": "Giấy tờ chứng minh người để lại di sản đã chết (trích lục khai tử)",
             "kind": "copy", "count": 1, "required": True, "case": None},
        ],
        "fees": [
            {"name": "Phí chứng thực văn bản từ chối nhận di sản", "amount": 50000,
             "channel": None, "case": None, "note": "50.000 đồng/văn bản [C]"},
        ],
        "forms": [
            {"code": "TT01/2020-BTP", "name": "Phiếu yêu cầu chứng thực hợp đồng, giao dịch"},
        ],
        "process": [dict(s) for s in _CT_16H],
    },
    {
        "code": "2.001406",
        "name": "Chứng thực văn bản thỏa thuận phân chia di sản",
        "field": "chung_thuc",
        "level": "commune",
        "vertical": False,
        "online_level": "partial",
        "legal_basis": "Nghị định 23/2015/NĐ-CP (sửa đổi bởi Nghị định 07/2025/NĐ-CP, Nghị định "
                       "280/2025/NĐ-CP); Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC",
        "result_type": "Văn bản thỏa thuận phân chia di sản đã được chứng thực",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["vl2637", "nd23_2015", "tt01_2020", "tt226_2016"],
        "confidence": "C",
        "note": (
            "Không quá 02 ngày làm việc [C]. Những người thừa kế ký trước mặt người thực hiện "
            "chứng thực. Mức DVC trực tuyến một phần [M]. " + _CT_PAPERS_M + " " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường", "limit_kind": "days",
             "limit_value": "2"},
        ],
        "papers": [
            {"name": "Dự thảo văn bản thỏa thuận phân chia di sản", "kind": "original",
             "count": 1, "required": True, "case": None},
            {"name": "Giấy tờ tùy thân của những người thừa kế", "kind": "copy", "count": 1,
             "required": True, "case": None},
            {"name": "Giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản là di sản",
             "kind": "copy", "count": 1, "required": True, "case": None},
            {"name": "Giấy tờ chứng minh người để lại di sản đã chết và quan hệ thừa kế",
             "kind": "copy", "count": 1, "required": True, "case": None},
        ],
        "fees": [
            {"name": "Phí chứng thực văn bản thỏa thuận phân chia di sản", "amount": 50000,
             "channel": None, "case": None, "note": "50.000 đồng/văn bản [C]"},
        ],
        "forms": [
            {"code": "TT01/2020-BTP", "name": "Phiếu yêu cầu chứng thực hợp đồng, giao dịch"},
        ],
        "process": [dict(s) for s in _CT_16H],
    },
    {
        "code": "2.000913",
        "name": "Chứng thực sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
        "field": "chung_thuc",
        "level": "commune",
        "vertical": False,
        "online_level": "partial",
        "legal_basis": "Nghị định 23/2015/NĐ-CP (sửa đổi bởi Nghị định 07/2025/NĐ-CP, Nghị định "
                       "280/2025/NĐ-CP); Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC",
        "result_type": "Văn bản sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch đã được chứng thực",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["vl2637", "nd23_2015", "tt01_2020", "tt226_2016"],
        "confidence": "C",
        "note": (
            "Trong ngày [C]. Mức DVC trực tuyến một phần [M]. " + _CT_PAPERS_M + " " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường (trong ngày)",
             "limit_kind": "same_day", "limit_value": None},
        ],
        "papers": [
            {"name": "Dự thảo văn bản sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
             "kind": "original", "count": 1, "required": True, "case": None},
            {"name": "Hợp đồng, giao dịch đã được chứng thực", "kind": "present", "count": 1,
             "required": True, "case": None},
            {"name": "Giấy tờ tùy thân của các bên", "kind": "copy", "count": 1,
             "required": True, "case": None},
        ],
        "fees": [
            {"name": "Phí chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
             "amount": 30000, "channel": None, "case": None,
             "note": "30.000 đồng/hợp đồng, giao dịch [C]"},
        ],
        "forms": [
            {"code": "TT01/2020-BTP", "name": "Phiếu yêu cầu chứng thực hợp đồng, giao dịch"},
        ],
        "process": [dict(s) for s in _CT_8H],
    },
    {
        "code": "2.000927",
        "name": "Sửa lỗi sai sót trong hợp đồng, giao dịch đã được chứng thực",
        "field": "chung_thuc",
        "level": "commune",
        "vertical": False,
        "online_level": "partial",
        "legal_basis": "Nghị định 23/2015/NĐ-CP (sửa đổi bởi Nghị định 07/2025/NĐ-CP, Nghị định "
                       "280/2025/NĐ-CP); Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC",
        "result_type": "Hợp đồng, giao dịch đã được sửa lỗi sai sót",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["vl2637", "nd23_2015", "tt01_2020", "tt226_2016"],
        "confidence": "C",
        "note": (
            "Trong ngày [C]. Mức DVC trực tuyến một phần [M]. " + _CT_PAPERS_M + " " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường (trong ngày)",
             "limit_kind": "same_day", "limit_value": None},
        ],
        "papers": [
            {"name": "Hợp đồng, giao dịch đã được chứng thực có lỗi sai sót", "kind": "present",
             "count": 1, "required": True, "case": None},
            {"name": "Giấy tờ tùy thân của các bên", "kind": "present", "count": 1,
             "required": True, "case": None},
        ],
        "fees": [
            {"name": "Phí sửa lỗi sai sót trong hợp đồng, giao dịch", "amount": 25000,
             "channel": None, "case": None, "note": "25.000 đồng/hợp đồng, giao dịch [C]"},
        ],
        "forms": [],
        "process": [dict(s) for s in _CT_8H],
    },
    {
        "code": "2.000942",
        "name": "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực",
        "field": "chung_thuc",
        "level": "commune",
        "vertical": False,
        "online_level": "full",
        "legal_basis": "Nghị định 23/2015/NĐ-CP (sửa đổi bởi Nghị định 07/2025/NĐ-CP, Nghị định "
                       "280/2025/NĐ-CP); Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC",
        "result_type": "Bản sao có chứng thực của hợp đồng, giao dịch",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["vl2637", "nd23_2015", "tt01_2020", "tt226_2016"],
        "confidence": "C",
        "note": (
            "Trong ngày [C]; phí như chứng thực bản sao từ bản chính [C]. Mức DVC trực tuyến toàn "
            "trình [M]. " + _CT_PAPERS_M + " " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường (trong ngày)",
             "limit_kind": "same_day", "limit_value": None},
        ],
        "papers": [
            dict(_ID_PRESENT),
            {"name": "Giấy tờ chứng minh là bên tham gia hợp đồng, giao dịch hoặc người có quyền "
                     "yêu cầu cấp bản sao (nếu là người thừa kế, người được ủy quyền)",
             "kind": "copy", "count": 1, "required": False, "case": None},
        ],
        "fees": [
            {"name": "Phí cấp bản sao có chứng thực (trang thứ nhất và thứ hai)", "amount": 2000,
             "channel": None, "case": None,
             "note": "2.000 đồng/trang; từ trang thứ ba trở đi 1.000 đồng/trang; tối đa "
                     "200.000 đồng/bản [C]"},
        ],
        "forms": [],
        "process": [dict(s) for s in _CT_8H],
    },
    {
        "code": "2.000908",
        "name": "Cấp bản sao từ sổ gốc",
        "field": "chung_thuc",
        "level": "commune",
        "vertical": False,
        "online_level": "full",
        "legal_basis": "Nghị định 23/2015/NĐ-CP (sửa đổi bởi Nghị định 07/2025/NĐ-CP, Nghị định "
                       "280/2025/NĐ-CP); Thông tư 01/2020/TT-BTP",
        "result_type": "Bản sao từ sổ gốc",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["vl2637", "nd23_2015", "tt01_2020"],
        "confidence": "C",
        "note": (
            "Trong ngày; không thu phí [C]. Mức DVC trực tuyến toàn trình [M]. " + _CT_PAPERS_M
            + " " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường (trong ngày)",
             "limit_kind": "same_day", "limit_value": None},
        ],
        "papers": [
            dict(_ID_PRESENT),
            {"name": "Giấy tờ chứng minh quyền yêu cầu cấp bản sao (nếu không phải người được "
                     "cấp bản chính: người thừa kế, người đại diện, người được ủy quyền)",
             "kind": "copy", "count": 1, "required": False, "case": None},
        ],
        "fees": [
            {"name": "Phí cấp bản sao từ sổ gốc", "amount": 0, "channel": None, "case": None,
             "note": "Không thu phí [C]"},
        ],
        "forms": [],
        "process": [dict(s) for s in _CT_8H],
    },
    # ======================================================================================
    # CƯ TRÚ — Công an xã (cơ quan tổ chức theo ngành dọc)
    # ======================================================================================
    {
        "code": "1.004222",
        "name": "Đăng ký thường trú",
        "field": "cu_tru",
        "level": "commune",
        "vertical": True,
        "online_level": "full",
        "legal_basis": "Luật Cư trú 2020; Nghị định 154/2024/NĐ-CP; Thông tư 55/2021/TT-BCA; "
                       "Thông tư 75/2022/TT-BTC",
        "result_type": "Cập nhật thông tin đăng ký thường trú vào Cơ sở dữ liệu về cư trú; "
                       "thông báo kết quả",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["luat_cu_tru", "nd154_2024", "tt55_2021", "tt75_2022"],
        "confidence": "M",
        "note": (
            "Do Công an xã giải quyết. Thời hạn 07 ngày làm việc [M]. Lệ phí 20.000 đồng nộp "
            "trực tiếp / 10.000 đồng nộp trực tuyến [M] (nguồn thứ cấp dẫn Thông tư "
            "75/2022/TT-BTC cùng mức). Thành phần hồ sơ điển hình; giấy tờ đã có trong Cơ sở dữ "
            "liệu quốc gia về dân cư không yêu cầu nộp lại [M]. Mức DVC trực tuyến toàn trình "
            "[M]. " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường", "limit_kind": "days",
             "limit_value": "7"},
        ],
        "papers": [
            {"name": "Tờ khai thay đổi thông tin cư trú (CT01)", "kind": "original", "count": 1,
             "required": True, "case": None},
            {"name": "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp (nếu thông tin chưa có trong cơ "
                     "sở dữ liệu)",
             "kind": "copy", "count": 1, "required": True, "case": None},
            {"name": "Ý kiến đồng ý của chủ hộ/chủ sở hữu chỗ ở hợp pháp (trường hợp đăng ký vào "
                     "chỗ ở không thuộc sở hữu của mình)",
             "kind": "original", "count": 1, "required": False, "case": None},
            {"name": "Thẻ Căn cước/Căn cước công dân (xuất trình khi nộp trực tiếp)",
             "kind": "present", "count": 1, "required": False, "case": None},
        ],
        "fees": [
            {"name": "Lệ phí đăng ký thường trú (nộp trực tiếp)", "amount": 20000,
             "channel": "counter", "case": None, "note": "20.000 đồng/lần đăng ký [M]"},
            {"name": "Lệ phí đăng ký thường trú (nộp trực tuyến)", "amount": 10000,
             "channel": "online", "case": None, "note": "10.000 đồng/lần đăng ký [M]"},
        ],
        "forms": [
            {"code": "CT01", "name": "Tờ khai thay đổi thông tin cư trú"},
        ],
        # 2 + 4 + 40 + 8 = 54 h ≤ 56 h (7 working days).
        "process": [
            {"name": "Tiếp nhận, kiểm tra, số hóa hồ sơ", "role": "receiver", "position": None,
             "agency": "receiving", "budget_hours": "2", "is_return": False},
            {"name": "Trưởng Công an xã phân công xử lý", "role": "leader",
             "position": "truong_phong", "agency": "police", "budget_hours": "4",
             "is_return": False},
            {"name": "Cán bộ đăng ký cư trú thẩm định, kiểm tra thực tế, dự thảo kết quả",
             "role": "specialist", "position": None, "agency": "police", "budget_hours": "40",
             "is_return": False},
            {"name": "Trưởng Công an xã phê duyệt, cập nhật Cơ sở dữ liệu về cư trú",
             "role": "leader", "position": "truong_phong", "agency": "police",
             "budget_hours": "8", "is_return": False},
            dict(_RETURN),
        ],
    },
    {
        "code": "1.004194",
        "name": "Đăng ký tạm trú",
        "field": "cu_tru",
        "level": "commune",
        "vertical": True,
        "online_level": "full",
        "legal_basis": "Luật Cư trú 2020; Nghị định 154/2024/NĐ-CP; Thông tư 55/2021/TT-BCA; "
                       "Thông tư 75/2022/TT-BTC",
        "result_type": "Cập nhật thông tin đăng ký tạm trú vào Cơ sở dữ liệu về cư trú; "
                       "thông báo kết quả",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["luat_cu_tru", "nd154_2024", "tt55_2021", "tt75_2022"],
        "confidence": "M",
        "note": (
            "Do Công an xã giải quyết. Thời hạn 03 ngày làm việc [M]. Lệ phí 15.000 đồng nộp "
            "trực tiếp / 7.000 đồng nộp trực tuyến [M] (nguồn thứ cấp dẫn Thông tư "
            "75/2022/TT-BTC cùng mức). Thành phần hồ sơ điển hình; giấy tờ đã có trong Cơ sở dữ "
            "liệu quốc gia về dân cư không yêu cầu nộp lại [M]. Mức DVC trực tuyến toàn trình "
            "[M]. " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường", "limit_kind": "days",
             "limit_value": "3"},
        ],
        "papers": [
            {"name": "Tờ khai thay đổi thông tin cư trú (CT01)", "kind": "original", "count": 1,
             "required": True, "case": None},
            {"name": "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp (nếu thông tin chưa có trong cơ "
                     "sở dữ liệu)",
             "kind": "copy", "count": 1, "required": True, "case": None},
            {"name": "Thẻ Căn cước/Căn cước công dân (xuất trình khi nộp trực tiếp)",
             "kind": "present", "count": 1, "required": False, "case": None},
        ],
        "fees": [
            {"name": "Lệ phí đăng ký tạm trú (nộp trực tiếp)", "amount": 15000,
             "channel": "counter", "case": None, "note": "15.000 đồng/lần đăng ký [M]"},
            {"name": "Lệ phí đăng ký tạm trú (nộp trực tuyến)", "amount": 7000,
             "channel": "online", "case": None, "note": "7.000 đồng/lần đăng ký [M]"},
        ],
        "forms": [
            {"code": "CT01", "name": "Tờ khai thay đổi thông tin cư trú"},
        ],
        # 2 + 2 + 16 + 4 = 24 h (3 working days).
        "process": [
            {"name": "Tiếp nhận, kiểm tra, số hóa hồ sơ", "role": "receiver", "position": None,
             "agency": "receiving", "budget_hours": "2", "is_return": False},
            {"name": "Trưởng Công an xã phân công xử lý", "role": "leader",
             "position": "truong_phong", "agency": "police", "budget_hours": "2",
             "is_return": False},
            {"name": "Cán bộ đăng ký cư trú thẩm định, dự thảo kết quả", "role": "specialist",
             "position": None, "agency": "police", "budget_hours": "16", "is_return": False},
            {"name": "Trưởng Công an xã phê duyệt, cập nhật Cơ sở dữ liệu về cư trú",
             "role": "leader", "position": "truong_phong", "agency": "police",
             "budget_hours": "4", "is_return": False},
            dict(_RETURN),
        ],
    },
    # ======================================================================================
    # GIẢM NGHÈO
    # ======================================================================================
    {
        "code": "1.011607",
        "name": "Xác nhận hộ nghèo, hộ cận nghèo",
        "field": "giam_ngheo",
        "level": "commune",
        "vertical": False,
        "online_level": "partial",
        "legal_basis": "Nghị định 07/2021/NĐ-CP; Quyết định 24/2021/QĐ-TTg",
        "result_type": "Giấy xác nhận hộ nghèo, hộ cận nghèo",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["nd07_2021", "qd24_2021"],
        "confidence": "M",
        "note": (
            "Mã TTHC theo nguồn thứ cấp [S]. Thời hạn 03 ngày làm việc là giá trị demo, chưa xác "
            "nhận [M]. Không thu phí [M]. Thành phần hồ sơ điển hình [M]. Căn cứ pháp lý tin là "
            "đúng, chưa đối chiếu văn bản về chuẩn nghèo giai đoạn mới [M]. Mức DVC trực tuyến "
            "một phần [M]. " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường", "limit_kind": "days",
             "limit_value": "3"},
        ],
        "papers": [
            {"name": "Giấy đề nghị xác nhận hộ nghèo, hộ cận nghèo", "kind": "original",
             "count": 1, "required": True, "case": None},
            dict(_ID_PRESENT),
        ],
        "fees": [
            {"name": "Phí, lệ phí", "amount": 0, "channel": None, "case": None,
             "note": "Không thu phí, lệ phí [M]"},
        ],
        "forms": [
            {"code": None, "name": "Giấy đề nghị xác nhận hộ nghèo, hộ cận nghèo"},
        ],
        # 2 + 2 + 12 + 4 + 3 + 1 = 24 h (3 working days).
        "process": [
            {"name": "Tiếp nhận, kiểm tra, số hóa hồ sơ", "role": "receiver", "position": None,
             "agency": "receiving", "budget_hours": "2", "is_return": False},
            {"name": "Trưởng phòng Văn hóa - Xã hội phân công xử lý", "role": "leader",
             "position": "truong_phong", "agency": "competent", "budget_hours": "2",
             "is_return": False},
            {"name": "Công chức Phòng Văn hóa - Xã hội đối chiếu danh sách hộ nghèo, hộ cận "
                     "nghèo, dự thảo giấy xác nhận",
             "role": "specialist", "position": None, "agency": "competent", "budget_hours": "12",
             "is_return": False},
            {"name": "Trưởng phòng Văn hóa - Xã hội xem xét, trình ký", "role": "leader",
             "position": "truong_phong", "agency": "competent", "budget_hours": "4",
             "is_return": False},
            {"name": "Lãnh đạo UBND xã ký xác nhận", "role": "leader", "position": "pho_chu_tich",
             "agency": "competent", "budget_hours": "3", "is_return": False},
            {"name": "Văn thư vào số, đóng dấu, phát hành", "role": "specialist",
             "position": "van_thu", "agency": "competent", "budget_hours": "1",
             "is_return": False},
            dict(_RETURN),
        ],
    },
    # ======================================================================================
    # HỘ KINH DOANH
    # ======================================================================================
    {
        "code": "1.001612",
        "name": "Đăng ký thành lập hộ kinh doanh",
        "field": "ho_kinh_doanh",
        "level": "commune",
        "vertical": False,
        "online_level": "full",
        "legal_basis": "Nghị định 168/2025/NĐ-CP",
        "result_type": "Giấy chứng nhận đăng ký hộ kinh doanh",
        "cutoff": "15:00",
        "supplement_rule": "restart",
        "payment_pauses_clock": False,
        "sources": ["nd168_2025"],
        "confidence": "M",
        "note": (
            "Thuộc cấp xã từ năm 2025. Thời hạn 03 ngày làm việc [M]. Lệ phí do HĐND tỉnh quy "
            "định; 100.000 đồng là giá trị demo [M]. Căn cứ pháp lý và thành phần hồ sơ tin là "
            "đúng, chưa đối chiếu [M]. Mức DVC trực tuyến toàn trình [M]. " + _PROCESS_M
        ),
        "cases": [
            {"key": "default", "name": "Trường hợp thông thường", "limit_kind": "days",
             "limit_value": "3"},
        ],
        "papers": [
            {"name": "Giấy đề nghị đăng ký hộ kinh doanh", "kind": "original", "count": 1,
             "required": True, "case": None},
            {"name": "Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh "
                     "(trường hợp các thành viên hộ gia đình cùng đăng ký)",
             "kind": "copy", "count": 1, "required": False, "case": None},
            {"name": "Văn bản ủy quyền của thành viên hộ gia đình cho một thành viên làm chủ hộ "
                     "kinh doanh (nếu có)",
             "kind": "copy", "count": 1, "required": False, "case": None},
            dict(_ID_PRESENT),
        ],
        "fees": [
            {"name": "Lệ phí đăng ký hộ kinh doanh", "amount": 100000, "channel": None,
             "case": None,
             "note": "Mức do HĐND tỉnh quy định; 100.000 đồng là giá trị demo [M]"},
        ],
        "forms": [
            {"code": None, "name": "Giấy đề nghị đăng ký hộ kinh doanh"},
        ],
        # 2 + 2 + 14 + 5 + 1 = 24 h (3 working days).
        "process": [
            {"name": "Tiếp nhận, kiểm tra, số hóa hồ sơ", "role": "receiver", "position": None,
             "agency": "receiving", "budget_hours": "2", "is_return": False},
            {"name": "Trưởng phòng Kinh tế phân công xử lý", "role": "leader",
             "position": "truong_phong", "agency": "competent", "budget_hours": "2",
             "is_return": False},
            {"name": "Công chức Phòng Kinh tế thẩm định, dự thảo Giấy chứng nhận",
             "role": "specialist", "position": None, "agency": "competent", "budget_hours": "14",
             "is_return": False},
            {"name": "Trưởng phòng Kinh tế xem xét, ký Giấy chứng nhận", "role": "leader",
             "position": "truong_phong", "agency": "competent", "budget_hours": "5",
             "is_return": False},
            {"name": "Văn thư vào số, đóng dấu, phát hành", "role": "specialist",
             "position": "van_thu", "agency": "competent", "budget_hours": "1",
             "is_return": False},
            dict(_RETURN),
        ],
    },
]


_LIMIT_KINDS = {"same_day", "days", "hours"}
_PAPER_KINDS = {"original", "copy", "certified_copy", "present"}
_CHANNELS = {None, "counter", "online"}
_ROLES = {"receiver", "specialist", "leader"}
_POSITIONS = {None, "van_thu", "truong_phong", "chu_tich", "pho_chu_tich"}
_AGENCIES = {"receiving", "competent", "police", "social_insurance"}
_ONLINE = {"full", "partial", "none"}
_CONFIDENCE = {"C", "S", "M"}


def validate() -> list[str]:
    """Check the catalogue's internal rules; return a list of problems (empty when sound)."""
    problems: list[str] = []
    field_codes = {code for code, _name in FIELDS}
    if len(field_codes) != len(FIELDS):
        problems.append("duplicate field codes")
    seen: set[str] = set()
    for proc in PROCEDURES:
        code = proc.get("code") or "?"
        where = f"{code}:"
        if not proc.get("code"):
            problems.append(f"{where} missing code")
        if code in seen:
            problems.append(f"{where} duplicate code")
        seen.add(code)
        if code.startswith("DEMO.") and "giả định" not in proc.get("note", ""):
            problems.append(f"{where} demo code not explained in note")
        if proc.get("field") not in field_codes:
            problems.append(f"{where} unknown field {proc.get('field')!r}")
        if proc.get("level") != "commune":
            problems.append(f"{where} level must be 'commune'")
        if not isinstance(proc.get("vertical"), bool):
            problems.append(f"{where} vertical must be bool")
        if proc.get("online_level") not in _ONLINE:
            problems.append(f"{where} bad online_level")
        if proc.get("supplement_rule") not in {"restart", "continue"}:
            problems.append(f"{where} bad supplement_rule")
        if not isinstance(proc.get("payment_pauses_clock"), bool):
            problems.append(f"{where} payment_pauses_clock must be bool")
        if proc.get("confidence") not in _CONFIDENCE:
            problems.append(f"{where} bad confidence")
        if proc.get("confidence") == "M" and "[M]" not in proc.get("note", ""):
            problems.append(f"{where} confidence M but no [M] in note")
        cutoff = proc.get("cutoff")
        if cutoff is not None:
            parts = cutoff.split(":") if isinstance(cutoff, str) else []
            if (len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts)
                    or int(parts[0]) > 23 or int(parts[1]) > 59):
                problems.append(f"{where} bad cutoff {cutoff!r}")
        for key in proc.get("sources", []):
            if key not in SOURCES:
                problems.append(f"{where} unknown source {key!r}")
        if not proc.get("sources"):
            problems.append(f"{where} no sources")
        for text_key in ("name", "legal_basis", "result_type"):
            if not proc.get(text_key):
                problems.append(f"{where} missing {text_key}")

        # cases and limits
        case_keys: set[str] = set()
        limit_hours: list[Decimal] = []
        cases = proc.get("cases") or []
        if not cases:
            problems.append(f"{where} no cases")
        for case in cases:
            key = case.get("key")
            if not key or key in case_keys:
                problems.append(f"{where} missing or duplicate case key {key!r}")
            case_keys.add(key)
            kind, value = case.get("limit_kind"), case.get("limit_value")
            if kind not in _LIMIT_KINDS:
                problems.append(f"{where} case {key}: bad limit_kind {kind!r}")
                continue
            if kind == "same_day":
                if value is not None:
                    problems.append(f"{where} case {key}: same_day needs limit_value None")
                limit_hours.append(Decimal(8))
                continue
            try:
                amount = Decimal(str(value))
            except (InvalidOperation, TypeError):
                problems.append(f"{where} case {key}: limit_value {value!r} is not a number")
                continue
            if amount <= 0:
                problems.append(f"{where} case {key}: limit must be positive")
            if kind == "days":
                if (amount * 2) % 1 != 0:
                    problems.append(f"{where} case {key}: days {value} not a multiple of 0.5")
                limit_hours.append(amount * 8)
            else:
                limit_hours.append(amount)

        # papers
        for paper in proc.get("papers", []):
            if paper.get("kind") not in _PAPER_KINDS:
                problems.append(f"{where} paper {paper.get('name')!r}: bad kind")
            if paper.get("case") is not None and paper["case"] not in case_keys:
                problems.append(f"{where} paper {paper.get('name')!r}: unknown case")
            if not isinstance(paper.get("count"), int) or paper["count"] < 1:
                problems.append(f"{where} paper {paper.get('name')!r}: bad count")
            if not isinstance(paper.get("required"), bool):
                problems.append(f"{where} paper {paper.get('name')!r}: required must be bool")

        # fees
        for fee in proc.get("fees", []):
            amount = fee.get("amount")
            if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
                problems.append(f"{where} fee {fee.get('name')!r}: bad amount")
            if fee.get("channel") not in _CHANNELS:
                problems.append(f"{where} fee {fee.get('name')!r}: bad channel")
            if fee.get("case") is not None and fee["case"] not in case_keys:
                problems.append(f"{where} fee {fee.get('name')!r}: unknown case")
        if not proc.get("fees"):
            problems.append(f"{where} no fee lines")

        for form in proc.get("forms", []):
            if not form.get("name") or "code" not in form:
                problems.append(f"{where} form needs name and code (None allowed)")

        # process
        steps = proc.get("process") or []
        if not steps:
            problems.append(f"{where} no process")
            continue
        total = Decimal(0)
        for i, step in enumerate(steps):
            label = f"{where} step {i + 1}"
            if step.get("role") not in _ROLES:
                problems.append(f"{label}: bad role")
            if step.get("position") not in _POSITIONS:
                problems.append(f"{label}: bad position")
            if step.get("agency") not in _AGENCIES:
                problems.append(f"{label}: bad agency")
            try:
                hours = Decimal(str(step.get("budget_hours")))
            except (InvalidOperation, TypeError):
                problems.append(f"{label}: budget_hours not a number")
                continue
            if hours < 0:
                problems.append(f"{label}: negative budget")
            if step.get("is_return") is True:
                if i != len(steps) - 1:
                    problems.append(f"{label}: return step must be last")
            elif step.get("is_return") is False:
                total += hours
            else:
                problems.append(f"{label}: is_return must be bool")
        if steps[-1].get("is_return") is not True:
            problems.append(f"{where} last step must be the return step")
        if limit_hours and total > min(limit_hours):
            problems.append(
                f"{where} step budgets {total} h exceed smallest limit {min(limit_hours)} h"
            )
        agencies = {s.get("agency") for s in steps}
        if proc.get("vertical") and "police" not in agencies:
            problems.append(f"{where} vertical procedure without police steps")
    return problems
