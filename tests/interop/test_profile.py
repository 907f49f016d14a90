"""What differs by province is data: DVCQG_PROFILE names a JSON file that renames fields and adds
constant extras; stored payloads keep the national names and are rendered at delivery."""

import json

from motcua.interop.contrib.dvcqg import profile


def test_the_shipped_profile_speaks_the_national_names(settings):
    settings.DVCQG_PROFILE = ""
    shipped = profile.load()
    assert shipped.service("sync") == "DongBoHoSoMC" and shipped.service("login") == "LayPhienLamViec"
    assert shipped.codes("success_codes") == {"0", "00"}
    assert shipped.render("DongBoHoSoMC", {"ChuHoSo": "A"}) == {"ChuHoSo": "A"}


def test_a_provinces_profile_renames_fields_and_adds_its_extras(settings, tmp_path):
    raw = json.loads(profile.DEFAULT_PATH.read_text(encoding="utf-8"))
    raw["fields"] = {"ChuHoSo": "TenChuHoSo", "DuocSoHoa": "IsSoHoa"}
    raw["extras"] = {"DongBoHoSoMC": {"MaTinh": "40"}, "CapNhatTienDoHoSoMC": {}}
    raw["success_codes"] = ["0", "00", "200"]
    path = tmp_path / "nghe-an.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    settings.DVCQG_PROFILE = str(path)
    province = profile.load()
    rendered = province.render("DongBoHoSoMC", {"ChuHoSo": "A", "TaiLieuNop": [{"DuocSoHoa": 1}]})
    assert rendered == {"TenChuHoSo": "A", "TaiLieuNop": [{"IsSoHoa": 1}], "MaTinh": "40"}
    assert province.read({"TenChuHoSo": "A"}) == {"ChuHoSo": "A"}
    assert "200" in province.codes("success_codes")
