"""The mapping of one national-catalogue record (pure): limits, fees by channel, levels, online
levels, papers, and the Vietnamese reasons that name the field at fault."""

from decimal import Decimal

import pytest

from motcua.catalog.importing.mapping import RowRefused, map_record


def record(**overrides) -> dict:
    base = {
        "MaTTHC": "2.001035",  # keys are matched without regard to case
        "TenTTHC": "Chứng thực hợp đồng, giao dịch",
        "LinhVucThucHien": [{"MaLinhVuc": "chung_thuc", "TenLinhVuc": "Chứng thực"}],
        "CapThucHien": [{"CapThucHien": "3"}],
    }
    return base | overrides


def ways(*entries_by_channel) -> list[dict]:
    return [{"KENH": k, "THOIGIAN": entries} for k, entries in entries_by_channel]


def limit(value, unit="Ngày làm việc", mota="", fees=()) -> dict:
    return {"THOIGIANGIAIQUYET": value, "DONVITINH": unit, "MOTA": mota, "PHILEPHI": list(fees)}


def test_a_summary_record_carries_no_parts_so_none_are_changed():
    data = map_record(record())
    assert (data.code, data.field_code, data.level) == ("2.001035", "chung_thuc", "commune")
    assert data.cases is data.papers is data.fees is data.agencies is data.online_level is None


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (2, "Ngày làm việc", ("days", Decimal("2.0"))),
        ("0,5", "Ngày làm việc", ("days", Decimal("0.5"))),
        (4, "Giờ", ("hours", Decimal("4.0"))),
        (0, "Ngày làm việc", ("same_day", None)),
        ("", "Trong ngày", ("same_day", None)),
    ],
)
def test_limits(value, unit, expected):
    data = map_record(record(CACHTHUCTHUCHIEN=ways((1, [limit(value, unit)]))))
    assert [(c.limit_kind, c.limit_value) for c in data.cases] == [expected]


def test_calendar_days_are_kept_as_working_days_with_a_warning_for_the_reviewer():
    data = map_record(record(CACHTHUCTHUCHIEN=ways((1, [limit(15, "Ngày")]))))
    assert [(c.limit_kind, c.limit_value) for c in data.cases] == [("days", Decimal("15.0"))]
    assert "không phải ngày làm việc" in data.warnings[0]


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"MaTTHC": ""}, "Mã thủ tục (MATTHC) bị trống."),
        ({"MaTTHC": "1.000 001"}, "Mã thủ tục (MATTHC) “1.000 001” không hợp lệ"),
        ({"LinhVucThucHien": []}, "Lĩnh vực (MALINHVUC) bị trống."),
        ({"CapThucHien": []}, "Cấp thực hiện (CAPTHUCHIEN) bị trống."),
        ({"CapThucHien": "Cấp thôn"}, "Cấp thực hiện (CAPTHUCHIEN) “Cấp thôn” không nhận ra."),
        ({"TrangThai": "0"}, "Trạng thái (TRANGTHAI) là “0”"),
        ({"MucDo": "5"}, "Mức độ dịch vụ công trực tuyến (MUCDO) “5” không nhận ra."),
        ({"CACHTHUCTHUCHIEN": ways((1, [limit(2, "Tuần")]))}, "Thời hạn giải quyết (DONVITINH) (kênh 1, mục 1)"),
        ({"CACHTHUCTHUCHIEN": ways((1, [limit(1.25, "Ngày làm việc")]))}, "ngày phải là bội số của 0,5"),
        ({"CACHTHUCTHUCHIEN": ways((1, [limit("ba", "Ngày làm việc")]))}, "(THOIGIANGIAIQUYET) (kênh 1, mục 1): “ba”"),
        ({"CACHTHUCTHUCHIEN": ways((4, [limit(1)]))}, "Cách thức thực hiện (KENH) “4” không nhận ra"),
        (
            {"CACHTHUCTHUCHIEN": ways((1, [limit(1, fees=[{"SOTIEN": 5, "DONVI": "%"}])]))},
            "Phí, lệ phí (DONVI) (kênh 1, mục 1): đơn vị “%” không phải đồng",
        ),
        ({"THANHPHANHOSO": [{"GIAYTO": [{"TENGIAYTO": ""}]}]}, "Thành phần hồ sơ (TENGIAYTO) (nhóm 1, giấy tờ 1)"),
    ],
)
def test_refusals_name_the_field(overrides, reason):
    with pytest.raises(RowRefused) as refused:
        map_record(record(**overrides))
    assert any(reason in r for r in refused.value.reasons), refused.value.reasons


def test_every_problem_of_a_record_is_listed_at_once():
    with pytest.raises(RowRefused) as refused:
        map_record({"MATTHC": "", "TENTTHC": ""})
    assert len(refused.value.reasons) == 4  # code, name, field, level


def test_fees_by_channel_postal_counts_as_the_counter_and_amounts_as_written():
    fee = {"MAPHILEPHI": "LP", "SOTIEN": "50.000 đồng", "DONVI": "Đồng", "MOTA": "Lệ phí chứng thực hợp đồng"}
    online = fee | {"SOTIEN": 25000}
    data = map_record(
        record(
            CACHTHUCTHUCHIEN=ways(
                (1, [limit(2, fees=[fee])]), (3, [limit(2, fees=[fee])]), (2, [limit(2, fees=[online])])
            )
        )
    )
    assert [(f.name, f.amount, f.channel, f.note) for f in data.fees] == [
        ("Lệ phí", 50000, "counter", "Lệ phí chứng thực hợp đồng"),
        ("Lệ phí", 25000, "online", "Lệ phí chứng thực hợp đồng"),
    ]


def test_a_flat_export_limit_and_fee_list():
    data = map_record(
        record(
            THOIHANGIAIQUYET=3,
            DONVITINH="Ngày làm việc",
            PHILEPHI=[{"TENPHILEPHI": "Phí thẩm định", "SOTIEN": 1000000}],
        )
    )
    assert [(c.name, c.limit_value) for c in data.cases] == [("Trường hợp thông thường", Decimal("3.0"))]
    assert [(f.name, f.amount, f.channel) for f in data.fees] == [("Phí thẩm định", 1000000, "")]


@pytest.mark.parametrize(
    "value, level",
    [("4", "full"), ("Toàn trình", "full"), ("3", "partial"), ("Một phần", "partial"), ("2", "none"), ("", "none")],
)
def test_online_levels(value, level):
    assert map_record(record(MucDo=value)).online_level == level


def test_levels_province_is_the_departments_and_commune_wins_when_both():
    assert map_record(record(CapThucHien=[{"CapThucHien": "1"}])).level == "department"
    both = map_record(record(CapThucHien=[{"CapThucHien": "1"}, {"CapThucHien": "3"}]))
    assert both.level == "commune" and "cả cấp tỉnh và cấp xã" in both.warnings[0]
    assert map_record(record(CapThucHien="Cấp Tỉnh")).level == "department"


def test_papers_kinds_counts_and_situations_the_cases_do_not_name():
    data = map_record(
        record(
            THANHPHANHOSO=[
                {
                    "TRUONGHOP": "Trường hợp mua bán",
                    "GIAYTO": [
                        {"TENGIAYTO": "Dự thảo hợp đồng", "SOBANCHINH": 2, "SOBANSAO": 0},
                        {"TENGIAYTO": "Bản sao có chứng thực giấy chứng nhận quyền sử dụng đất", "SOBANSAO": "1"},
                    ],
                },
                {"TRUONGHOP": "Trường hợp tặng cho", "GIAYTO": [{"TENGIAYTO": "Giấy tờ tùy thân (nếu có)"}]},
            ]
        )
    )
    assert [(p.name, p.kind, p.count, p.required, p.case) for p in data.papers] == [
        ("Dự thảo hợp đồng — Trường hợp mua bán", "original", 2, True, None),
        (
            "Bản sao có chứng thực giấy chứng nhận quyền sử dụng đất — Trường hợp mua bán",
            "certified_copy",
            1,
            True,
            None,
        ),
        ("Giấy tờ tùy thân (nếu có) — Trường hợp tặng cho", "original", 1, False, None),
    ]


def test_papers_of_a_situation_named_like_a_case_go_to_that_case():
    data = map_record(
        record(
            CACHTHUCTHUCHIEN=ways(
                (1, [limit(3, mota="Trường hợp thông thường"), limit(6, mota="Trường hợp cần xác minh")])
            ),
            THANHPHANHOSO=[{"TRUONGHOP": "Trường hợp cần xác minh", "GIAYTO": [{"TENGIAYTO": "Văn bản xác minh"}]}],
        )
    )
    assert [(p.name, p.case) for p in data.papers] == [("Văn bản xác minh", "Trường hợp cần xác minh")]


def test_online_fees_follow_the_counter_cases_by_limit_and_place_and_a_different_limit_is_flagged():
    fee = {"MAPHILEPHI": "LP", "SOTIEN": 15000}
    data = map_record(
        record(
            CACHTHUCTHUCHIEN=ways(
                (1, [limit(3, mota="Thông thường", fees=[fee]), limit(6, mota="Cần xác minh", fees=[fee])]),
                (2, [limit(3, mota="Nộp trực tuyến", fees=[fee | {"SOTIEN": 7500}]), limit(4, mota="Xác minh")]),
            )
        )
    )
    assert [c.name for c in data.cases] == ["Thông thường", "Cần xác minh"]
    assert [(f.case, f.amount, f.channel) for f in data.fees] == [
        ("Cần xác minh", 15000, "counter"),
        ("Thông thường", 15000, "counter"),
        ("Thông thường", 7500, "online"),
    ]
    assert data.warnings == [
        "Thời hạn giải quyết (kênh 2, mục 2) khác kênh trực tiếp; dùng thời hạn của kênh trực tiếp."
    ]
