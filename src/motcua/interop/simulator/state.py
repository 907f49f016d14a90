"""What the simulated national portal holds and how it answers, without HTTP (server.py wraps it).

It speaks the default profile (contrib/dvcqg/profile.json): envelope `service`, `session`,
`madonvi`, `isUpdating`, `data`; answers `error_code` / `message`. It checks what the real portal
checks — required fields, code formats, `yyyyMMddHHmmss` dates — and answers error codes as the
real portal does, never a 500. Everything received is kept per MaHoSo in arrival order; a message
id seen before (the X-Message-Id header: delivery is at least once) is answered "0" and dropped.

Answer codes: "0" success · "-1" a required field is missing · "-2" a field has the wrong format ·
"-3" no or expired session · "-4" the dossier already exists (create) · "-5" no such dossier ·
"-6" wrong username or password · "-7" unknown service.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from datetime import datetime

OK, MISSING, FORMAT, SESSION, EXISTS, NOT_FOUND, LOGIN, SERVICE = "0", "-1", "-2", "-3", "-4", "-5", "-6", "-7"
MODES = ("up", "down", "slow", "malformed", "error", "forget")

DATE = re.compile(r"^\d{14}$")
PROCEDURE_CODE = re.compile(r"^\d\.\d{6}(\.[0-9A-Z.]+)?$")
UNIT_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")

SYNC_REQUIRED = ("MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "KenhThucHien", "ChuHoSo",
                 "LoaiDoiTuong", "TrichYeuHoSo", "NgayNopHoSo", "TrangThaiHoSo", "DonViXuLy", "TaiLieuNop",
                 "DanhSachLePhi", "DuocThanhToanTrucTuyen", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua",
                 "HoSoCoThanhPhanSoHoa")
SYNC_DATES = ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTuChoi", "NgayKetThucXuLy", "NgayTra")
# The dates each national status implies.
STATUS_DATES = {2: ("NgayTiepNhan", "NgayHenTra"), 3: ("NgayTuChoi",), 4: ("NgayTiepNhan", "NgayHenTra"),
                5: ("NgayTiepNhan", "NgayHenTra"), 6: ("NgayTiepNhan", "NgayHenTra"),
                9: ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy"),
                10: ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra")}
PROGRESS_REQUIRED = ("MaHoSo", "NguoiXuLy", "ThoiDiemXuLy", "PhongBanXuLy", "NoiDungXuLy", "TrangThai")
PROGRESS_DATES = ("ThoiDiemXuLy", "NgayBatDau", "NgayKetThucTheoQuyDinh")


class Invalid(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _int_in(value, allowed) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return value if isinstance(value, int) and value in allowed else None


def _check_date(record: dict, name: str) -> None:
    value = record.get(name)
    if value in (None, ""):
        return
    if not isinstance(value, str) or not DATE.match(value):
        raise Invalid(FORMAT, f"{name}: ngày phải có dạng yyyyMMddHHmmss")
    try:
        datetime.strptime(value, "%Y%m%d%H%M%S")
    except ValueError:
        raise Invalid(FORMAT, f"{name}: ngày không hợp lệ ({value})") from None


def _require(record: dict, names) -> None:
    for name in names:
        if record.get(name) in (None, "") and not isinstance(record.get(name), list):
            raise Invalid(MISSING, f"Thiếu trường bắt buộc {name}")


def check_sync(record: dict) -> None:
    if not isinstance(record, dict):
        raise Invalid(FORMAT, "Mỗi hồ sơ phải là một đối tượng JSON")
    _require(record, SYNC_REQUIRED)
    if not isinstance(record["MaHoSo"], str) or len(record["MaHoSo"]) > 64:
        raise Invalid(FORMAT, "MaHoSo không hợp lệ")
    if not PROCEDURE_CODE.match(str(record["MaTTHC"])):
        raise Invalid(FORMAT, "MaTTHC không đúng mã thủ tục trên Cơ sở dữ liệu quốc gia")
    if not UNIT_CODE.match(str(record["DonViXuLy"])):
        raise Invalid(FORMAT, "DonViXuLy không đúng mã định danh đơn vị")
    if _int_in(record["KenhThucHien"], (1, 2, 3)) is None:
        raise Invalid(FORMAT, "KenhThucHien phải là 1, 2 hoặc 3")
    if _int_in(record["LoaiDoiTuong"], (1, 2, 3, 4)) is None:
        raise Invalid(FORMAT, "LoaiDoiTuong phải từ 1 đến 4")
    status = _int_in(record["TrangThaiHoSo"], range(1, 11))
    if status is None:
        raise Invalid(FORMAT, "TrangThaiHoSo phải từ 1 đến 10")
    for flag in ("DuocThanhToanTrucTuyen", "HoSoCoThanhPhanSoHoa"):
        if _int_in(record[flag], (0, 1)) is None:
            raise Invalid(FORMAT, f"{flag} phải là 0 hoặc 1")
    for name in SYNC_DATES:
        _check_date(record, name)
    _require(record, STATUS_DATES.get(status, ()))
    for name in ("TaiLieuNop", "DanhSachLePhi", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua", "DinhDanhCHS"):
        if name in record and not isinstance(record[name], list):
            raise Invalid(FORMAT, f"{name} phải là một danh sách")
    for paper in record["TaiLieuNop"]:
        if not isinstance(paper, dict) or not paper.get("TenTepDinhKem"):
            raise Invalid(MISSING, "TaiLieuNop: thiếu TenTepDinhKem")
        for flag in ("DuocSoHoa", "DuocTaiSuDung"):
            if _int_in(paper.get(flag), (0, 1)) is None:
                raise Invalid(FORMAT, f"TaiLieuNop.{flag} phải là 0 hoặc 1")
    for ident in record.get("DinhDanhCHS") or []:
        kind = _int_in(ident.get("LoaiDinhDanh") if isinstance(ident, dict) else None, (1, 2, 3))
        if kind is None:
            raise Invalid(FORMAT, "DinhDanhCHS.LoaiDinhDanh không hợp lệ")
        if kind == 1 and not re.fullmatch(r"\d{12}", str(ident.get("SoDinhDanh", ""))):
            raise Invalid(FORMAT, "DinhDanhCHS: số định danh cá nhân phải có 12 chữ số")
    for fee in record["DanhSachLePhi"]:
        if not isinstance(fee, dict) or not fee.get("TenPhiLePhi") or not isinstance(fee.get("Gia"), int):
            raise Invalid(FORMAT, "DanhSachLePhi: mỗi khoản cần TenPhiLePhi và Gia (số nguyên)")


def check_progress(record: dict) -> None:
    if not isinstance(record, dict):
        raise Invalid(FORMAT, "Mỗi bước xử lý phải là một đối tượng JSON")
    _require(record, PROGRESS_REQUIRED)
    if _int_in(record["TrangThai"], range(1, 11)) is None:
        raise Invalid(FORMAT, "TrangThai phải từ 1 đến 10")
    for name in PROGRESS_DATES:
        _check_date(record, name)


def _answer(code: str, message: str, **extra) -> dict:
    return {"error_code": code, "message": message, **extra}


class State:
    def __init__(self, *, username: str = "motcua-demo", password: str = "demo", session_seconds: float = 3600):
        self.username, self.password, self.session_seconds = username, password, session_seconds
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.mode = "up"
            self.seconds = 0.0
            self.error_code = "99"
            self.error_message = "Lỗi hệ thống"
            self.sessions: dict[str, float] = {}
            self.dossiers: dict[str, dict] = {}  # MaHoSo → the latest full state received
            self.log: dict[str, list[dict]] = {}  # MaHoSo → every message received, in order
            self.seen: set[str] = set()
            self.calls = 0
            self.duplicates = 0
            self.forgotten = 0
            self.logins = 0
            self.feed = None  # the inbound feed's own state (feed.py), created on first use

    def set_mode(self, mode: str, *, seconds: float = 0, error_code: str = "99", message: str = "") -> None:
        if mode not in MODES:
            raise ValueError(mode)
        with self.lock:
            self.mode, self.seconds = mode, float(seconds or 0)
            self.error_code = str(error_code or "99")
            self.error_message = message or "Lỗi hệ thống"

    def expire_sessions(self) -> None:
        with self.lock:
            self.sessions.clear()

    def snapshot(self) -> dict:
        with self.lock:
            return {"mode": self.mode, "seconds": self.seconds, "error_code": self.error_code,
                    "calls": self.calls, "logins": self.logins, "duplicates": self.duplicates,
                    "forgotten": self.forgotten, "dossiers": dict(self.dossiers),
                    "log": {code: list(entries) for code, entries in self.log.items()}}

    def statuses(self, code: str) -> list[tuple[str, int]]:
        """(service, national status) of every message kept for `code`, in arrival order."""
        with self.lock:
            return [(e["service"], e["status"]) for e in self.log.get(code, [])]

    # --- the services ------------------------------------------------------------------------

    def handle(self, body, message_id: str = "") -> dict:
        """One service call (already past the mode checks)."""
        if not isinstance(body, dict):
            return _answer(FORMAT, "Yêu cầu phải là một đối tượng JSON")
        service = body.get("service")
        with self.lock:
            self.calls += 1
            if service == "LayPhienLamViec":
                return self._login(body)
            expires = self.sessions.get(str(body.get("session") or ""))
            if expires is None or expires < time.monotonic():
                return _answer(SESSION, "Phiên làm việc không hợp lệ hoặc đã hết hạn")
            try:
                if service == "DongBoHoSoMC":
                    return self._sync(body, message_id)
                if service == "CapNhatTienDoHoSoMC":
                    return self._progress(body, message_id)
                if service == "TraCuuHoSo":
                    return self._lookup(body)
            except Invalid as exc:
                return _answer(exc.code, exc.message)
            return _answer(SERVICE, f"Dịch vụ không được hỗ trợ: {service}")

    def _login(self, body: dict) -> dict:
        if body.get("username") != self.username or body.get("password") != self.password:
            return _answer(LOGIN, "Sai tên đăng nhập hoặc mật khẩu")
        token = secrets.token_hex(16)
        self.sessions[token] = time.monotonic() + self.session_seconds
        self.logins += 1
        return _answer(OK, "Thành công", session=token)

    def _records(self, body: dict) -> list:
        data = body.get("data")
        if not isinstance(data, list) or not data:
            raise Invalid(MISSING, "Thiếu danh sách data")
        return data

    def _duplicate(self, message_id: str) -> bool:
        if message_id and message_id in self.seen:
            self.duplicates += 1
            return True
        return False

    def _keep(self, message_id: str, code: str, entry: dict) -> None:
        if self.mode == "forget":
            self.forgotten += 1
            return  # accepted, then lost: nothing kept, not even the id
        if message_id:
            self.seen.add(message_id)
        self.log.setdefault(code, []).append(entry)

    def _sync(self, body: dict, message_id: str) -> dict:
        records = self._records(body)
        for record in records:
            check_sync(record)
        if self._duplicate(message_id):
            return _answer(OK, "Thành công (đã nhận trước đó)")
        updating = str(body.get("isUpdating", "false")).lower() == "true"
        for record in records if self.mode != "forget" else ():  # forgetting, it says yes to anything valid
            code = record["MaHoSo"]
            if not updating and code in self.dossiers:
                return _answer(EXISTS, f"Hồ sơ {code} đã tồn tại")
            if updating and code not in self.dossiers:
                return _answer(NOT_FOUND, f"Không tìm thấy hồ sơ {code}")
        for record in records:
            code = record["MaHoSo"]
            status = _int_in(record["TrangThaiHoSo"], range(1, 11))
            self._keep(message_id, code, {"service": "DongBoHoSoMC", "status": status, "updating": updating,
                                          "message_id": message_id, "data": record})
            if self.mode != "forget":
                self.dossiers[code] = record
        return _answer(OK, "Thành công")

    def _progress(self, body: dict, message_id: str) -> dict:
        records = self._records(body)
        for record in records:
            check_progress(record)
        if self._duplicate(message_id):
            return _answer(OK, "Thành công (đã nhận trước đó)")
        for record in records if self.mode != "forget" else ():
            if record["MaHoSo"] not in self.dossiers:
                return _answer(NOT_FOUND, f"Không tìm thấy hồ sơ {record['MaHoSo']}")
        for record in records:
            self._keep(message_id, record["MaHoSo"], {
                "service": "CapNhatTienDoHoSoMC", "status": _int_in(record["TrangThai"], range(1, 11)),
                "message_id": message_id, "data": record})
        return _answer(OK, "Thành công")

    def _lookup(self, body: dict) -> dict:
        code = body.get("MaHoSo")
        if not code:
            raise Invalid(MISSING, "Thiếu trường bắt buộc MaHoSo")
        record = self.dossiers.get(code)
        if record is None:
            return _answer(NOT_FOUND, f"Không tìm thấy hồ sơ {code}")
        steps = [e["data"] for e in self.log.get(code, []) if e["service"] == "CapNhatTienDoHoSoMC"]
        return _answer(OK, "Thành công", result={**record, "QuaTrinhXuLy": steps})
