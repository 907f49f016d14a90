"""Accounts of the test world: one officer per role (with the demo's usernames, which the tests
and the browser journeys log in with), a citizen and an administrator."""

from django.contrib.auth import get_user_model

from motcua.agencies.models import Role
from tests.agencies.factories import member

# username, full name (family name first), agency key, roles, position
OFFICERS = [
    ("tiepnhan", "Nguyễn Thị Tiếp Nhận", "desk_a", [Role.RECEIVER], None),
    ("chuyenvien", "Trần Văn Thẩm Định", "commune_a", [Role.SPECIALIST], None),
    (
        "truongbophan",
        "Lê Thị Trưởng Bộ Phận",
        "commune_a",
        [Role.SPECIALIST, Role.LEADER],
        "truong_phong",
    ),
    ("lanhdao", "Phạm Văn Lãnh Đạo", "commune_a", [Role.LEADER], "chu_tich"),
    ("vanthu", "Hoàng Thị Văn Thư", "commune_a", [Role.SPECIALIST], "van_thu"),
    ("congan", "Đặng Văn Công An", "police_a", [Role.SPECIALIST, Role.LEADER], "truong_phong"),
    ("baohiem", "Vũ Thị Bảo Hiểm", "insurance", [Role.SPECIALIST, Role.LEADER], None),
    ("quanly", "Bùi Văn Quản Lý", "province", [Role.MANAGER], None),
    ("tiepnhan2", "Đỗ Thị Xã Khác", "desk_b", [Role.RECEIVER], None),
]
CITIZEN = ("congdan", "Ngô Văn Công Dân")
ADMIN = ("quantri", "Quản trị hệ thống")


PASSWORD = "Mat-khau-2026!"  # a citizen registered in a test


def password_of(username: str) -> str:
    """Every account of the test world logs in with this password."""
    return f"{username}-test-2026"


def user(username: str, full_name: str = "", *, password: str | None = None, **extra):
    """An account; `full_name` in Vietnamese order ("Nguyễn Văn An": family name first)."""
    last, _sep, first = full_name.rpartition(" ")
    account = get_user_model()(username=username, first_name=first, last_name=last, **extra)
    account.set_password(password or password_of(username))
    account.save()
    return account


def officer(username: str, full_name: str, agency, *roles: str, position_code: str | None = None):
    return member(user(username, full_name), agency, *roles, position_code=position_code)


def citizen(username: str = CITIZEN[0], full_name: str = CITIZEN[1], **extra):
    return user(username, full_name, **extra)


def admin(username: str = ADMIN[0], full_name: str = ADMIN[1]):
    return user(username, full_name, is_staff=True, is_superuser=True)


def build_accounts(agencies: dict) -> dict:
    """The world's accounts by username."""
    out = {name: officer(name, full_name, agencies[key], *roles, position_code=pos)
           for name, full_name, key, roles, pos in OFFICERS}
    out[CITIZEN[0]] = citizen()
    out[ADMIN[0]] = admin()
    return out
