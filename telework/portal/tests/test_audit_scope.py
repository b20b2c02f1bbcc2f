"""The audit trail shows each reader only the rows about objects they may see, in words.

One city with audit rows of every kind, written by the real services where a service writes them: registrations,
work, leave, unit events, rosters, evaluations (self-assessments, the head's scores and decisions, the period and its
quota), staff records, job positions, desks, imports, policies, switches, pilots, criteria sets and the sample
city's seed. Two units of one agency (the city's unit and a sibling unit, each with its head), the agency's head and
HR, the city-wide roles, and a staff member of another agency walk the list, its filters, one entry and each
object's history.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from telework.accounts.models import Role
from telework.assignments import services as assignment_services
from telework.assignments.tests.helpers import assign
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.models import AuditEvent
from telework.demo.testing import next_monday
from telework.evaluations import services as evaluation_services
from telework.evaluations.models import CriteriaSet, Evaluation
from telework.evaluations.tests.helpers import FULL, computed_quarter
from telework.organization.tests.factories import StaffFactory, UnitFactory
from telework.policy import services as policy_services
from telework.registrations import services as registrations
from telework.rosters import services as roster_services
from telework.rosters.models import LeaveKind, UnitEventKind

EQUIPMENT = ["computer", "internet", "phone", "printer"]


def submit(staff: Any, monday: dt.date) -> Any:
    return registrations.registration_submit(
        staff=staff,
        actor=staff.user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
        weekdays=[0],
        equipment_attested=EQUIPMENT,
        commitment_accepted=True,
    )


@dataclass
class World:
    """The audited city: ``rows`` names every group of audit rows (one object's rows) by what it is about."""

    city: Any
    readers: dict[str, Any]
    rows: dict[str, set[int]]
    targets: dict[str, tuple[str, str]]  # name → (object_type, object_id)


def rows_of(target: Any) -> set[int]:
    return set(AuditEvent.objects.filter(object_type=target._meta.label_lower, object_id=str(target.pk)).values_list("pk", flat=True))


@pytest.fixture
def world(city) -> World:
    officer = city.staff[0].position
    sibling_unit = UnitFactory(agency=city.agency, name="Phòng Bên cạnh")
    sibling_head = StaffFactory(unit=sibling_unit, position=officer, is_leader=True, full_name="Đỗ Văn Bên", user__role=Role.UNIT_HEAD)
    sibling_staff = StaffFactory(unit=sibling_unit, position=officer, direct_superior=sibling_head, full_name="Vũ Thị Cạnh")
    StaffFactory.create_batch(3, unit=sibling_unit, position=officer, direct_superior=sibling_head)  # room under the cap
    agency_head = StaffFactory(unit__agency=city.agency, position=officer, is_leader=True, full_name="Giám đốc Sở", user__role=Role.AGENCY_HEAD)
    me, head = city.staff[0], city.head
    monday = next_monday()
    targets: dict[str, Any] = {}

    # Evaluations first: the quarter's computation reads the work accepted in Q3 2026.
    period = computed_quarter(city)
    mine = Evaluation.objects.get(period=period, staff=me)
    theirs = Evaluation.objects.get(period=period, staff=sibling_staff)
    evaluation_services.self_assess(evaluation=mine, actor=me.user, text="Tôi đã xong 12 báo cáo đúng hạn", level="excellent")
    evaluation_services.self_assess(evaluation=theirs, actor=sibling_staff.user, text="Tự nhận xét riêng tư", level="good")
    evaluation_services.period_start_review(period=period, actor=city.hr)
    evaluation_services.head_confirm_or_change(evaluation=mine, actor=head.user, level="good", general=FULL, reason="Cân đối")
    evaluation_services.head_confirm_or_change(evaluation=theirs, actor=sibling_head.user, level="good", general=FULL, reason="Không có việc được giao")
    targets.update(evaluation_mine=mine, evaluation_sibling=theirs, period=period)

    # Registrations, work, leave and unit events in both units.
    registration = submit(me, monday)
    registrations.registration_approve(registration=registration, actor=head.user, comment="Đồng ý")
    targets.update(registration_mine=registration, registration_sibling=submit(sibling_staff, monday))
    targets["work_mine"] = assign(city)
    targets["work_sibling"] = assignment_services.work_item_assign(
        actor=sibling_head.user,
        staff=sibling_staff,
        today=clock.today(),
        title="Rà soát hồ sơ",
        description="",
        estimated_hours=8,
        starts_on=clock.today(),
        due_on=clock.today() + dt.timedelta(days=7),
    )
    leave_day = monday + dt.timedelta(days=14)
    targets["leave_mine"] = roster_services.leave_record(staff=me, starts_on=leave_day, ends_on=leave_day, kind=LeaveKind.SICK, actor=head.user, note="Ốm")
    targets["leave_sibling"] = roster_services.leave_record(
        staff=sibling_staff, starts_on=leave_day, ends_on=leave_day, kind=LeaveKind.ANNUAL, actor=sibling_head.user, note="Việc gia đình"
    )
    targets["event_unit"] = roster_services.unit_event_save(unit=city.unit, day=monday, title="Họp phòng", kind=UnitEventKind.MEETING, actor=head.user)
    targets["event_sibling"] = roster_services.unit_event_save(
        unit=sibling_unit, day=monday, title="Họp phòng bên", kind=UnitEventKind.MEETING, actor=sibling_head.user
    )

    # Rosters: the city's unit's published, the sibling unit's still a draft (its head's working copy).
    roster = roster_services.roster_generate(unit=city.unit, week_start=monday, actor=head.user)
    targets["roster_published"] = roster_services.roster_publish(roster=roster, actor=head.user)
    targets["roster_draft"] = roster_services.roster_generate(unit=sibling_unit, week_start=monday, actor=sibling_head.user)

    # Organisation, policy and city-wide rows.
    audit_record(
        actor=city.hr, action="staff.update", target=me, before={"full_name": "Lê Văn Cũ"}, after={"full_name": me.full_name}, agency_id=city.agency.pk
    )
    audit_record(actor=city.hr, action="staff.update", target=sibling_staff, before={"is_active": False}, after={"is_active": True}, agency_id=city.agency.pk)
    audit_record(
        actor=city.admin, action="staff.update", target=city.outsider, before={"email": ""}, after={"email": "a@b.vn"}, agency_id=city.outsider.unit.agency_id
    )
    audit_record(
        actor=city.hr, action="position.flags", target=officer, before={"faces_citizens": True}, after={"faces_citizens": False}, agency_id=city.agency.pk
    )
    audit_record(
        actor=city.hr, action="service_point.update", target=city.desk, before={"required_on_site": 1}, after={"required_on_site": 2}, agency_id=city.agency.pk
    )
    audit_record(
        actor=city.hr, action="organization.import", target=city.agency, after={"rows": 3, "created": 1, "file": "nhan-su.xlsx"}, agency_id=city.agency.pk
    )
    policy_services.policy_apply_preset(actor=city.home_affairs, preset="france", effective_from=clock.today())
    audit_record(actor=city.home_affairs, action="pilot.save", target=city.pilot, before={"status": "planned"}, after={"status": "running"})
    criteria = CriteriaSet.objects.filter(regime="decree_335_2025").first()
    audit_record(actor=city.home_affairs, action="criteria_set.publish", target=criteria, after={"version": criteria.version, "regime": criteria.regime})
    AuditEvent.objects.create(actor_label="system", action="demo.seed", object_type="organization.city", object_id="seed-7", after={"seed": 7})
    targets.update(staff_mine=me, staff_sibling=sibling_staff, staff_outsider=city.outsider, position=officer, desk=city.desk, agency=city.agency)
    targets.update(pilot=city.pilot, criteria=criteria)

    rows = {name: rows_of(target) for name, target in targets.items()}
    rows["policy"] = set(AuditEvent.objects.filter(object_type="policy.policy").values_list("pk", flat=True))
    rows["seed"] = set(AuditEvent.objects.filter(action="demo.seed").values_list("pk", flat=True))
    assert all(rows.values()), [name for name, ids in rows.items() if not ids]
    assert set().union(*rows.values()) == set(AuditEvent.objects.values_list("pk", flat=True))
    readers = {
        "staff": me.user,
        "unit_head": head.user,
        "sibling_unit_head": sibling_head.user,
        "agency_head": agency_head.user,
        "agency_hr": city.hr,
        "home_affairs": city.home_affairs,
        "city_leadership": city.leadership,
        "system_admin": city.admin,
        "outsider": city.outsider.user,
    }
    named = {name: (target._meta.label_lower, str(target.pk)) for name, target in targets.items()}
    return World(city=city, readers=readers, rows=rows, targets=named)


# --- Who reads which rows ------------------------------------------------------------------------------------------

ABOUT_ME = {"registration_mine", "work_mine", "leave_mine", "evaluation_mine", "staff_mine"}
ABOUT_SIBLING = {"registration_sibling", "work_sibling", "leave_sibling", "evaluation_sibling", "staff_sibling"}
AGENCY_WIDE = {"position", "criteria"}  # an agency's job positions; the published criteria
UNIT_ROWS = {"event_unit", "desk", "roster_published"}
EVERY_ROW = (
    ABOUT_ME | ABOUT_SIBLING | AGENCY_WIDE | UNIT_ROWS | {"event_sibling", "roster_draft", "period", "agency", "policy", "pilot", "seed", "staff_outsider"}
)
AGENCY_ROWS = ABOUT_ME | ABOUT_SIBLING | AGENCY_WIDE | UNIT_ROWS | {"event_sibling", "period", "agency"}
SEES: dict[str, set[str]] = {
    # Their own registration, work, leave, evaluation and record; not the unit's roster or events (about others).
    "staff": ABOUT_ME,
    # The unit's people, events, desk and roster; never the sibling unit's, never the period's quota list.
    "unit_head": ABOUT_ME | AGENCY_WIDE | UNIT_ROWS,
    "sibling_unit_head": ABOUT_SIBLING | AGENCY_WIDE | {"event_sibling", "roster_draft"},
    # Agency heads read their agency (drafts included: they manage every unit's roster) and the policies (city and
    # their overrides); pilots are Home Affairs'.
    "agency_head": AGENCY_ROWS | {"roster_draft", "policy"},
    # HR reads published rosters, not a head's draft.
    "agency_hr": AGENCY_ROWS,
    "home_affairs": EVERY_ROW,
    "city_leadership": EVERY_ROW,
    "system_admin": EVERY_ROW,
    "outsider": {"staff_outsider"},
}
READERS = list(SEES)
# ... plus the heads a unit head acts for today (``scope.acting_for``, one query instead of a subquery per scoped list).
QUERIES_FOR_A_UNIT_HEAD = 11


def audit_ids(response: Any) -> list[int]:
    assert response.status_code == 200
    return [int(part.split('"')[0]) for part in response.content.decode().split('data-audit-id="')[1:]]


def expected_ids(world: World, reader: str) -> set[int]:
    return set().union(*(world.rows[name] for name in SEES[reader]))


def test_every_row_is_named_in_the_table():
    assert set().union(*SEES.values()) == EVERY_ROW


@pytest.mark.django_db
@pytest.mark.parametrize("reader", READERS)
def test_the_list_shows_exactly_the_rows_about_what_the_reader_may_see(client, world, reader):
    client.force_login(world.readers[reader])
    seen = audit_ids(client.get(reverse("portal:audit")))
    assert len(seen) == len(set(seen))
    assert set(seen) == expected_ids(world, reader)


@pytest.mark.django_db
@pytest.mark.parametrize("reader", READERS)
def test_filters_search_only_within_what_the_reader_may_see(client, world, reader):
    client.force_login(world.readers[reader])
    visible = expected_ids(world, reader)
    for action in ("evaluation.self_assess", "evaluation.decide", "registration.submit", "leave.record", "staff.update"):
        found = set(audit_ids(client.get(reverse("portal:audit"), {"action": action})))
        assert found == visible & set(AuditEvent.objects.filter(action=action).values_list("pk", flat=True)), action
    for object_type in ("evaluations.evaluation", "rosters.leave", "rosters.roster", "assignments.workitem", "registrations.registration"):
        found = set(audit_ids(client.get(reverse("portal:audit"), {"object_type": object_type})))
        assert found == visible & set(AuditEvent.objects.filter(object_type=object_type).values_list("pk", flat=True)), object_type
    searched = set(audit_ids(client.get(reverse("portal:audit"), {"text": "Việc gia đình"})))  # the sibling's leave note
    assert searched == visible & world.rows["leave_sibling"]


@pytest.mark.django_db
@pytest.mark.parametrize("reader", READERS)
def test_an_entry_the_reader_may_not_see_answers_404(client, world, reader):
    client.force_login(world.readers[reader])
    answers = {name: {client.get(reverse("portal:audit_event", args=[pk])).status_code for pk in ids} for name, ids in world.rows.items()}
    assert answers == {name: {200} if name in SEES[reader] else {404} for name in world.rows}


@pytest.mark.django_db
@pytest.mark.parametrize("reader", READERS)
def test_an_object_history_the_reader_may_not_see_answers_404(client, world, reader):
    client.force_login(world.readers[reader])
    answers = {}
    for name, (object_type, object_id) in world.targets.items():
        response = client.get(reverse("portal:audit_object", args=[object_type, object_id]))
        answers[name] = response.status_code
        if response.status_code == 200:
            assert set(audit_ids(response)) == world.rows[name]
    assert answers == {name: 200 if name in SEES[reader] else 404 for name in world.targets}


@pytest.mark.django_db
def test_a_sibling_head_reads_no_self_assessment_or_score_of_the_other_unit(client, world):
    client.force_login(world.readers["sibling_unit_head"])
    content = client.get(reverse("portal:audit")).content.decode()
    assert "Tôi đã xong 12 báo cáo đúng hạn" not in content  # the city's officer's self-assessment
    assert "Tự nhận xét riêng tư" in content  # their own unit's
    mine = AuditEvent.objects.filter(action="evaluation.decide", object_id=world.targets["evaluation_mine"][1]).get()
    assert client.get(reverse("portal:audit_event", args=[mine.pk])).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in (
        reverse("portal:audit"),
        reverse("portal:audit_event", args=[min(world.rows["seed"])]),
        reverse("portal:audit_object", args=world.targets["pilot"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


# --- Efficient: the scope is SQL, not a check per row ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["staff", "unit_head", "agency_hr", "home_affairs"])
def test_the_list_costs_no_more_queries_whatever_the_number_of_rows(client, world, reader, django_assert_max_num_queries):
    client.force_login(world.readers[reader])
    url = reverse("portal:audit")
    client.get(url)  # warm the session and the language

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    me, head = world.city.staff[0], world.city.head
    for index in range(30):
        audit_record(actor=head.user, action="staff.update", target=me, before={"email": ""}, after={"email": f"{index}@x.vn"}, agency_id=me.unit.agency_id)
    # Never more (fewer when the newer rows push the evaluations, named in one query, to the next page).
    with django_assert_max_num_queries(before):
        assert client.get(url).status_code == 200


# --- Words, not codes ----------------------------------------------------------------------------------------------


def visible_text(response: Any) -> str:
    """What a person reads on the page: the main content without tags, attributes or scripts."""
    content = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    content = re.sub(r"<select\b.*?</select>", " ", content, flags=re.S)  # option values are the filter's codes
    return html.unescape(re.sub(r"<[^>]+>", " ", content))


STATE_KEYS = ("status", "self_level", "proposed_level", "final_level", "kind", "regime", "from")


def raw_states() -> set[str]:
    values: set[str] = set()
    for before, after in AuditEvent.objects.values_list("before", "after"):
        for snapshot in (before or {}, after or {}):
            values |= {str(snapshot[key]) for key in STATE_KEYS if snapshot.get(key)}
    return values


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_audit_pages_show_actions_states_and_fields_as_words(client, world, language):
    client.cookies["django_language"] = language
    client.force_login(world.readers["home_affairs"])
    pages = [client.get(reverse("portal:audit"))]
    pages += [client.get(reverse("portal:audit_object", args=target)) for target in world.targets.values()]
    pages += [client.get(reverse("portal:audit_event", args=[pk])) for pk in AuditEvent.objects.values_list("pk", flat=True)]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    object_types = set(AuditEvent.objects.values_list("object_type", flat=True))
    states = raw_states()
    assert {"approved", "submitted", "excellent", "good", "sick", "meeting", "decree_335_2025", "running", "self_assessment"} <= states
    for response in pages:
        text = visible_text(response)
        assert not {action for action in actions if action in text}, response.request["PATH_INFO"]
        if language == "vi":  # in English a state's label may be its code's word ("Approved"); in Vietnamese never
            assert not {state for state in states if re.search(rf"(?<![\w.-]){re.escape(state)}(?![\w.-])", text)}, response.request["PATH_INFO"]
        assert not re.findall(r"\b[a-z]+_[a-z_]+\b", text), response.request["PATH_INFO"]  # no snapshot key or code
        assert not {object_type for object_type in object_types if object_type in text}, response.request["PATH_INFO"]
        assert not re.search(r"\b\d+ / \d+\b", text), response.request["PATH_INFO"]  # an evaluation named by its ids


@pytest.mark.django_db
def test_the_audit_pages_speak_vietnamese_by_default(client, world):
    client.force_login(world.readers["unit_head"])
    text = visible_text(client.get(reverse("portal:audit")))
    for label in ("Đã giao việc", "Đã ghi nhận nghỉ phép", "Đã tự đánh giá", "Đã quyết định mức xếp loại", "Hoàn thành tốt nhiệm vụ (HTT)"):
        assert label in text
    assert "Lê Văn 0 — Quý 3/2026" in text  # an evaluation is named by its person and period


def declared_actions() -> set[str]:
    from telework.portal.audit_views import all_action_labels

    return set(all_action_labels())


def test_every_action_the_code_records_has_a_label():
    """An action recorded anywhere in the production code reads as words (work items' actions are prefixed)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    recorded: set[str] = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        recorded |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', source))
        recorded |= set(re.findall(r'(?:trail\.add|_save_point\([^,]+,)\s*\(?"([a-z_]+\.[a-z_]+)"', source))
        if path.name == "items.py" and "work_item." in source:
            recorded |= {f"work_item.{name}" for name in re.findall(r'_audit\(item, actor=actor, action="([a-z_]+)"', source)}
    recorded |= {"switch.on", "switch.off"}
    assert len(recorded) > 50
    assert recorded - declared_actions() == set()


def test_every_declared_label_has_its_vietnamese_translation():
    from django.utils import translation

    from telework.core import audit_subjects
    from telework.portal.audit_views import CORE_ACTION_LABELS, CORE_OBJECT_TYPES

    labels = [*CORE_ACTION_LABELS.values(), *CORE_OBJECT_TYPES.values()]
    for subject in audit_subjects.all_subjects():
        labels += [*subject.actions.values(), *subject.fields.values()]
        labels += [label for choices in subject.choices.values() for label in choices.values()]
    untranslated = []
    for label in labels:
        with translation.override("en"):
            english = str(label)
        with translation.override("vi"):
            vietnamese = str(label)
        if vietnamese == english:
            untranslated.append(english)
    assert untranslated == []


@pytest.mark.django_db
def test_a_unit_heads_list_is_a_fixed_handful_of_queries(client, world, django_assert_num_queries):
    """Session, user, staff record and unit, the filter's choices (actions, types), the count, the page, the page's
    evaluations' names and the menu's unread notifications: the scope is inside the SQL of the count and the page."""
    client.force_login(world.readers["unit_head"])
    client.get(reverse("portal:audit"))
    with django_assert_num_queries(QUERIES_FOR_A_UNIT_HEAD):
        assert client.get(reverse("portal:audit")).status_code == 200
