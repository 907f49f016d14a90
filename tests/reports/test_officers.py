"""Figures per officer and per step, with step outcomes against each step's own budget, and the
officers' statistics page.

Contract certification 2.001035 at commune A: steps of 1 h (receiver), 1 h (head), 8 h
(specialist), 2 h (head), 3 h (leader), 1 h (clerk), then the return. Received Monday 02/03/2026
09:00; the times below make step 2 and step 6 late, the rest early or on time.
"""

import html
import re
from datetime import date

from motcua.dossiers import clock
from motcua.reports.officers import officer_figures
from tests.reports.factories import CLERK_STEP, HEAD_STEP, MARCH
from tests.reports.factories import OFFICERS_NOW as NOW
from tests.reports.pages import PERIOD, listed, number_links


def _by_name(lines):
    return {f.officer.username: f for f in lines}


def test_each_officer_is_credited_with_the_steps_they_finished(world, worked, settings):
    settings.RATING_MIN_COUNT = 1  # the one kiosk rating counted (withholding: the test below)
    dossier, waiting = worked
    lines, steps = officer_figures(world.manager, agency=world.commune_a, **MARCH, now=NOW)
    got = {
        name: (
            f.steps["finished_steps"],
            f.steps["early_steps"],
            f.steps["on_time_steps"],
            f.steps["late_steps"],
        )
        for name, f in _by_name(lines).items()
    }
    assert got == {
        "tiepnhan": (1, 0, 1, 0), "truongbophan": (2, 0, 1, 1), "chuyenvien": (1, 1, 0, 0),
        "lanhdao": (1, 1, 0, 0), "vanthu": (1, 0, 0, 1),
    }
    by = _by_name(lines)
    assert by["tiepnhan"].steps["open_steps"] == 1 and by["tiepnhan"].dossiers["open_steps"] == {
        waiting.pk
    }
    assert by["vanthu"].dossiers["late_steps"] == {dossier.pk}
    # Working time held: the receiver 30 min; the clerk Monday 15:30–17:00, Tuesday, Wednesday
    # 07:30–09:00.
    assert by["tiepnhan"].held_seconds == 1800
    assert by["vanthu"].held_seconds == (90 + 480 + 90) * 60
    assert by["truongbophan"].held_seconds == (150 + 30) * 60
    assert by["tiepnhan"].rating.total == 1 and by["vanthu"].rating.total == 0
    late_steps = {s.name: (s.finished, s.late) for s in steps}
    assert late_steps[HEAD_STEP] == (1, 1) and late_steps[CLERK_STEP] == (1, 1)
    assert sum(s.late for s in steps) == 2


def test_step_outcomes_agree_with_the_dossier_time_report(world, worked):
    dossier, _waiting = worked
    report = clock.time_report(dossier, now=NOW)
    late = {s.name for s in report.steps if s.outcome == "late"}
    _lines, steps = officer_figures(world.manager, agency=world.commune_a, **MARCH, now=NOW)
    assert late == {s.name for s in steps if s.late}


def test_an_officer_who_manages_nothing_sees_only_their_own_line(world, worked):
    lines, steps = officer_figures(world.head, agency=world.commune_a, **MARCH, now=NOW)
    assert [f.officer.username for f in lines] == ["truongbophan"]
    assert steps == []


def test_the_outsider_sees_no_officer_of_commune_a(world, worked):
    lines, steps = officer_figures(world.outsider, agency=world.commune_a, **MARCH, now=NOW)
    assert lines == [] and steps == []


def test_steps_finished_outside_the_period_are_not_counted(world, worked):
    lines, steps = officer_figures(world.manager, agency=world.commune_a, start=date(2026, 4, 1),
                                   end=date(2026, 4, 30), now=NOW)
    assert all(f.steps["finished_steps"] == 0 for f in lines) and steps == []
    assert _by_name(lines)["tiepnhan"].steps["open_steps"] == 1  # held now, whatever the period


# --- the officers' page ---------------------------------------------------------------------------


def test_officer_page_numbers_open_their_dossiers(client, world, worked):
    client.force_login(world.manager)
    page = client.get(f"/thong-ke/can-bo/?co_quan={world.commune_a.pk}&{PERIOD}").content.decode()
    assert "Theo bước xử lý" in page and "Lãnh đạo phòng chuyên môn phân công xử lý" in page
    # The first row: the officer with the most late steps.
    row = re.search(r'<tr data-officer="[^"]*">(.*?)</tr>', page, re.S).group(1)
    links = number_links(row)
    assert len(links) == 5
    for url, number in links:
        assert listed(client, url) == int(number), url


def test_a_specialist_sees_only_their_own_line(client, world, worked):
    client.force_login(world.specialist)
    page = client.get(f"/thong-ke/can-bo/?co_quan={world.commune_a.pk}&{PERIOD}").content.decode()
    assert page.count("data-officer=") == 1 and "Theo bước xử lý" not in page
    other = re.search(r'href="([^"]*can_bo=(\d+)[^"]*)"', page)
    assert int(other.group(2)) == world.specialist.pk
    url = html.unescape(other.group(1)).replace(
        f"can_bo={world.specialist.pk}", f"can_bo={world.clerk.pk}"
    )
    assert client.get(url).status_code == 404


def test_the_outsider_gets_no_officer_list_of_commune_a(client, world, worked):
    client.force_login(world.manager)
    page = client.get(f"/thong-ke/can-bo/?co_quan={world.commune_a.pk}&{PERIOD}").content.decode()
    url = html.unescape(re.search(r'href="(/thong-ke/can-bo/ho-so/[^"]+)"', page).group(1))
    assert client.get(url).status_code == 200
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    # Naming their own desk instead does not reach commune A's officers either.
    other = url.replace(f"co_quan={world.commune_a.pk}", f"co_quan={world.desk_b.pk}")
    assert client.get(other).status_code == 404


def test_one_rating_of_an_officer_is_withheld_on_the_page(client, world, worked):
    # "1 lượt, 100 % hài lòng" told the officer how the one citizen rated him (#12 point 17).
    lines, _steps = officer_figures(world.manager, agency=world.commune_a, **MARCH, now=NOW)
    assert _by_name(lines)["tiepnhan"].rating.withheld
    client.force_login(world.manager)
    page = client.get(f"/thong-ke/can-bo/?co_quan={world.commune_a.pk}&{PERIOD}").content.decode()
    row = re.search(r'<tr data-officer="Nguyễn Thị Tiếp Nhận">(.*?)</tr>', page, re.S).group(1)
    # The last two cells: the number of ratings and the satisfaction share.
    assert row.endswith('<td class="num">dưới 5</td><td class="num">—</td>'), row
