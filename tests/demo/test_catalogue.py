"""The demo catalogue as data: the files read back whole, every procedure sourced and graded."""

from motcua.demo import catalogue


def test_the_catalogue_keeps_its_rules():
    assert catalogue.validate() == []
    assert len(catalogue.PROCEDURES) == 25


def test_every_procedure_names_its_legal_sources_and_confidence():
    for procedure in catalogue.PROCEDURES:
        assert procedure["sources"] and all(
            key in catalogue.SOURCES for key in procedure["sources"]
        )
        assert procedure["confidence"] in {"C", "S", "M"}
        if procedure["code"].startswith("DEMO."):
            assert "giả định" in procedure["note"]


def test_shared_processes_are_copied_per_procedure_and_notes_for_people_are_dropped():
    birth = next(p for p in catalogue.PROCEDURES if p["code"] == "1.001193")
    death = next(p for p in catalogue.PROCEDURES if p["code"] == "1.000656")
    assert birth["process"] == death["process"] and birth["process"] is not death["process"]
    assert birth["process"][0] is not death["process"][0]
    assert birth["process"][-1]["is_return"] is True
    assert all("comment" not in case for case in birth["cases"]) and "process_comment" not in birth
    assert [case["key"] for case in birth["cases"]] == ["default", "qua_han"]


def test_online_forms_belong_to_catalogue_procedures():
    codes = {p["code"] for p in catalogue.PROCEDURES}
    assert set(catalogue.ONLINE_FIELDS) <= codes
    birth = catalogue.ONLINE_FIELDS["1.001193"]
    assert birth[0]["key"] == "tre_ho_ten" and birth[-1]["key"] == "cam_doan"
