"""The roster screens: who may open which page, generating and publishing through the views, editing a cell (and
being refused, with the rule named and nothing changed), swaps, leave, unit events, today's list, exports and the
city-wide generation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from telework.core.models import AuditEvent, Notification
from telework.demo.testing import next_monday
from telework.registrations import services as registration_services
from telework.rosters import services
from telework.rosters.models import EntryStatus, Leave, Roster, RosterEntry, RosterRun, RosterStatus, SwapRequest, SwapStatus, UnitEvent

EQUIPMENT = ["computer", "internet", "phone", "printer"]
HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def week_of(monday: dt.date) -> str:
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def approve_home_days(city, monday, members, weekdays):
    """Register and approve ``weekdays`` for each of ``members`` in the week of ``monday``."""
    for member in members:
        registration = registration_services.registration_submit(
            staff=member,
            actor=member.user,
            starts_on=monday,
            ends_on=monday + dt.timedelta(days=4),
            weekdays=list(weekdays),
            equipment_attested=EQUIPMENT,
            commitment_accepted=True,
        )
        registration_services.registration_approve(registration=registration, actor=city.head_user)


def generate(city, monday, *, publish=False):
    roster = services.roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)
    if publish:
        roster = services.roster_publish(roster=roster, actor=city.head_user)
    return roster


def opposite_days(city, monday):
    """A published roster where staff[0] is at home on Monday and at the office on Wednesday, and staff[1] the other
    way round (both approved for both days, so that exchanging them keeps every rule)."""
    wednesday = monday + dt.timedelta(days=2)
    first, second = city.staff[0], city.staff[1]
    approve_home_days(city, monday, [first, second], weekdays=(0, 2))
    roster = generate(city, monday, publish=True)
    for member, day, status in ((first, wednesday, "office"), (second, monday, "office"), (first, monday, "home"), (second, wednesday, "home")):
        services.roster_edit_cell(roster=roster, staff=member, day=day, status=status, actor=city.head_user)
    return roster, first, second, wednesday


def cell_of(roster, staff, day):
    return RosterEntry.objects.get(roster=roster, staff=staff, day=day)


def user_for(city, role):
    return {
        "anonymous": None,
        "staff": city.staff[0].user,
        "head": city.head_user,
        "hr": city.hr,
        "home_affairs": city.home_affairs,
        "leadership": city.leadership,
        "outsider": city.outsider.user,
    }[role]


# ----------------------------------------------------------------------------------------------- role × page

PAGE_ACCESS = [
    # (page, role, expected status); 302 = sent to the login page
    ("rosters:week", "anonymous", 302),
    ("rosters:week", "staff", 200),
    ("rosters:week", "head", 200),
    ("rosters:week", "hr", 200),
    ("rosters:week", "home_affairs", 200),
    ("rosters:week", "leadership", 200),
    ("rosters:week", "outsider", 200),
    ("rosters:today", "anonymous", 302),
    ("rosters:today", "staff", 200),
    ("rosters:today", "head", 200),
    ("rosters:today", "home_affairs", 200),
    ("rosters:swaps", "anonymous", 302),
    ("rosters:swaps", "staff", 200),
    ("rosters:swaps", "head", 200),
    ("rosters:leave", "anonymous", 302),
    ("rosters:leave", "staff", 403),
    ("rosters:leave", "head", 200),
    ("rosters:leave", "hr", 200),
    ("rosters:leave", "home_affairs", 403),
    ("rosters:events", "anonymous", 302),
    ("rosters:events", "staff", 403),
    ("rosters:events", "head", 200),
    ("rosters:events", "hr", 403),
    ("rosters:city", "anonymous", 302),
    ("rosters:city", "staff", 403),
    ("rosters:city", "head", 403),
    ("rosters:city", "leadership", 403),
    ("rosters:city", "home_affairs", 200),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "role", "expected"), PAGE_ACCESS)
def test_page_access_by_role(city, page, role, expected):
    response = client_for(user_for(city, role)).get(reverse(page))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_a_unit_outside_the_scope_answers_404(city):
    monday = next_monday()
    roster = generate(city, monday, publish=True)
    outsider = client_for(city.outsider.user)
    assert outsider.get(reverse("rosters:week"), {"unit": city.unit.pk, "week": week_of(monday)}).status_code == 404
    assert outsider.get(reverse("rosters:version", args=[roster.pk])).status_code == 404
    assert outsider.get(reverse("rosters:export", args=[roster.pk, "xlsx"])).status_code == 404
    assert outsider.get(reverse("rosters:today"), {"unit": city.unit.pk}).status_code == 404


@pytest.mark.django_db
def test_staff_do_not_see_a_draft(city):
    monday = next_monday()
    draft = generate(city, monday)
    member = client_for(city.staff[0].user)
    response = member.get(reverse("rosters:week"), {"week": week_of(monday)})
    assert response.status_code == 200
    assert b'id="no-roster"' in response.content
    assert b'id="roster-table"' not in response.content
    assert member.get(reverse("rosters:version", args=[draft.pk])).status_code == 404


# ----------------------------------------------------------------------------------------------- generate and publish


@pytest.mark.django_db
def test_head_generates_a_draft_through_the_view(city):
    monday = next_monday()
    head = client_for(city.head_user)
    response = head.post(reverse("rosters:generate"), {"unit": city.unit.pk, "week": week_of(monday)})
    assert response.status_code == 302
    roster = Roster.objects.get(unit=city.unit, week_start=monday)
    assert (roster.version, roster.status, roster.is_current) == (1, RosterStatus.DRAFT, True)
    assert RosterEntry.objects.filter(roster=roster).count() == 10 * 5
    page = head.get(response["Location"])
    assert b'data-roster-status="draft"' in page.content
    assert page.content.count(b'name="choice"') == 10 * 5


@pytest.mark.django_db
def test_generate_through_htmx_answers_with_a_redirect_header(city):
    monday = next_monday()
    response = client_for(city.head_user).post(reverse("rosters:generate"), {"unit": city.unit.pk, "week": week_of(monday)}, **HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('rosters:week')}?unit={city.unit.pk}&week={week_of(monday)}"


@pytest.mark.django_db
def test_staff_cannot_generate(city):
    monday = next_monday()
    response = client_for(city.staff[0].user).post(reverse("rosters:generate"), {"unit": city.unit.pk, "week": week_of(monday)})
    assert response.status_code == 302
    assert not Roster.objects.exists()


@pytest.mark.django_db
def test_publish_through_the_view_notifies_the_unit(city, django_capture_on_commit_callbacks):
    monday = next_monday()
    roster = generate(city, monday)
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(city.head_user).post(reverse("rosters:publish", args=[roster.pk]))
    assert response.status_code == 302
    roster.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED
    assert before == 0
    notified = set(Notification.objects.values_list("user_id", flat=True))
    assert {member.user_id for member in [*city.staff, city.clerk]} <= notified
    assert city.outsider.user_id not in notified


@pytest.mark.django_db
def test_staff_cannot_publish(city):
    monday = next_monday()
    roster = generate(city, monday, publish=True)
    draft = generate(city, monday)
    response = client_for(city.staff[0].user).post(reverse("rosters:publish", args=[draft.pk]))
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == RosterStatus.DRAFT
    assert roster.pk != draft.pk


@pytest.mark.django_db
def test_staff_see_the_published_roster_read_only(city):
    monday = next_monday()
    generate(city, monday, publish=True)
    response = client_for(city.staff[0].user).get(reverse("rosters:week"), {"week": week_of(monday)})
    assert response.status_code == 200
    assert b'data-roster-status="published"' in response.content
    assert b'id="roster-table"' in response.content
    assert b'name="choice"' not in response.content
    assert b'id="publish-button"' not in response.content
    assert b'id="swap-form"' in response.content


@pytest.mark.django_db
def test_the_week_grid_costs_the_same_queries_whatever_the_unit_size(city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from telework.organization.tests.factories import StaffFactory

    monday = next_monday()
    head = client_for(city.head_user)

    def queries() -> int:
        generate(city, monday)
        with CaptureQueriesContext(connection) as captured:
            assert head.get(reverse("rosters:week"), {"week": week_of(monday)}).status_code == 200
        return len(captured)

    small = queries()
    for index in range(10):
        StaffFactory(unit=city.unit, position=city.staff[0].position, direct_superior=city.head, full_name=f"Võ Thị {index}")
    assert queries() == small


@pytest.mark.django_db
def test_a_public_holiday_is_shown_closed_and_has_no_cells(city):
    from telework.core import calendar

    day = next_monday()
    while calendar.is_working_day(day) or day.weekday() >= 5:
        day += dt.timedelta(days=1)
    monday = day - dt.timedelta(days=day.weekday())
    roster = generate(city, monday)
    response = client_for(city.head_user).get(reverse("rosters:week"), {"week": week_of(monday)})
    content = response.content.decode()
    assert f'class="day-col cell-closed" data-day="{day.isoformat()}"' in content
    assert not RosterEntry.objects.filter(roster=roster, day=day).exists()
    assert content.count('name="choice"') == RosterEntry.objects.filter(roster=roster).exclude(status=EntryStatus.LEAVE).count()


# ----------------------------------------------------------------------------------------------- editing


@pytest.mark.django_db
def test_refused_edit_changes_nothing_and_names_the_rule(city):
    monday = next_monday()
    roster = generate(city, monday)
    member = city.staff[5]  # registered for no home day
    before = cell_of(roster, member, monday)
    audit_rows = AuditEvent.objects.count()
    response = client_for(city.head_user).post(
        reverse("rosters:cell", args=[roster.pk]), {"staff": member.pk, "day": monday.isoformat(), "choice": "home"}, **HTMX
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="edit-refused" data-rule="approved_days_only"' in content
    assert 'data-refused-rule="approved_days_only"' in content
    after = cell_of(roster, member, monday)
    assert (after.status, after.is_manual) == (before.status, before.is_manual) == (EntryStatus.OFFICE, False)
    assert AuditEvent.objects.count() == audit_rows


@pytest.mark.django_db
def test_refused_edit_of_the_desk_officer_names_the_rule(city):
    monday = next_monday()
    roster = generate(city, monday)
    before = cell_of(roster, city.clerk, monday)
    response = client_for(city.head_user).post(
        reverse("rosters:cell", args=[roster.pk]), {"staff": city.clerk.pk, "day": monday.isoformat(), "choice": "home"}, **HTMX
    )
    assert response.status_code == 200
    assert b'id="edit-refused"' in response.content
    after = cell_of(roster, city.clerk, monday)
    assert (after.status, after.service_point_id) == (before.status, before.service_point_id)


@pytest.mark.django_db
def test_accepted_edit_marks_the_cell_as_manual(city):
    monday = next_monday()
    approve_home_days(city, monday, city.staff[:2], weekdays=(0,))
    roster = generate(city, monday)
    member = next(member for member in city.staff[:2] if cell_of(roster, member, monday).status == EntryStatus.HOME)
    response = client_for(city.head_user).post(
        reverse("rosters:cell", args=[roster.pk]), {"staff": member.pk, "day": monday.isoformat(), "choice": "office"}, **HTMX
    )
    assert response.status_code == 200
    assert b'id="edit-saved"' in response.content
    after = cell_of(roster, member, monday)
    assert (after.status, after.is_manual) == (EntryStatus.OFFICE, True)
    assert b'data-manual="yes"' in response.content
    assert AuditEvent.objects.filter(action="roster.edit").count() == 1


@pytest.mark.django_db
def test_staff_cannot_edit_a_cell(city):
    monday = next_monday()
    roster = generate(city, monday, publish=True)
    member = city.staff[0]
    before = cell_of(roster, member, monday)
    response = client_for(member.user).post(
        reverse("rosters:cell", args=[roster.pk]), {"staff": member.pk, "day": monday.isoformat(), "choice": "home"}, **HTMX
    )
    assert response.status_code == 403
    after = cell_of(roster, member, monday)
    assert (after.status, after.is_manual) == (before.status, before.is_manual)


@pytest.mark.django_db
def test_an_older_version_is_refused_for_editing(city):
    monday = next_monday()
    old = generate(city, monday)
    generate(city, monday)
    member = city.staff[5]
    response = client_for(city.head_user).post(
        reverse("rosters:cell", args=[old.pk]), {"staff": member.pk, "day": monday.isoformat(), "choice": "office"}, **HTMX
    )
    assert response.status_code == 200
    assert b'data-rule="roster.is_current"' in response.content


# ----------------------------------------------------------------------------------------------- swaps


@pytest.mark.django_db
def test_swap_requested_accepted_and_approved_through_the_views(city):
    monday = next_monday()
    roster, first, second, wednesday = opposite_days(city, monday)
    response = client_for(first.user).post(
        reverse("rosters:swap_new", args=[roster.pk]),
        {"swap-requester_day": monday.isoformat(), "swap-counterpart": second.pk, "swap-counterpart_day": wednesday.isoformat(), "swap-reason": "Khám bệnh"},
    )
    assert response.status_code == 302
    swap = SwapRequest.objects.get()
    assert swap.status == SwapStatus.REQUESTED
    client_for(second.user).post(reverse("rosters:swap_act", args=[swap.pk, "accept"]))
    swap.refresh_from_db()
    assert swap.status == SwapStatus.ACCEPTED
    client_for(city.head_user).post(reverse("rosters:swap_act", args=[swap.pk, "approve"]))
    swap.refresh_from_db()
    assert swap.status == SwapStatus.APPROVED
    assert cell_of(roster, first, monday).status == EntryStatus.OFFICE
    assert cell_of(roster, first, wednesday).status == EntryStatus.HOME
    assert cell_of(roster, second, monday).status == EntryStatus.HOME
    assert cell_of(roster, second, wednesday).status == EntryStatus.OFFICE


@pytest.mark.django_db
def test_swap_that_breaks_a_rule_is_refused_with_the_rule_named(city):
    monday = next_monday()
    roster, first, _second, _wednesday = opposite_days(city, monday)
    asker = city.staff[5]  # no approved home day: taking the colleague's home Monday breaks the rule
    response = client_for(asker.user).post(
        reverse("rosters:swap_new", args=[roster.pk]),
        {"swap-requester_day": monday.isoformat(), "swap-counterpart": first.pk, "swap-counterpart_day": monday.isoformat()},
    )
    assert response.status_code == 409
    assert b'data-rule="approved_days_only"' in response.content
    assert not SwapRequest.objects.exists()
    assert cell_of(roster, asker, monday).status == EntryStatus.OFFICE


@pytest.mark.django_db
def test_head_cannot_reject_a_swap_without_a_reason(city):
    monday = next_monday()
    roster, _first, _second, wednesday = opposite_days(city, monday)
    swap = services.swap_request(
        roster=roster, requester=city.staff[0], counterpart=city.staff[1], requester_day=monday, counterpart_day=wednesday, actor=city.staff[0].user
    )
    services.swap_accept(swap=swap, actor=city.staff[1].user)
    head = client_for(city.head_user)
    response = head.post(reverse("rosters:swap_act", args=[swap.pk, "reject"]), {"reason": ""}, follow=True)
    swap.refresh_from_db()
    assert swap.status == SwapStatus.ACCEPTED
    assert 'data-swap-status="accepted"' in response.content.decode()
    head.post(reverse("rosters:swap_act", args=[swap.pk, "reject"]), {"reason": "Trùng lịch trực"})
    swap.refresh_from_db()
    assert (swap.status, swap.decision_comment) == (SwapStatus.REJECTED, "Trùng lịch trực")


@pytest.mark.django_db
def test_head_approval_checks_the_swap_again_and_changes_nothing_when_refused(city):
    monday = next_monday()
    roster, first, second, wednesday = opposite_days(city, monday)
    swap = services.swap_request(roster=roster, requester=first, counterpart=second, requester_day=monday, counterpart_day=wednesday, actor=first.user)
    services.swap_accept(swap=swap, actor=second.user)
    services.leave_record(staff=first, starts_on=wednesday, ends_on=wednesday, kind="sick", actor=city.head_user)
    response = client_for(city.head_user).post(reverse("rosters:swap_act", args=[swap.pk, "approve"]), follow=True)
    swap.refresh_from_db()
    assert swap.status == SwapStatus.ACCEPTED
    assert 'class="alert alert-danger' in response.content.decode()
    assert cell_of(roster, first, monday).status == EntryStatus.HOME
    assert cell_of(roster, second, monday).status == EntryStatus.OFFICE
    assert cell_of(roster, second, wednesday).status == EntryStatus.HOME


@pytest.mark.django_db
def test_a_swap_of_another_unit_answers_404(city):
    monday = next_monday()
    roster, _first, _second, wednesday = opposite_days(city, monday)
    swap = services.swap_request(
        roster=roster, requester=city.staff[0], counterpart=city.staff[1], requester_day=monday, counterpart_day=wednesday, actor=city.staff[0].user
    )
    response = client_for(city.outsider.user).post(reverse("rosters:swap_act", args=[swap.pk, "accept"]))
    assert response.status_code == 404
    swap.refresh_from_db()
    assert swap.status == SwapStatus.REQUESTED


# ----------------------------------------------------------------------------------------------- leave and events


@pytest.mark.django_db
def test_head_records_leave_and_the_roster_shows_it(city):
    monday = next_monday()
    roster = generate(city, monday)
    member = city.staff[3]
    response = client_for(city.head_user).post(
        reverse("rosters:leave"),
        {"unit": city.unit.pk, "staff": member.pk, "starts_on": monday.isoformat(), "ends_on": (monday + dt.timedelta(days=1)).isoformat(), "kind": "sick"},
    )
    assert response.status_code == 302
    assert Leave.objects.get(staff=member).kind == "sick"
    assert cell_of(roster, member, monday).status == EntryStatus.LEAVE
    assert cell_of(roster, member, monday + dt.timedelta(days=2)).status != EntryStatus.LEAVE


@pytest.mark.django_db
def test_leave_with_the_last_day_first_is_refused_at_the_field(city):
    monday = next_monday()
    response = client_for(city.head_user).post(
        reverse("rosters:leave"),
        {
            "unit": city.unit.pk,
            "staff": city.staff[3].pk,
            "starts_on": monday.isoformat(),
            "ends_on": (monday - dt.timedelta(days=1)).isoformat(),
            "kind": "annual",
        },
    )
    assert response.status_code == 200
    assert b'data-field-error="ends_on"' in response.content
    assert not Leave.objects.exists()


@pytest.mark.django_db
def test_head_adds_a_team_day_that_the_next_roster_keeps(city):
    monday = next_monday()
    approve_home_days(city, monday, city.staff[:3], weekdays=(1,))
    tuesday = monday + dt.timedelta(days=1)
    response = client_for(city.head_user).post(
        reverse("rosters:events"), {"unit": city.unit.pk, "day": tuesday.isoformat(), "title": "Họp giao ban", "kind": "meeting", "is_for_everyone": "yes"}
    )
    assert response.status_code == 302
    assert UnitEvent.objects.get().title == "Họp giao ban"
    roster = generate(city, monday)
    assert not RosterEntry.objects.filter(roster=roster, day=tuesday, status=EntryStatus.HOME).exists()
    page = client_for(city.head_user).get(reverse("rosters:week"), {"week": week_of(monday)})
    assert "Họp giao ban" in page.content.decode()


@pytest.mark.django_db
def test_an_event_for_some_staff_needs_them_ticked(city):
    monday = next_monday()
    response = client_for(city.head_user).post(
        reverse("rosters:events"), {"unit": city.unit.pk, "day": monday.isoformat(), "title": "Tập huấn", "kind": "training", "is_for_everyone": "no"}
    )
    assert response.status_code == 200
    assert b'data-field-error="attendees"' in response.content
    assert not UnitEvent.objects.exists()


# ----------------------------------------------------------------------------------------------- today, exports, city


@pytest.mark.django_db
def test_today_lists_who_is_at_home_with_a_phone_number(city):
    monday = next_monday()
    approve_home_days(city, monday, [city.staff[0]], weekdays=(0,))
    city.staff[0].phone = "0909 123 456"
    city.staff[0].save(update_fields=["phone"])
    roster = generate(city, monday, publish=True)
    assert cell_of(roster, city.staff[0], monday).status == EntryStatus.HOME
    response = client_for(city.staff[1].user).get(reverse("rosters:today"), {"day": monday.isoformat()})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:0909 123 456"' in content
    assert city.clerk.full_name in content


@pytest.mark.django_db
def test_today_for_a_whole_agency(city):
    monday = next_monday()
    generate(city, monday, publish=True)
    response = client_for(city.hr).get(reverse("rosters:today"), {"agency": city.agency.pk, "day": monday.isoformat()})
    assert response.status_code == 200
    assert b'id="today-totals"' in response.content
    assert f'data-unit="{city.unit.code}"'.encode() in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "content_type", "magic"),
    [("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"), ("pdf", "application/pdf", b"%PDF")],
)
def test_exports_download_the_unit_week(city, kind, content_type, magic):
    monday = next_monday()
    roster = generate(city, monday, publish=True)
    response = client_for(city.staff[0].user).get(reverse("rosters:export", args=[roster.pk, kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content.startswith(magic)


@pytest.mark.django_db
def test_home_affairs_generates_the_city_and_follows_the_progress(city, django_capture_on_commit_callbacks):
    monday = next_monday()
    client = client_for(city.home_affairs)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rosters:city"), {"week": week_of(monday), "agency": city.agency.pk})
    run = RosterRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rosters:run", args=[run.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    progress = client.get(reverse("rosters:run_progress", args=[run.pk]), **HTMX)
    assert b'data-run-status="done"' in progress.content
    assert b"hx-trigger" not in progress.content
    assert Roster.objects.filter(unit=city.unit, week_start=monday, status=RosterStatus.DRAFT).exists()


@pytest.mark.django_db
def test_city_generation_refuses_a_week_that_does_not_parse(city):
    response = client_for(city.home_affairs).post(reverse("rosters:city"), {"week": "next week"})
    assert response.status_code == 200
    assert b'data-field-error="week"' in response.content
    assert not RosterRun.objects.exists()
