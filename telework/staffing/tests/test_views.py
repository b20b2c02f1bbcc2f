"""The staffing screens: who sees which page, the phone form, sign-off, decisions, and the two exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from telework.staffing import exports, selectors, services
from telework.staffing.models import ReportRound, RoundState, UnitDecision
from telework.staffing.tests.factories import local, staffing_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def special(city):  # type: ignore[no-untyped-def]
    return staffing_city(city)


@pytest.fixture
def opened(city, special):  # type: ignore[no-untyped-def]
    return services.round_open(
        actor=city.home_affairs,
        title="Nhu cầu nhân sự ngày 18/11",
        deadline=local(16),
        units=special.units,
        reference_number="123/SNV-TCBC",
        recipients="UBND Thành phố\nLưu: VT",
    )


def test_home_affairs_opens_a_round_for_all_special_units(client, city, special):  # type: ignore[no-untyped-def]
    client.force_login(city.home_affairs)
    response = client.post(
        reverse("staffing:round_open"),
        {"title": "Báo cáo đột xuất", "reference_number": "1/SNV", "deadline": "2026-11-18T16:00", "recipients": "UBND TP", "addressees": "special"},
    )
    report_round = ReportRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staffing:round_detail", args=[report_round.pk])
    assert set(report_round.rows.values_list("unit_id", flat=True)) == {unit.pk for unit in special.units}


def test_opening_with_a_past_deadline_shows_the_refusal_in_words(client, city, special):  # type: ignore[no-untyped-def]
    client.force_login(city.home_affairs)
    response = client.post(reverse("staffing:round_open"), {"title": "X", "deadline": "2026-11-18T08:00", "addressees": "special"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert "Hạn báo cáo phải sau thời điểm hiện tại." in response.content.decode()
    assert ReportRound.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [("home_affairs", 200), ("leadership", 404), ("head_user", 404), ("hr", 404)],
)
def test_only_home_affairs_reaches_the_open_form(client, city, who, status):  # type: ignore[no-untyped-def]
    client.force_login(getattr(city, who))
    assert client.get(reverse("staffing:round_open")).status_code == status


@pytest.mark.parametrize(("who", "status"), [("home_affairs", 200), ("leadership", 200), ("head_user", 200), ("hr", 404)])
def test_round_page_by_role(client, city, opened, who, status):  # type: ignore[no-untyped-def]
    client.force_login(getattr(city, who))
    assert client.get(reverse("staffing:round_detail", args=[opened.pk])).status_code == status


def test_a_unit_head_sees_only_their_own_units_rows_in_the_aggregate(client, city, special, opened):  # type: ignore[no-untyped-def]
    client.force_login(special.heads[1])
    page = client.get(reverse("staffing:round_detail", args=[opened.pk])).content.decode()
    assert special.units[1].name in page
    assert special.units[0].name not in page


def test_the_unit_head_fills_on_the_phone_form(client, city, special, opened):  # type: ignore[no-untyped-def]
    row = opened.rows.get(unit=special.units[0])
    client.force_login(special.heads[0])
    assert client.get(reverse("staffing:row_fill", args=[row.pk])).status_code == 200
    response = client.post(reverse("staffing:row_fill", args=[row.pk]), {"needed_on_site": 7, "proposed_at_home": 2, "reason": "Luân phiên"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.needed_on_site, row.proposed_at_home, row.reason) == (7, 2, "Luân phiên")


def test_a_refused_fill_shows_the_rule_in_words_and_changes_nothing(client, city, special, opened):  # type: ignore[no-untyped-def]
    row = opened.rows.get(unit=special.units[0])
    client.force_login(special.heads[0])
    response = client.post(reverse("staffing:row_fill", args=[row.pk]), {"needed_on_site": 7, "proposed_at_home": 2, "reason": ""}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert "Hãy nêu lý do đề xuất làm việc tại nhà." in response.content.decode()
    row.refresh_from_db()
    assert row.filled_at is None


def test_another_units_head_gets_404_on_the_fill_form(client, special, opened):  # type: ignore[no-untyped-def]
    row = opened.rows.get(unit=special.units[0])
    client.force_login(special.heads[1])
    assert client.get(reverse("staffing:row_fill", args=[row.pk])).status_code == 404


def test_the_agency_head_signs_off_from_the_list(client, special, opened):  # type: ignore[no-untyped-def]
    row = opened.rows.get(unit=special.units[0])
    services.row_fill(actor=special.heads[0], row=row, needed_on_site=7, proposed_at_home=0, reason="")
    client.force_login(special.agency_heads[0])
    assert special.units[0].name in client.get(reverse("staffing:index")).content.decode()
    client.post(reverse("staffing:row_sign_off", args=[row.pk]))
    row.refresh_from_db()
    assert row.signed_off_by == special.agency_heads[0]


def test_the_aggregate_flags_missing_units_after_the_deadline_in_words(client, city, special, opened, clock):  # type: ignore[no-untyped-def]
    services.row_fill(actor=special.heads[0], row=opened.rows.get(unit=special.units[0]), needed_on_site=7, proposed_at_home=0, reason="")
    clock.move_to(local(16, 1))
    client.force_login(city.home_affairs)
    page = client.get(reverse("staffing:round_aggregate", args=[opened.pk]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Chưa báo cáo (đã quá hạn)" in page
    assert "missing" not in page.replace("sum-missing", "")


def test_home_affairs_closes_and_decides_from_the_round_page(client, city, special, opened):  # type: ignore[no-untyped-def]
    row = opened.rows.get(unit=special.units[0])
    services.row_fill(actor=special.heads[0], row=row, needed_on_site=8, proposed_at_home=3, reason="x")
    client.force_login(city.home_affairs)
    client.post(reverse("staffing:round_close", args=[opened.pk]))
    opened.refresh_from_db()
    assert opened.state == RoundState.CLOSED
    client.post(reverse("staffing:row_decide", args=[row.pk]), {"on_site_minimum": 8, "home_cap": 3, "starts_on": "2026-11-19", "ends_on": "2026-11-30"})
    decision = UnitDecision.objects.get()
    assert (decision.on_site_minimum, decision.home_cap, decision.ends_on) == (8, 3, dt.date(2026, 11, 30))
    opened.refresh_from_db()
    assert opened.state == RoundState.DECIDED


def test_the_pdf_html_is_an_administrative_document_with_every_row(city, special, opened):  # type: ignore[no-untyped-def]
    services.row_fill(actor=special.heads[0], row=opened.rows.get(unit=special.units[0]), needed_on_site=7, proposed_at_home=2, reason="Luân phiên")
    html = exports.round_html(selectors.round_aggregate(city.home_affairs, opened))
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ NỘI VỤ",
        "Số: 123/SNV-TCBC",
        "TP. Hồ Chí Minh, ngày 18 tháng 11 năm 2026",
        "Nơi nhận:",
        "UBND Thành phố",
        "Luân phiên",
        "Đang chờ",
        "Tổng cộng toàn Thành phố",
    ):
        assert text in html
    for unit in special.units:
        assert unit.name in html


def test_the_pdf_is_a_pdf(client, city, opened):  # type: ignore[no-untyped-def]
    client.force_login(city.home_affairs)
    response = client.get(reverse("staffing:round_pdf", args=[opened.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_excel_keeps_user_text_starting_with_equals_as_text(client, city, special, opened):  # type: ignore[no-untyped-def]
    services.row_fill(
        actor=special.heads[0], row=opened.rows.get(unit=special.units[0]), needed_on_site=7, proposed_at_home=2, reason='=HYPERLINK("http://x","Bấm")'
    )
    client.force_login(city.home_affairs)
    response = client.get(reverse("staffing:round_xlsx", args=[opened.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value is not None}
    reason = cells['=HYPERLINK("http://x","Bấm")']
    assert reason.data_type == "s"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells
    assert "Tổng cộng toàn Thành phố" in cells


def test_the_aggregate_reads_in_a_fixed_number_of_queries_however_many_units(city, special, opened, django_assert_num_queries):  # type: ignore[no-untyped-def]
    from telework.organization.tests.factories import UnitFactory

    with django_assert_num_queries(1):
        small = selectors.round_aggregate(city.home_affairs, opened)
    bigger = services.round_open(actor=city.home_affairs, title="Y", deadline=local(16), units=[*special.units, *(UnitFactory() for _ in range(5))])
    with django_assert_num_queries(1):
        large = selectors.round_aggregate(city.home_affairs, bigger)
    assert (small.units, large.units) == (2, 7)


@pytest.fixture
def decided(client, city, special, opened):  # type: ignore[no-untyped-def]
    """The city unit's row filled, the round closed and the unit decided (from tomorrow to the 30th) by Home Affairs,
    through the screens."""
    row = opened.rows.get(unit=special.units[0])
    services.row_fill(actor=special.heads[0], row=row, needed_on_site=8, proposed_at_home=3, reason="Luân phiên")
    client.force_login(city.home_affairs)
    client.post(reverse("staffing:round_close", args=[opened.pk]))
    client.post(reverse("staffing:row_decide", args=[row.pk]), {"on_site_minimum": 8, "home_cap": 3, "starts_on": "2026-11-19", "ends_on": "2026-11-30"})
    return row


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(message) for message in response.context["messages"]]


def test_the_round_page_shows_what_was_decided_by_whom_and_when(client, city, decided):  # type: ignore[no-untyped-def]
    page = client.get(reverse("staffing:round_detail", args=[decided.report_round_id]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    name = city.home_affairs.get_full_name() or city.home_affairs.username
    assert "trực tiếp ≥ 8, tại nhà ≤ 3 (19/11–30/11/2026)" in page
    assert f"Quyết định bởi {name} lúc 09:3" in page
    assert "Quyết định lại" in page
    assert "Các giá trị trước vẫn được lưu trong nhật ký" in page
    assert "Muốn kết thúc quyết định sớm" in page
    assert reverse("portal:audit_object", args=["staffing.unitdecision", decided.decision.pk]) in page


def test_a_unit_head_sees_the_decision_but_cannot_decide_again(client, special, decided):  # type: ignore[no-untyped-def]
    client.force_login(special.heads[0])
    page = client.get(reverse("staffing:round_detail", args=[decided.report_round_id]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "trực tiếp ≥ 8, tại nhà ≤ 3" in page
    assert "Quyết định lại" not in page
    response = client.post(
        reverse("staffing:row_decide", args=[decided.pk]), {"on_site_minimum": 2, "home_cap": 2, "starts_on": "2026-11-19", "ends_on": "2026-11-30"}
    )
    assert response.status_code == 302
    assert UnitDecision.objects.get().on_site_minimum == 8


def test_deciding_again_replaces_the_values_and_keeps_the_earlier_ones_in_the_audit(client, city, decided):  # type: ignore[no-untyped-def]
    from telework.core.models import AuditEvent

    response = client.post(
        reverse("staffing:row_decide", args=[decided.pk]),
        {"on_site_minimum": 9, "home_cap": 2, "starts_on": "2026-11-19", "ends_on": "2026-11-27", "note": "Tăng người trực"},
        HTTP_ACCEPT_LANGUAGE="vi",
        follow=True,
    )
    assert any("thay thế quyết định trước" in message for message in _messages(response))
    decision = UnitDecision.objects.get()
    assert (decision.on_site_minimum, decision.home_cap, decision.ends_on, decision.note) == (9, 2, dt.date(2026, 11, 27), "Tăng người trực")
    page = response.content.decode()
    assert "trực tiếp ≥ 9, tại nhà ≤ 2 (19/11–27/11/2026)" in page
    assert "Tăng người trực" in page
    replaced = AuditEvent.objects.get(action="staffing_decision.replace")
    assert (replaced.before["on_site_minimum"], replaced.before["home_cap"], replaced.before["ends_on"]) == (8, 3, "2026-11-30")
    history = client.get(reverse("portal:audit_object", args=["staffing.unitdecision", decision.pk]), HTTP_ACCEPT_LANGUAGE="vi")
    assert history.status_code == 200
    assert "Quyết định về nhân sự được thay bằng quyết định mới" in history.content.decode()


def test_ending_a_decision_early_keeps_the_figures_and_moves_the_end(client, city, decided, clock):  # type: ignore[no-untyped-def]
    clock.move_to(local(9, day=dt.date(2026, 11, 23)))
    page = client.get(reverse("staffing:round_detail", args=[decided.report_round_id])).content.decode()
    assert 'name="starts_on" min="2026-11-23" value="2026-11-23"' in page  # in force since the 19th: the new start is today
    client.post(reverse("staffing:row_decide", args=[decided.pk]), {"on_site_minimum": 8, "home_cap": 3, "starts_on": "2026-11-23", "ends_on": "2026-11-24"})
    decision = UnitDecision.objects.get()
    assert (decision.on_site_minimum, decision.home_cap, decision.starts_on, decision.ends_on) == (8, 3, dt.date(2026, 11, 23), dt.date(2026, 11, 24))


def test_a_refused_new_decision_is_shown_in_words_and_changes_nothing(client, city, decided):  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("staffing:row_decide", args=[decided.pk]),
        {"on_site_minimum": 8, "home_cap": 3, "starts_on": "2026-11-17", "ends_on": "2026-11-30"},
        HTTP_ACCEPT_LANGUAGE="vi",
        follow=True,
    )
    assert any("không được bắt đầu trong quá khứ: hãy bắt đầu từ hôm nay (18/11/2026)" in message for message in _messages(response)), _messages(response)
    response = client.post(
        reverse("staffing:row_decide", args=[decided.pk]),
        {"on_site_minimum": "", "home_cap": 3, "starts_on": "2026-11-19", "ends_on": "2026-11-30"},
        HTTP_ACCEPT_LANGUAGE="vi",
        follow=True,
    )
    assert any("hãy kiểm tra số liệu và ngày của quyết định" in message for message in _messages(response)), _messages(response)
    decision = UnitDecision.objects.get()
    assert (decision.on_site_minimum, decision.home_cap, decision.ends_on) == (8, 3, dt.date(2026, 11, 30))


def test_a_decision_that_has_ended_offers_no_new_decision(client, city, decided, clock):  # type: ignore[no-untyped-def]
    clock.move_to(local(9, day=dt.date(2026, 12, 1)))
    page = client.get(reverse("staffing:round_detail", args=[decided.report_round_id]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Quyết định lại" not in page
    assert "Quyết định này đã hết hiệu lực; quyết định mới cần ghi trong một đợt báo cáo mới." in page
    response = client.post(
        reverse("staffing:row_decide", args=[decided.pk]),
        {"on_site_minimum": 8, "home_cap": 3, "starts_on": "2026-12-01", "ends_on": "2026-12-05"},
        HTTP_ACCEPT_LANGUAGE="vi",
        follow=True,
    )
    assert any("đã hết hiệu lực ngày 30/11/2026" in message for message in _messages(response)), _messages(response)
