"""The pilot dashboard (/assessment/): who sees what, the figures pooled as Σ numerators ÷ Σ denominators by arm and
week, drilling down, the filters, the Excel file, a fixed number of queries and the empty states."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from telework.accounts.models import Role
from telework.assessment import dashboard
from telework.assessment.tests.dashboard_data import WEEKS_BEFORE, launched_city, on_time, panel_rows, weeks, write_values
from telework.assessment.tests.factories import build_phased_pilot
from telework.organization.models import Staff
from telework.organization.tests.factories import StaffFactory, UnitFactory
from telework.outcomes.models import OutcomeValue
from telework.policy.models import PilotPhase

URL = "/assessment/"


@pytest.fixture
def city(db):
    return launched_city()


def text(response) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def role_user(unit, role):
    staff = Staff.objects.filter(unit=unit).select_related("user").first()
    staff.user.role = role
    staff.user.save(update_fields=["role"])
    return staff.user


def pooled(city, units, week):
    counts = [on_time(city, unit, week) for unit in units]
    return sum(n for n, _ in counts) / sum(d for _, d in counts)


def percent(value: float) -> str:
    return f"{value * 100:.1f}".replace(".", ",") + " %"


def test_the_url_names_are_fixed_for_the_benchmark():
    assert reverse("assessment:dashboard") == URL
    assert reverse("assessment:dashboard_excel") == URL + "dashboard.xlsx"


# ------------------------------------------------------------------------------------------------------------- scope


@pytest.mark.parametrize("who", ["leadership", "home_affairs"])
def test_leadership_and_home_affairs_see_the_whole_city_by_agency(city, client, who):
    client.force_login(getattr(city.world, who))
    response = client.get(URL)
    assert response.status_code == 200
    board = response.context["board"]
    assert board.level == "city"
    assert [row.label for row in board.breakdown] == ["Sở Tư pháp", "Sở Y tế"]
    assert board.breakdown[0].arm == "thí điểm 3 · đối chứng 3"


def test_staff_get_the_403_page_in_the_sites_layout(city, client):
    client.force_login(city.world.staff_user)
    response = client.get(URL)
    assert response.status_code == 403
    assert 'class="navbar' in response.content.decode()
    assert client.get(reverse("assessment:dashboard_excel")).status_code == 403


def test_an_agency_head_sees_their_agency_and_no_other(city, client):
    head = role_user(city.world.units[0], Role.AGENCY_HEAD)
    client.force_login(head)
    board = client.get(URL).context["board"]
    assert board.level == "agency"
    assert board.agency == city.world.agencies[0]
    assert [crumb.label for crumb in board.crumbs] == ["Sở Tư pháp"]
    assert [row.label for row in board.breakdown] == [unit.name for unit in city.world.units[:6]]
    assert client.get(URL, {"agency": city.world.agencies[1].pk}).status_code == 404
    assert client.get(URL, {"unit": city.world.units[7].pk}).status_code == 404
    assert client.get(reverse("assessment:dashboard_excel"), {"agency": city.world.agencies[1].pk}).status_code == 404


def test_a_unit_head_sees_their_subtree_only(city, client):
    unit = city.world.units[2]
    child = UnitFactory(agency=unit.agency, parent=unit, name="Tổ một cửa")
    StaffFactory(unit=child)
    write_values([(child, weeks(city)[-1], "dossier_on_time_rate", 5.0, 10.0)])
    head = role_user(unit, Role.UNIT_HEAD)
    client.force_login(head)
    board = client.get(URL).context["board"]
    assert board.level == "unit"
    assert board.unit == unit
    assert [row.label for row in board.breakdown] == [unit.name, "Tổ một cửa"]
    assert board.breakdown[0].url == ""  # the unit itself is not a link; its child is
    assert f"unit={child.pk}" in board.breakdown[1].url
    assert client.get(URL, {"unit": city.world.units[3].pk}).status_code == 404
    assert client.get(URL, {"agency": city.world.agencies[1].pk}).status_code == 404


# ----------------------------------------------------------------------------------------------------------- figures


def test_the_trend_pools_each_arm_as_a_sum_of_numerators_over_a_sum_of_denominators(city, client):
    client.force_login(city.world.leadership)
    board = client.get(URL).context["board"]
    pilot, comparison = board.trend.series
    assert (pilot.key, comparison.key) == ("pilot", "comparison")
    before, since = city.start - dt.timedelta(weeks=1), city.start
    assert pilot.points[board.trend.weeks.index(since)].value == pytest.approx(pooled(city, city.pilot_units, since))
    assert pilot.points[board.trend.weeks.index(before)].value == pytest.approx(pooled(city, city.pilot_units, before))
    assert comparison.points[board.trend.weeks.index(since)].value == pytest.approx(pooled(city, city.comparison_units, since))
    # Not the mean of the units' rates: units of different sizes weigh by their dossiers.
    rates = [on_time(city, unit, before)[0] / on_time(city, unit, before)[1] for unit in city.pilot_units]
    assert pilot.points[board.trend.weeks.index(before)].value != pytest.approx(sum(rates) / len(rates))
    # The week in the table reads the same number.
    table = dict(board.trend.rows())
    assert table[since][0] == percent(pooled(city, city.pilot_units, since))
    # This week has no row yet: no value (not zero).
    assert pilot.points[-1].value is None


def test_the_charts_mark_the_phase_start_and_carry_the_table_numbers(city, client):
    client.force_login(city.world.leadership)
    response = client.get(URL)
    chart = response.context["trend_chart"]
    assert chart["markers"] == [{"index": chart["labels"].index(city.start.strftime("%d/%m/%Y")), "label": "Giai đoạn 1 bắt đầu"}]
    index = chart["labels"].index(city.start.strftime("%d/%m/%Y"))
    assert chart["series"][0]["values"][index] == pytest.approx(round(100 * pooled(city, city.pilot_units, city.start), 3))
    content = response.content.decode()
    assert 'id="trend-data"' in content
    assert "<script>" not in content  # the data comes in json_script blocks, the code from static files
    assert "/static/vendor/chart.js/dist/chart.umd.js" in content
    assert "/static/assessment/dashboard.js" in content
    assert 'id="trend-table"' in content
    assert 'id="satisfaction-table"' in content
    assert 'id="participation-table"' in content


def test_the_breakdown_splits_before_and_since_the_start_and_drills_down(city, client):
    client.force_login(city.world.leadership)
    board = client.get(URL).context["board"]
    justice = board.breakdown[0]
    before_weeks = [week for week in weeks(city) if week < city.start]
    units = city.world.units[:6]
    numerator = sum(on_time(city, unit, week)[0] for unit in units for week in before_weeks)
    denominator = sum(on_time(city, unit, week)[1] for unit in units for week in before_weeks)
    assert justice.before.numerator == numerator
    assert justice.before.denominator == denominator
    assert justice.before.value == pytest.approx(numerator / denominator)
    response = client.get(URL + justice.url)
    agency_board = response.context["board"]
    assert agency_board.level == "agency"
    assert [crumb.label for crumb in agency_board.crumbs] == ["Toàn Thành phố", "Sở Tư pháp"]
    assert {row.arm for row in agency_board.breakdown} == {"Thí điểm", "Đối chứng"}
    unit_board = client.get(URL + agency_board.breakdown[0].url).context["board"]
    assert unit_board.level == "unit"
    assert [crumb.label for crumb in unit_board.crumbs] == ["Toàn Thành phố", "Sở Tư pháp", city.world.units[0].name]


def test_participation_counts_the_people_in_the_rosters_and_their_bands(city, client):
    client.force_login(city.world.leadership)
    board = client.get(URL).context["board"]
    first = board.participation[0]
    assert first.week == weeks(city)[0]
    assert (first.people, first.at_home, first.one_day, first.two_days, first.three_plus) == (120, 48, 24, 12, 12)
    assert first.share == pytest.approx(0.4)
    assert "4,0" not in text(client.get(URL))  # sanity: the share is shown as a percentage
    assert "40,0 %" in text(client.get(URL))


# ----------------------------------------------------------------------------------------------------------- filters


def test_the_filters_choose_the_outcome_the_period_and_the_agency(city, client):
    client.force_login(city.world.leadership)
    first, last = weeks(city)[2], weeks(city)[5]
    response = client.get(URL, {"indicator": "citizen_satisfied_share", "from": first.isoformat(), "to": (last + dt.timedelta(days=3)).isoformat()})
    board = response.context["board"]
    assert board.indicator.code == "citizen_satisfied_share"
    assert board.trend.weeks == [first + dt.timedelta(weeks=index) for index in range(4)]
    assert [point.value for point in board.trend.series[0].points] == [pytest.approx(0.9)] * 4
    assert "Người dân, doanh nghiệp hài lòng" in text(response)
    agency = client.get(URL, {"agency": city.world.agencies[1].pk}).context["board"]
    assert agency.level == "agency"
    assert len(agency.breakdown) == 6
    assert agency.trend.series[0].points[0].value is None  # the second agency is outside phase 1's design


def test_wrong_filters_fall_back_to_the_defaults_with_words(city, client):
    client.force_login(city.world.leadership)
    response = client.get(URL, {"indicator": "nonsense", "from": "2026-13-40", "phase": "999999"})
    assert response.status_code == 200
    board = response.context["board"]
    assert board.indicator.code == "dossier_on_time_rate"
    assert board.phase == city.phase
    assert len(board.errors) == 3
    response = client.get(URL, {"from": "2026-11-01", "to": "2026-01-01"})
    assert "Ngày bắt đầu của khoảng thời gian ở sau ngày kết thúc" in text(response)
    assert client.get(URL, {"unit": "abc"}).status_code == 200
    long = client.get(URL, {"from": "2000-01-03"}).context["board"]
    assert len(long.trend.weeks) == dashboard.MAX_WEEKS


def test_another_phase_can_be_chosen(city, client):
    client.force_login(city.world.leadership)
    board = client.get(URL, {"phase": city.world.second.pk}).context["board"]
    assert board.phase == city.world.second
    assert board.design is None
    assert [series.key for series in board.trend.series] == ["all"]


# -------------------------------------------------------------------------------------------------------------- Excel


def test_the_excel_file_has_every_chart_as_numbers(city, client):
    city.world.units[0].name = '=HYPERLINK("http://x","y")'
    city.world.units[0].save()
    client.force_login(city.world.leadership)
    response = client.get(reverse("assessment:dashboard_excel"), {"agency": city.world.agencies[0].pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="danh-gia-thi-diem-so-tu-phap-')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Theo đơn vị", "Xu hướng", "Mức hài lòng", "Tham gia", "Ước tính"]
    by_unit = workbook["Theo đơn vị"]
    assert by_unit["A5"].value == '=HYPERLINK("http://x","y")'
    assert by_unit["A5"].data_type == "s"
    assert isinstance(by_unit["C5"].value, float)
    trend = workbook["Xu hướng"]
    row = 5 + weeks(city).index(city.start) + (len(client.get(URL).context["board"].trend.weeks) - len(weeks(city)) - 1)
    assert trend.cell(row=row, column=1).value.date() == city.start
    assert trend.cell(row=row, column=2).value == pytest.approx(pooled(city, city.pilot_units, city.start))
    assert trend.cell(row=row, column=2).number_format == "0.0%"
    participation = workbook["Tham gia"]
    assert participation["B5"].value == 60  # six units of ten people in the Justice department's rosters
    assert "Chưa có ước tính" in workbook["Ước tính"]["A4"].value


# ------------------------------------------------------------------------------------------------------------ queries


@pytest.mark.parametrize("level", ["city", "agency", "unit"])
def test_a_page_costs_a_fixed_number_of_queries(city, client, django_assert_max_num_queries, level):
    params = {"city": {}, "agency": {"agency": city.world.agencies[0].pk}, "unit": {"unit": city.world.units[0].pk}}[level]
    client.force_login(city.world.leadership)
    client.get(URL, params)
    with django_assert_max_num_queries(16):
        assert client.get(URL, params).status_code == 200
    # Twice the units and weeks: the same number of queries.
    more = [UnitFactory(agency=city.world.agencies[index % 2]) for index in range(12)]
    write_values([(unit, week, "dossier_on_time_rate", 7.0, 10.0) for unit in more for week in weeks(city)])
    with django_assert_max_num_queries(16):
        assert client.get(URL, {**params, "from": "2025-01-06"}).status_code == 200


# ------------------------------------------------------------------------------------------------------ empty states


def test_without_any_phase_the_page_says_so(db, client):
    world = build_phased_pilot()
    PilotPhase.objects.all().delete()
    client.force_login(world.leadership)
    response = client.get(URL)
    assert response.status_code == 200
    content = text(response)
    assert "Chưa có giai đoạn thí điểm nào" in content
    assert "Chưa có số liệu" in content


def test_a_phase_without_design_shows_every_unit(db, client):
    world = build_phased_pilot()
    client.force_login(world.leadership)
    response = client.get(URL)
    assert 'id="no-design"' in response.content.decode()
    assert 'id="no-trend-data"' in response.content.decode()
    assert 'id="no-event-study"' in response.content.decode()


def test_a_launched_phase_without_data_says_so(db, client):
    city = launched_city(with_panel=False)
    client.force_login(city.world.leadership)
    response = client.get(URL)
    content = response.content.decode()
    for empty in ("no-trend-data", "no-satisfaction-data", "no-participation-data", "no-estimate", "no-event-study"):
        assert f'id="{empty}"' in content
    assert 'id="review-link"' in content  # leadership may record the review of a launched phase
    assert reverse("assessment:phase_estimates", args=[city.phase.pk]) in content  # where estimates are asked for


def test_panel_rows_of_the_helper_are_what_the_page_reads(city):
    assert OutcomeValue.objects.count() == len(panel_rows(city))
    assert len(weeks(city)) == WEEKS_BEFORE + 8


# ------------------------------------------------------------------------------------------------------- the estimate


def test_the_latest_estimate_draws_the_event_study_and_its_verdict_in_words(db, client, django_capture_on_commit_callbacks):
    from telework.assessment import estimates
    from telework.assessment.tests.estimate_world import build_estimate_world

    launched = build_estimate_world()
    with django_capture_on_commit_callbacks(execute=True):
        estimates.estimates_request(actor=launched.world.home_affairs, phase=launched.phase, indicators=["dossier_on_time_rate"])
    client.force_login(launched.world.leadership)
    response = client.get(URL)
    board = response.context["board"]
    assert board.estimate is not None
    result = estimates.result_of(board.estimate)
    assert [row.period for row in board.event_study] == sorted(row.period for row in result.event_study)
    chart = response.context["event_study_chart"]
    assert chart["estimates"] == [round(row.estimate * 100, 4) for row in board.event_study]
    assert chart["intervals"][0] == [round(board.event_study[0].ci_low * 100, 4), round(board.event_study[0].ci_high * 100, 4)]
    content = text(response)
    assert board.verdict is not None
    assert board.verdict.headline is not None
    assert board.verdict.headline in content
    assert "Các kỳ bốn tuần tính từ khi bắt đầu" in content
    assert 'title="1 kỳ bốn tuần trước khi bắt đầu"' in response.content.decode()
    assert "điểm phần trăm" in content
    assert not re.search(r"\b(twfe_did|dossier_on_time_rate)\b", content)
    workbook = load_workbook(io.BytesIO(client.get(reverse("assessment:dashboard_excel")).content))
    sheet = workbook["Ước tính"]
    assert sheet["A4"].value == board.verdict.paragraphs()[0]
    periods = [cell.value for cell in sheet["A"] if isinstance(cell.value, int)]
    assert periods == [row.period for row in board.event_study]


def test_no_code_reaches_the_page_not_even_in_the_charts_data(city, client):
    client.force_login(city.world.leadership)
    html = client.get(URL).content.decode()
    visible = re.sub(r"<(?!/?script)[^>]+>", " ", re.sub(r"<(style)[^>]*>.*?</\1>", " ", html, flags=re.S))
    visible = re.sub(r"<script[^>]*src=[^>]*></script>", " ", visible)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", visible)
