"""Agency tree, administrative units import, calendar overrides applied by the clock."""

from datetime import date, time
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from motcua.agencies.models import AdministrativeUnit, Agency, CalendarOverride, CalendarYear
from motcua.dossiers import clock
from tests.dossiers.factories import receive
from tests.moments import local

pytestmark = pytest.mark.django_db


def test_units_import_has_34_provinces_and_3321_communes_and_is_idempotent():
    # The test world holds Nghệ An and two of its communes, as the import writes them.
    call_command("import_units", no_progress=True, stdout=StringIO())
    assert AdministrativeUnit.objects.filter(kind="province").count() == 34
    assert AdministrativeUnit.objects.filter(kind="commune").count() == 3321
    out = StringIO()
    call_command("import_units", no_progress=True, stdout=out)
    assert "Thêm mới 0, cập nhật 0, giữ nguyên 3355" in out.getvalue()
    assert AdministrativeUnit.objects.get(kind="province", gso_code=40).name == "Nghệ An"


def test_units_import_repairs_a_changed_name():
    unit = AdministrativeUnit.objects.get(kind="province", gso_code=40)
    unit.name = "Sai tên"
    unit.save()
    out = StringIO()
    call_command("import_units", no_progress=True, stdout=out)
    assert "cập nhật 1" in out.getvalue()
    assert AdministrativeUnit.objects.get(pk=unit.pk).name == "Nghệ An"


def test_subtree_follows_the_tree_and_moves(world):
    assert set(world.province.subtree()) >= {
        world.commune_a,
        world.desk_a,
        world.police_a,
        world.commune_b,
    }
    assert world.commune_b not in world.commune_a.subtree()
    world.police_a.parent = world.commune_b
    world.police_a.save()
    assert world.police_a in Agency.objects.get(pk=world.commune_b.pk).subtree()
    assert world.police_a not in Agency.objects.get(pk=world.commune_a.pk).subtree()


def test_invalid_work_hours_are_refused_in_vietnamese(world):
    world.desk_a.work_hours = "17:00-07:30"
    with pytest.raises(ValidationError) as exc:
        world.desk_a.full_clean()
    assert "Giờ bắt đầu phải trước giờ kết thúc" in str(exc.value.message_dict["work_hours"])


def test_unapproved_overrides_are_ignored_and_approved_ones_applied(world, freeze):
    year = CalendarYear.objects.create(year=2026)
    CalendarOverride.objects.create(
        year=year, date=date(2026, 3, 3), kind="day_off", reason="Nghỉ bù (giả định)"
    )
    CalendarOverride.objects.create(
        year=year, date=date(2026, 3, 7), kind="working_day", reason="Làm bù (giả định)"
    )
    cal = clock.calendar_for(world.commune_a)
    assert cal.is_working_day(date(2026, 3, 3)) and not cal.is_working_day(date(2026, 3, 7))
    year.approved = True
    year.save()
    cal = clock.calendar_for(world.commune_a)
    assert not cal.is_working_day(date(2026, 3, 3)) and cal.is_working_day(date(2026, 3, 7))
    freeze(local(2026, 3, 2, 10, 0))
    # Monday + 2 working days, Tuesday off → Thursday 10:00.
    assert receive(world).due_at == local(2026, 3, 5, 10, 0)


def test_holidays_draft_knows_2026(world):
    cal = clock.calendar_for(world.commune_a)
    assert not cal.is_working_day(date(2026, 2, 17))  # Tết
    assert not cal.is_working_day(date(2026, 11, 24))  # Ngày Văn hóa Việt Nam, from 2026
    assert cal.is_working_day(date(2026, 8, 22))  # make-up Saturday


def test_agency_hours_drive_its_calendar(world, freeze):
    world.commune_a.work_hours = "08:00-12:00,13:30-17:30"
    world.commune_a.save()
    cal = clock.calendar_for(world.commune_a)
    assert cal.hours == ((time(8), time(12)), (time(13, 30), time(17, 30)))
    freeze(local(2026, 3, 2, 7, 45))
    assert receive(world).clock_started_at == local(2026, 3, 2, 8, 0)
