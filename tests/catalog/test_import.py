"""Catalogue import (`manage.py import_catalog`): the national catalogue payload (LayThuTuc shape)
or its Excel layout becomes draft versions; re-import changes nothing; a published version is
never written; bad rows are refused one by one with the field named; a dry run writes nothing."""

import copy
import fcntl
import io
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from motcua.catalog import services
from motcua.catalog.importing.readers import JsonRecords
from motcua.catalog.importing.service import snapshot_version
from motcua.catalog.models import (
    Fee,
    Field,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    ProcessStep,
    ProcessTemplate,
    RequiredPaper,
)
from motcua.catalog.selectors import published_versions

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).parent / "data" / "dvcqg_laythutuc.json"
CODES = ["2.000992", "2.001019", "2.000908", "1.004859", "1.004194", "1.001612"]


def run(path, *args) -> str:
    out = io.StringIO()
    call_command("import_catalog", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def sample() -> list[dict]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))["result"]


def write(tmp_path, records, name="payload.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"error_code": 0, "result": records}, ensure_ascii=False), encoding="utf-8")
    return path


def rows() -> dict:
    """Every catalogue row count the import could touch."""
    return {
        m.__name__: m.objects.count() for m in (Procedure, ProcedureVersion, Field, ProcedureCase, RequiredPaper, Fee)
    }


def draft(code: str) -> ProcedureVersion:
    return ProcedureVersion.objects.get(procedure__code=code, status="draft")


def test_the_national_payload_becomes_drafts_with_limits_papers_fees_fields_and_agencies(world):
    report = run(SAMPLE)

    assert "Thủ tục mới (dự thảo v1): 6" in report and "Bị từ chối: 0" in report
    for code in CODES:
        versions = list(ProcedureVersion.objects.filter(procedure__code=code))
        assert [(v.number, v.status) for v in versions] == [(1, "draft")]
    # Nothing reaches the public catalogue before review and publication.
    assert not {v.procedure.code for v in published_versions()} & set(CODES)

    civil = draft("1.004859")
    assert civil.procedure.name == "Đăng ký thay đổi, cải chính hộ tịch"
    assert civil.procedure.field.code == "ho_tich" and civil.procedure.level == "commune"
    assert civil.online_level == "full"
    assert "Luật Hộ tịch" in civil.legal_basis and "123/2015/NĐ-CP" in civil.legal_basis
    assert civil.result_type == "Trích lục thay đổi, cải chính hộ tịch"
    assert [(c.name, c.limit_kind, c.limit_value) for c in civil.cases.all()] == [
        ("Trường hợp thông thường", "days", Decimal("3.0")),
        ("Trường hợp cần xác minh", "days", Decimal("6.0")),
    ]
    # The same fee on the counter and online is one line for every channel, on its case.
    assert sorted((f.case.name, f.amount, f.channel) for f in civil.fees.all()) == [
        ("Trường hợp cần xác minh", 15000, ""),
        ("Trường hợp thông thường", 15000, ""),
    ]
    assert [(p.name, p.kind, p.count, p.required) for p in civil.papers.all()] == [
        ("Tờ khai đăng ký thay đổi, cải chính hộ tịch", "original", 1, True),
        ("Giấy tờ làm căn cứ cho việc thay đổi, cải chính hộ tịch", "copy", 1, True),
    ]

    same_day = draft("2.000908")
    assert [(c.limit_kind, c.limit_value) for c in same_day.cases.all()] == [("same_day", None)]
    assert not same_day.fees.exists()  # free: no fee line
    assert [(p.kind, p.required) for p in same_day.papers.all()] == [("present", True), ("original", False)]

    # Fees that differ by channel stay per channel.
    residence = draft("1.004194")
    assert sorted((f.channel, f.amount) for f in residence.fees.all()) == [("counter", 15000), ("online", 7000)]
    # Agencies by their identification code; the commune police of both communes.
    assert sorted(residence.procedure.agencies.values_list("code", flat=True)) == [
        world.police_a.code,
        world.police_b.code,
    ]
    # A generic agency the installation does not have leaves the procedure to every commune.
    assert not draft("2.001019").procedure.agencies.exists()
    assert "UBND-CAP-XA (5)" in report

    # A field the installation did not have is created from the payload; a district-level
    # procedure is a commune one since the 2025 reform, and the report says so.
    business = draft("1.001612")
    assert Field.objects.get(code="ho_kinh_doanh").name == "Thành lập và hoạt động của hộ kinh doanh"
    assert business.procedure.level == "commune"
    assert "cấp huyện: nhập thành cấp xã" in report


def test_the_same_file_twice_changes_nothing_and_a_draft_is_updated_not_duplicated(tmp_path):
    run(SAMPLE)
    before = rows()
    drafts = {code: draft(code).pk for code in CODES}

    again = run(SAMPLE)
    assert "Không thay đổi: 6" in again and "danh mục đã khớp với nguồn" in again
    assert rows() == before

    records = sample()
    records[1]["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0]["SOTIEN"] = 60000
    changed = run(write(tmp_path, records))
    assert "Dự thảo được cập nhật: 1" in changed and "Không thay đổi: 5" in changed
    assert "2.001019 Chứng thực di chúc: cập nhật dự thảo v1; khác dự thảo trước ở: phí, lệ phí." in changed
    assert rows() == before and {code: draft(code).pk for code in CODES} == drafts
    assert [f.amount for f in draft("2.001019").fees.all()] == [60000]


def publish(version: ProcedureVersion) -> ProcedureVersion:
    """Give an imported draft the province's own process, then publish it through the service."""
    template = ProcessTemplate.objects.create(version=version, name="Quy trình chung")
    ProcessStep.objects.create(
        template=template, order=1, name="Tiếp nhận", role="receiver", budget_hours=1, agency_kind="receiving"
    )
    ProcessStep.objects.create(
        template=template, order=2, name="Thẩm định, trình ký", role="specialist", budget_hours=7
    )
    ProcessStep.objects.create(
        template=template,
        order=3,
        name="Trả kết quả",
        role="receiver",
        budget_hours=0,
        agency_kind="receiving",
        is_return=True,
    )
    return services.version_publish(version=version)


def frozen(version: ProcedureVersion) -> tuple:
    """A published version as rows: its own columns and every part, with ids."""
    version = ProcedureVersion.objects.get(pk=version.pk)
    return (
        {f.attname: getattr(version, f.attname) for f in version._meta.concrete_fields},
        list(version.cases.values()),
        list(version.papers.values()),
        list(version.fees.values()),
        list(version.processes.values()),
        snapshot_version(version),
    )


def test_a_published_version_is_never_touched_a_changed_payload_makes_a_new_draft_beside_it(tmp_path):
    run(SAMPLE)
    v1 = publish(draft("1.004859"))
    before = frozen(v1)

    assert "Không thay đổi: 6" in run(SAMPLE)  # the payload says what the published version says

    records = sample()
    civil = records[3]
    civil["TENTTHC"] = "Đăng ký thay đổi, cải chính, bổ sung hộ tịch"
    civil["COQUANTHUCHIEN"] = [{"MADONVI": "000.01.00.H40", "TENDONVI": "UBND Phường Thành Vinh"}]
    for way in civil["CACHTHUCTHUCHIEN"]:
        way["THOIGIAN"][0]["THOIGIANGIAIQUYET"] = 5
        for entry in way["THOIGIAN"]:
            entry["PHILEPHI"][0]["SOTIEN"] = 20000
    report = run(write(tmp_path, records))

    assert "Phiên bản dự thảo mới bên cạnh bản đang áp dụng: 1" in report
    assert (
        "1.004859 Đăng ký thay đổi, cải chính, bổ sung hộ tịch: dự thảo mới v2; khác phiên bản v1 ở: "
        "tên thủ tục, cơ quan thực hiện, trường hợp và thời hạn giải quyết, phí, lệ phí." in report
    )
    assert frozen(v1) == before and v1.status == "published"
    v2 = draft("1.004859")
    assert v2.number == 2
    assert [(c.name, c.limit_value) for c in v2.cases.all()] == [
        ("Trường hợp thông thường", Decimal("5.0")),
        ("Trường hợp cần xác minh", Decimal("6.0")),
    ]
    assert {f.amount for f in v2.fees.all()} == {20000}
    assert v2.processes.count() == 1  # the province's process came with the copy
    # The new name waits for publication: the public and reception still read the one in force.
    procedure = Procedure.objects.get(code="1.004859")
    assert procedure.name == "Đăng ký thay đổi, cải chính hộ tịch"
    assert not procedure.agencies.exists()
    assert v2.proposed == {"name": "Đăng ký thay đổi, cải chính, bổ sung hộ tịch", "agencies": ["000.01.00.H40"]}

    # The same changed payload again: the draft already says it.
    assert "Không thay đổi: 6" in run(write(tmp_path, records))
    assert ProcedureVersion.objects.filter(procedure=procedure).count() == 2

    # Back to what is in force: the draft is brought back too, and the report says so.
    back = run(SAMPLE)
    assert "1.004859 Đăng ký thay đổi, cải chính hộ tịch: cập nhật dự thảo v2; nay trùng phiên bản v1" in back
    assert draft("1.004859").proposed == {} and snapshot_version(draft("1.004859")) == before[-1]
    run(write(tmp_path, records))

    services.version_publish(version=draft("1.004859"))
    procedure.refresh_from_db()
    assert procedure.name == "Đăng ký thay đổi, cải chính, bổ sung hộ tịch"
    assert list(procedure.agencies.values_list("code", flat=True)) == ["000.01.00.H40"]
    assert ProcedureVersion.objects.get(pk=v1.pk).status == "retired"
    assert "Không thay đổi: 6" in run(write(tmp_path, records))


def test_excel_gives_the_same_drafts_as_json(tmp_path):
    workbook = tmp_path / "danhmuc.xlsx"
    out = io.StringIO()
    call_command("import_catalog", str(SAMPLE), "--write-excel", str(workbook), stdout=out)
    assert "Đã ghi 6 thủ tục" in out.getvalue()

    report = run(workbook)
    assert "Thủ tục mới (dự thảo v1): 6" in report and "Bị từ chối: 0" in report
    from_excel = {code: snapshot_version(draft(code)) for code in CODES}
    # The JSON finds nothing to change in what the workbook made.
    assert "Không thay đổi: 6" in run(SAMPLE)
    assert {code: snapshot_version(draft(code)) for code in CODES} == from_excel
    assert from_excel["1.004194"]["agencies"] == ("000.01.02.H40", "000.02.02.H40")


def test_bad_rows_are_refused_one_by_one_with_the_field_named(tmp_path):
    good = sample()[1]
    other = copy.deepcopy(good) | {"MATTHC": "2.001016", "TENTTHC": "Chứng thực văn bản từ chối nhận di sản"}
    no_name = copy.deepcopy(good) | {"MATTHC": "9.000001", "TENTTHC": ""}
    months = copy.deepcopy(good) | {"MATTHC": "9.000002"}
    months["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["DONVITINH"] = "Tháng"
    money = copy.deepcopy(good) | {"MATTHC": "9.000003"}
    money["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0]["SOTIEN"] = "hai mươi nghìn"
    ministry = copy.deepcopy(good) | {"MATTHC": "9.000004", "CAPTHUCHIEN": [{"CAPTHUCHIEN": "0"}]}
    copies = copy.deepcopy(good) | {"MATTHC": "9.000005"}
    copies["THANHPHANHOSO"][0]["GIAYTO"][0]["SOBANCHINH"] = "một"
    path = write(tmp_path, [good, no_name, months, money, ministry, copies, "không phải thủ tục", good, other])

    report = run(path)

    assert "Thủ tục mới (dự thảo v1): 2" in report and "Bị từ chối: 7" in report
    assert "mục 2 (9.000001): Tên thủ tục (TENTTHC) bị trống." in report
    assert (
        "mục 3 (9.000002 Chứng thực di chúc): Thời hạn giải quyết (DONVITINH) (kênh 1, mục 1): đơn vị “Tháng”" in report
    )
    assert "Phí, lệ phí (SOTIEN) (kênh 1, mục 1): “hai mươi nghìn” không phải số tiền hợp lệ." in report
    assert "Cấp thực hiện (CAPTHUCHIEN): thủ tục cấp bộ, không do tỉnh giải quyết." in report
    assert "Thành phần hồ sơ (SOBANCHINH) (nhóm 1, giấy tờ 1): “một” không phải số bản hợp lệ." in report
    assert "mục 7 (?): Mục không phải là một đối tượng JSON mô tả thủ tục." in report
    assert "mục 8 (2.001019 Chứng thực di chúc): Mã thủ tục (MATTHC) 2.001019 đã xuất hiện ở một mục trước" in report
    # The rows around the bad ones went in; the bad ones left nothing behind.
    assert set(Procedure.objects.filter(code__in=["2.001019", "2.001016"]).values_list("code", flat=True)) == {
        "2.001019",
        "2.001016",
    }
    assert not Procedure.objects.filter(code__startswith="9.").exists()


def test_excel_rows_that_fit_no_procedure_are_refused_naming_sheet_and_row(tmp_path):
    workbook = tmp_path / "danhmuc.xlsx"
    call_command("import_catalog", str(SAMPLE), "--write-excel", str(workbook), stdout=io.StringIO())
    book = openpyxl.load_workbook(workbook)
    book["ThanhPhanHoSo"].append(["7.777777", "", "Giấy tờ lạc", 1, 0])
    book["CachThucThucHien"]["H2"] = "mười nghìn"  # SOTIEN of the first procedure's fee
    book.save(workbook)

    report = run(workbook)

    assert "Thủ tục mới (dự thảo v1): 5" in report and "Bị từ chối: 2" in report
    assert "! trang ThuTuc, dòng 2 (2.000992" in report and "Phí, lệ phí (SOTIEN)" in report
    assert "! trang ThanhPhanHoSo, dòng 15 (7.777777): Mã thủ tục (MATTHC) “7.777777”" in report
    assert not Procedure.objects.filter(code="2.000992").exists()


def test_a_dry_run_reports_what_would_change_and_writes_nothing(tmp_path):
    before = rows()
    report = run(SAMPLE, "--dry-run")
    assert "Chạy thử (--dry-run)" in report and "Thủ tục mới (dự thảo v1): 6" in report
    assert rows() == before

    run(SAMPLE)
    v1 = publish(draft("2.001019"))
    before, published = rows(), frozen(v1)
    records = sample()
    records[1]["TENTTHC"] = "Chứng thực di chúc (sửa tên)"
    report = run(write(tmp_path, records), "--dry-run")
    assert "dự thảo mới v2; khác phiên bản v1 ở: tên thủ tục." in report
    assert rows() == before and frozen(v1) == published


def test_the_json_is_read_as_a_stream_and_a_broken_file_stops_after_the_good_records(tmp_path):
    records = [copy.deepcopy(sample()[1]) | {"MATTHC": f"8.{n:06d}"} for n in range(400)]
    path = write(tmp_path, records)
    source = JsonRecords(path)
    reader = iter(source)
    where, first = next(reader)
    assert where == "mục 1" and first["MATTHC"] == "8.000000"
    assert source.done < source.total / 4  # one record in, most of the file still unread
    reader.close()

    text = path.read_text(encoding="utf-8")
    broken = tmp_path / "broken.json"
    cut = text.index('"MATTHC": "8.000003"')
    broken.write_text(text[:cut] + '"MATTHC": "8.000003", "TENTTHC": }' + text[cut + 40 :], encoding="utf-8")
    with pytest.raises(CommandError, match="Tệp JSON hỏng gần byte"):
        run(broken)
    assert Procedure.objects.filter(code__startswith="8.").count() == 3


def _subprocess_env() -> dict:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "PYTHONPATH": "src",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}",
    }


# A real process: a dry run (it writes nothing to the shared test database).
COMMAND = (
    "import django; django.setup(); from django.core.management import call_command; "
    f"call_command('import_catalog', {str(SAMPLE)!r}, '--dry-run')"
)


def test_the_progress_bar_draws_in_place_on_a_terminal_and_stays_silent_when_piped():
    leader, follower = pty.openpty()
    # A terminal of 24 rows × 100 columns: tqdm draws nothing on a terminal with no rows.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-c", COMMAND],
        cwd=ROOT,
        env=_subprocess_env(),
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    output = b""
    while True:
        ready, _w, _x = select.select([leader], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait(timeout=60) == 0, output.decode(errors="replace")[-2000:]
    text = output.decode("utf-8", errors="replace")
    assert "Nhập danh mục" in text and "\r" in text.split("Nhập danh mục", 1)[1]
    assert "100%" in text and "Thủ tục mới (dự thảo v1): 6" in text

    piped = subprocess.run(
        [sys.executable, "-c", COMMAND], cwd=ROOT, env=_subprocess_env(), capture_output=True, text=True, timeout=120
    )
    assert piped.returncode == 0, piped.stderr[-2000:]
    assert "Thủ tục mới (dự thảo v1): 6" in piped.stdout
    assert "Nhập danh mục" not in piped.stderr and "\r" not in piped.stderr
