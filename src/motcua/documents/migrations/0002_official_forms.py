"""Loads the two numbering schemes of the one-stop forms.

TT 03/2025/TT-VPCP (guidance for NĐ 118/2025), Phụ lục I, Mẫu 01–07 — dated 15/9/2025 per a
third-party summary of the circular (thuviennhadat.vn; the full text was not at hand: verify).
TT 01/2018/TT-VPCP (guidance for NĐ 61/2018), Mẫu 01–06, laid out on A5 except the log book (A4);
no stop notice existed then. Its rows stay open-ended because some provinces still print these
numbers; an administrator closes them (valid_to) or deactivates them.

The data is written out here, not imported from the app, so the migration never changes meaning.
"""

from datetime import date

from django.db import migrations

TT03 = "TT03/2025"
TT01 = "TT01/2018"
TT03_FROM = date(2025, 9, 15)
TT01_FROM = date(2019, 1, 8)  # effective date of TT 01/2018/TT-VPCP (to verify against the text)

FORMS = [
    # scheme, kind, number, name, page size
    (TT03, "receipt", "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "A4"),
    (TT03, "supplement_request", "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "A4"),
    (TT03, "refusal", "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "A4"),
    (TT03, "apology", "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", "A4"),
    (TT03, "stop_notice", "05", "Thông báo dừng giải quyết hồ sơ", "A4"),
    (TT03, "control_sheet", "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "A4"),
    (TT03, "log_book", "07", "Sổ theo dõi hồ sơ", "A4"),
    (TT01, "receipt", "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "A5"),
    (TT01, "supplement_request", "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "A5"),
    (TT01, "refusal", "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "A5"),
    (TT01, "apology", "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", "A5"),
    (TT01, "control_sheet", "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "A5"),
    (TT01, "log_book", "06", "Sổ theo dõi hồ sơ", "A4"),
]

BASIS = {
    TT03: "Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 của Văn phòng Chính phủ, Phụ lục I, Mẫu số {n}",
    TT01: "Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ, Phụ lục, Mẫu số {n}",
}


def load(apps, schema_editor):
    OfficialForm = apps.get_model("documents", "OfficialForm")
    for scheme, kind, number, name, page_size in FORMS:
        OfficialForm.objects.update_or_create(
            scheme=scheme, kind=kind, valid_from=TT03_FROM if scheme == TT03 else TT01_FROM,
            defaults={
                "number": number, "name": name, "legal_basis": BASIS[scheme].format(n=number),
                "template_name": f"documents/{kind}.html", "page_size": page_size, "active": True,
            },
        )


def unload(apps, schema_editor):
    OfficialForm = apps.get_model("documents", "OfficialForm")
    for scheme, kind, *_rest in FORMS:
        OfficialForm.objects.filter(
            scheme=scheme, kind=kind, valid_from=TT03_FROM if scheme == TT03 else TT01_FROM,
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
