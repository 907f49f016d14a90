"""Agencies of the test world: a province (Nghệ An) with its one-stop centre and social
insurance, two communes each with a one-stop desk and a police post; memberships with roles.

Agency identifiers follow the demo's shape (000.NN.0K.H40) because the tests read them in
dossier codes; the administrative units carry their real GSO codes and names, so papers say
"Nghệ An" and "UBND Phường Thành Vinh" as the real import would."""

from motcua.agencies.models import AdministrativeUnit, Agency, Membership, Position

PROVINCE = (40, "Nghệ An", "tỉnh")
COMMUNES = [(16681, "Phường Thành Vinh", "phường"), (16690, "Phường Trường Vinh", "phường")]

POSITIONS = {
    "van_thu": "Văn thư",
    "truong_phong": "Trưởng bộ phận chuyên môn",
    "chu_tich": "Chủ tịch UBND",
    "pho_chu_tich": "Phó Chủ tịch UBND",
}


def unit(kind: str, gso_code: int, name: str, unit_type: str, province=None) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get_or_create(
        kind=kind,
        gso_code=gso_code,
        defaults={"name": name, "unit_type": unit_type, "province": province},
    )[0]


def agency(code: str, name: str, level: str, parent: Agency | None = None, **extra) -> Agency:
    # Marked `demo`: fictitious agencies (the dossier generator spreads its dossiers over these).
    return Agency.objects.create(
        code=code, name=name, level=level, parent=parent, demo=True, **extra
    )


def position(code: str) -> Position:
    return Position.objects.get_or_create(code=code, defaults={"name": POSITIONS[code]})[0]


def member(
    user, agency: Agency, *roles: str, position_code: str | None = None, active: bool = True
):
    """Give `user` each role at `agency` (with a position, e.g. "chu_tich"); returns the user."""
    pos = position(position_code) if position_code else None
    for role in roles:
        Membership.objects.create(user=user, agency=agency, role=role, position=pos, active=active)
    return user


def build_agencies() -> dict[str, Agency]:
    """The agency tree, keyed as the `world` fixture names its nodes."""
    for code in POSITIONS:
        position(code)
    gso, province_name, province_type = PROVINCE
    province_unit = unit(AdministrativeUnit.Kind.PROVINCE, gso, province_name, province_type)
    p = f"H{gso:02d}"
    Level = Agency.Level
    out = {
        "province": agency(
            f"000.00.00.{p}", f"UBND {province_name}", Level.PROVINCE, unit=province_unit
        )
    }
    out["centre"] = agency(
        f"000.00.01.{p}",
        f"Trung tâm Phục vụ hành chính công {province_name}",
        Level.CENTRE,
        out["province"],
        has_desk=True,
    )
    out["insurance"] = agency(
        f"000.00.02.{p}",
        f"Bảo hiểm xã hội {province_name}",
        Level.DEPARTMENT,
        out["province"],
        vertical=True,
        kind="social_insurance",
    )
    for n, (suffix, (code, name, unit_type)) in enumerate(zip("ab", COMMUNES), start=1):
        commune_unit = unit(AdministrativeUnit.Kind.COMMUNE, code, name, unit_type, province_unit)
        commune = agency(
            f"000.{n:02d}.00.{p}", f"UBND {name}", Level.COMMUNE, out["province"], unit=commune_unit
        )
        out[f"commune_{suffix}"] = commune
        out[f"desk_{suffix}"] = agency(
            f"000.{n:02d}.01.{p}",
            f"Trung tâm Phục vụ hành chính công {name}",
            Level.CENTRE,
            commune,
            has_desk=True,
        )
        out[f"police_{suffix}"] = agency(
            f"000.{n:02d}.02.{p}",
            f"Công an {name}",
            Level.DEPARTMENT,
            commune,
            vertical=True,
            kind="police",
        )
    return out
