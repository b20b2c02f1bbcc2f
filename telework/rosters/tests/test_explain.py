"""Explanations in words: what leave makes impossible, which rules conflict, what the offered roster relaxes;
and the Vietnamese catalog behind every message."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

from telework.rosters.engine.explain import explain, unavoidable_violations
from telework.rosters.engine.instance import (
    DESK_STAFF_ON_SITE,
    DUTY_POST,
    LEADER_ON_SITE,
    MIN_HOME_DAYS_PER_WEEK,
    ONE_STOP_DESK,
    STATUS_HOME,
    RosterPolicy,
    ServicePoint,
)
from telework.rosters.engine.solver import solve_unit
from telework.rosters.tests.builders import TUESDAY, TWO_WEEKS, WEEK, person, unit

ROSTERS = Path(__file__).resolve().parents[1]
CATALOG = ROSTERS / "locale" / "vi" / "LC_MESSAGES" / "django.po"
GUARANTEE = RosterPolicy(max_home_share=0.5, min_onsite_share=0.5, max_home_days_per_week=3, min_office_days_per_week=2, min_home_days_per_week=1)
LAND_REGISTRY = ServicePoint(7, "Land registry", ONE_STOP_DESK, 2, frozenset({3, 4}))


def desk_unit():
    """Two qualified officers for a desk that needs two every day, while policy promises each a home day a week."""
    people = (
        person(1, "Lê An", is_leader=True),
        person(2, "Trần Bình"),
        person(3, "Phạm Chi"),
        person(4, "Võ Dũng"),
        person(5, "Đỗ Hà", is_leader=True),
        person(6, "Hồ Lan"),
    )
    return unit(people, service_points=(LAND_REGISTRY,), policy=GUARANTEE)


def test_desk_conflict_is_named_in_words_and_the_closest_roster_relaxes_only_the_guarantee():
    instance = desk_unit()
    result = solve_unit(instance)

    explanation = explain(instance, result)

    assert explanation.unavoidable == ()
    assert [message.render("en") for message in explanation.conflicts] == [
        "Desk 'Land registry' needs 2 qualified staff on site every day; only 2 are qualified (Phạm Chi, Võ Dũng) and policy gives each at least 1 home day a week."
    ]
    assert [message.render("en") for message in explanation.relaxed] == [
        "Relaxed: Phạm Chi gets 0 of the 1 guaranteed home days in week 2026-W49.",
        "Relaxed: Võ Dũng gets 0 of the 1 guaranteed home days in week 2026-W49.",
    ]
    assert [(breach.rule, breach.person_id, breach.period, breach.amount) for breach in result.relaxations] == [
        (MIN_HOME_DAYS_PER_WEEK, 3, "2026-W49", 1),
        (MIN_HOME_DAYS_PER_WEEK, 4, "2026-W49", 1),
    ]
    assert result.certificate.hard_slack[DESK_STAFF_ON_SITE] == 0
    assert result.certificate.status == "OPTIMAL"
    desk_statuses = [dict(zip(result.roster.days, row.statuses, strict=True)) for row in result.roster.rows if row.person_id in (3, 4)]
    assert all(status == "desk:7" for statuses in desk_statuses for status in statuses.values())


def test_no_leader_on_a_day_both_leaders_are_on_leave_is_unavoidable():
    leave = frozenset({TUESDAY})
    instance = unit((person(1, "Lê An", is_leader=True, leave_days=leave), person(2, "Trần Bình"), person(3, "Đỗ Hà", is_leader=True, leave_days=leave)))
    result = solve_unit(instance)

    explanation = explain(instance, result)

    assert [message.render("en") for message in explanation.unavoidable] == ["On Tuesday 01/12/2026 no leader can be on site: both leaders are on leave."]
    assert explanation.conflicts == ()
    assert explanation.relaxed == ()
    assert result.certificate.hard_slack[LEADER_ON_SITE] == 1
    assert [(breach.rule, breach.period, breach.is_relaxable) for breach in result.breaches] == [(LEADER_ON_SITE, "2026-12-01", False)]


def test_consecutive_days_with_the_same_cause_are_told_as_one_period():
    leave = frozenset(WEEK[1:4])
    instance = unit((person(1, "Lê An", is_leader=True, leave_days=leave), person(2, "Trần Bình")))

    messages = [message.render("en") for message in explain(instance).unavoidable]

    assert messages == ["From Tuesday 01/12/2026 to Thursday 03/12/2026 no leader can be on site: the only leader, Lê An, is on leave."]
    assert unavoidable_violations(instance).by_rule[LEADER_ON_SITE] == 3


def test_a_desk_short_of_qualified_staff_because_of_leave_gives_the_figures():
    point = ServicePoint(8, "Hộ tịch", DUTY_POST, 2, frozenset({2, 3, 4}))
    instance = unit(
        (
            person(1, "Lê An", is_leader=True),
            person(2, "Trần Bình", leave_days=frozenset({TUESDAY})),
            person(3, "Phạm Chi", leave_days=frozenset({TUESDAY})),
            person(4, "Võ Dũng"),
        ),
        service_points=(point,),
    )

    bound = unavoidable_violations(instance)

    assert [message.render("en") for message in explain(instance).unavoidable] == [
        "On Tuesday 01/12/2026 duty post 'Hộ tịch' needs 2 qualified staff on site, but with leave only 1 of its 3 qualified staff can be there."
    ]
    assert bound.total == 1
    assert check_total(instance) == 1


def test_two_points_sharing_their_staff_are_told_together():
    first = ServicePoint(8, "Hộ tịch", ONE_STOP_DESK, 1, frozenset({2, 3}))
    second = ServicePoint(9, "Chứng thực", ONE_STOP_DESK, 1, frozenset({2, 3}))
    instance = unit(
        (person(1, "Lê An", is_leader=True), person(2, "Trần Bình", leave_days=frozenset({TUESDAY})), person(3, "Phạm Chi")),
        service_points=(first, second),
    )

    assert [message.render("en") for message in explain(instance).unavoidable] == [
        "On Tuesday 01/12/2026 desk 'Hộ tịch', desk 'Chứng thực' need 2 qualified staff on site between them, but with leave only 1 different qualified staff can be there."
    ]
    assert unavoidable_violations(instance).total == 1


def test_the_unit_share_is_named_only_when_it_is_what_conflicts():
    policy = dataclasses.replace(GUARANTEE, max_home_share=0.2, min_onsite_share=0.0)
    people = tuple(person(index, name) for index, name in enumerate(("Lê An", "Trần Bình", "Phạm Chi", "Võ Dũng", "Đỗ Hà", "Hồ Lan", "Ngô Mai"), start=1))
    instance = unit(people, policy=policy, days=WEEK[:3])
    result = solve_unit(instance)

    explanation = explain(instance, result)

    assert [message.render("en") for message in explanation.conflicts] == [
        "Phòng Quản lý đất đai has 7 staff; at most 20% may be at home on any day (1 of them), but policy gives 7 staff "
        "(Lê An, Trần Bình, Phạm Chi, Võ Dũng, Đỗ Hà, Hồ Lan, Ngô Mai) at least 1 home day a week on the days they registered."
    ]
    assert len(result.relaxations) == 4
    assert sum(1 for row in result.roster.rows for status in row.statuses if status == STATUS_HOME) == 3


def test_a_unit_that_keeps_every_rule_needs_no_explanation():
    instance = unit((person(1, "Lê An", is_leader=True), person(2, "Trần Bình"), person(3, "Phạm Chi")))
    explanation = explain(instance, solve_unit(instance))
    assert explanation.is_clean
    assert explanation.lines("en") == []


def check_total(instance):
    from telework.rosters.engine.checker import check

    return check(instance, solve_unit(instance).roster).total


# -- the Vietnamese catalog ------------------------------------------------------------------------------------------
def catalog_entries() -> dict[str, str]:
    """msgid → msgstr of the app's catalog (entries with their continuation lines joined)."""
    entries: dict[str, str] = {}
    for block in CATALOG.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            match = re.match(r"^(msgid|msgstr) (\".*\")$", line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
            elif line.startswith("#, fuzzy"):
                fields["fuzzy"] = "yes"
        if fields.get("msgid"):
            assert "fuzzy" not in fields, fields["msgid"]
            entries[fields["msgid"]] = fields.get("msgstr", "")
    return entries


def source_message_ids() -> set[str]:
    """Every string passed to gettext_noop in the roster engine's modules."""
    found: set[str] = set()
    for name in ("instance.py", "model.py", "solver.py", "checker.py", "explain.py", "baseline.py"):
        path = ROSTERS / "engine" / name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "gettext_noop":
                found.add(node.args[0].value)
    return found


def test_every_message_has_a_vietnamese_translation_with_the_same_placeholders():
    entries = catalog_entries()
    messages = source_message_ids()
    assert len(messages) > 30
    assert messages <= set(entries)
    placeholder = re.compile(r"%\((\w+)\)s")
    for msgid in messages:
        translation = entries[msgid]
        assert translation, msgid
        assert translation != msgid or msgid.startswith("%("), msgid
        assert sorted(placeholder.findall(translation)) == sorted(placeholder.findall(msgid)), msgid
        assert translation.count("%%") == msgid.count("%%"), msgid


def test_the_desk_explanation_reads_in_vietnamese_in_the_catalog():
    entries = catalog_entries()
    msgid = "%(point)s needs %(required)s qualified staff on site every day; only %(qualified)s are qualified (%(names)s) and policy gives each at least %(home_days)s a week."
    assert entries[msgid] == (
        "%(point)s cần %(required)s cán bộ đủ điều kiện có mặt tại cơ quan mỗi ngày; chỉ có %(qualified)s người đủ điều kiện (%(names)s) "
        "và chính sách bảo đảm cho mỗi người ít nhất %(home_days)s mỗi tuần."
    )
    assert entries["Desk '%(name)s'"] == "Quầy một cửa '%(name)s'"
    assert entries["%(when)s no leader can be on site: both leaders are on leave."] == (
        "%(when)s không thể có lãnh đạo làm việc tại cơ quan: cả hai lãnh đạo đều nghỉ phép."
    )


def test_one_desk_cause_is_one_sentence_even_around_a_day_without_a_leader():
    # The desk is short Monday to Wednesday (Trần Bình on leave); on Tuesday the only leader is away too.
    point = ServicePoint(8, "Hộ tịch", ONE_STOP_DESK, 2, frozenset({2, 3}))
    instance = unit(
        (person(1, "Lê An", is_leader=True, leave_days=frozenset({TUESDAY})), person(2, "Trần Bình", leave_days=frozenset(WEEK[:3])), person(3, "Phạm Chi")),
        service_points=(point,),
    )

    assert [message.render("en") for message in explain(instance).unavoidable] == [
        "From Monday 30/11/2026 to Wednesday 02/12/2026 desk 'Hộ tịch' needs 2 qualified staff on site, but with leave only 1 of its 2 qualified staff can be there.",
        "On Tuesday 01/12/2026 no leader can be on site: the only leader, Lê An, is on leave.",
    ]


def test_a_desk_short_of_qualified_staff_with_nobody_on_leave_does_not_blame_leave():
    point = ServicePoint(8, "Hộ tịch", ONE_STOP_DESK, 3, frozenset({2, 3}))
    instance = unit((person(1, "Lê An", is_leader=True), person(2, "Trần Bình"), person(3, "Phạm Chi")), service_points=(point,))

    messages = [message.render("en") for message in explain(instance).unavoidable]

    assert messages == [
        "From Monday 30/11/2026 to Friday 04/12/2026 desk 'Hộ tịch' needs 3 qualified staff on site, but only 2 staff of the unit are qualified for it."
    ]
    assert not any("leave" in message for message in messages)


def test_a_desk_that_needs_more_on_mondays_is_short_only_on_mondays_told_in_one_sentence():
    point = ServicePoint(8, "Hộ tịch", ONE_STOP_DESK, 2, frozenset({2, 3}), required_by_weekday=(3, 2, 2, 2, 2))
    instance = unit((person(1, "Lê An", is_leader=True), person(2, "Trần Bình"), person(3, "Phạm Chi")), service_points=(point,), days=TWO_WEEKS)

    assert [message.render("en") for message in explain(instance).unavoidable] == [
        "On Monday 30/11/2026, Monday 07/12/2026 desk 'Hộ tịch' needs 3 qualified staff on site, but only 2 staff of the unit are qualified for it."
    ]
    assert [message.render("vi") for message in explain(instance).unavoidable] == [
        "Vào Thứ Hai, ngày 30/11/2026, Thứ Hai, ngày 07/12/2026 quầy một cửa 'Hộ tịch' cần 3 cán bộ đủ điều kiện có mặt tại cơ quan, nhưng đơn vị chỉ có 2 cán bộ đủ điều kiện đảm nhiệm."
    ]
    assert unavoidable_violations(instance).total == 2
    assert check_total(instance) == 2


def test_a_conflict_with_a_desk_that_varies_by_weekday_gives_its_weekday_figures():
    point = dataclasses.replace(LAND_REGISTRY, required_on_site=1, required_by_weekday=(2, 1, 1, 1, 2))
    instance = dataclasses.replace(desk_unit(), service_points=(point,))
    result = solve_unit(instance)

    assert result.certificate.status == "OPTIMAL"
    assert result.certificate.hard_slack[DESK_STAFF_ON_SITE] == 0
    assert [message.render("en") for message in explain(instance, result).conflicts] == []
    blocked = dataclasses.replace(point, required_by_weekday=(2, 2, 2, 1, 2))
    tight = dataclasses.replace(instance, policy=dataclasses.replace(GUARANTEE, min_home_days_per_week=2), service_points=(blocked,))
    assert [message.render("en") for message in explain(tight, solve_unit(tight)).conflicts] == [
        "Desk 'Land registry' needs 2 (1 on Thursday) qualified staff on site every day; only 2 are qualified (Phạm Chi, Võ Dũng) and policy gives each at least 2 home days a week."
    ]
