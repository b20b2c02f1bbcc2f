"""An approved home day moved by a swap: the approval follows the home day, the count stays, the registration's
history shows the move, and a move onto a day already approved is refused with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.core.exceptions import RuleViolation
from telework.core.models import AuditEvent
from telework.demo.testing import next_monday
from telework.registrations import services
from telework.registrations.models import RegistrationDay

pytestmark = pytest.mark.django_db


def approved(city, member, monday, weekdays):  # type: ignore[no-untyped-def]
    registration = services.registration_submit(
        staff=member,
        actor=member.user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
        weekdays=list(weekdays),
        equipment_attested=["computer", "internet", "phone", "printer"],
        commitment_accepted=True,
    )
    return services.registration_approve(registration=registration, actor=city.head_user)


def rows(registration):  # type: ignore[no-untyped-def]
    return sorted(registration.days.values_list("day", "is_counted"))


def test_a_moved_home_day_keeps_counting_on_its_new_day_and_is_audited(city):
    monday = next_monday()
    wednesday = monday + dt.timedelta(days=2)
    registration = approved(city, city.staff[0], monday, [0])

    services.home_day_move(staff=city.staff[0], from_day=monday, to_day=wednesday, actor=city.head_user, reason="Đổi ngày")

    assert rows(registration) == [(wednesday, True)]
    event = AuditEvent.objects.get(action="registration.home_day_move")
    assert (event.object_id, event.before, event.after, event.reason) == (
        str(registration.pk),
        {"day": monday.isoformat()},
        {"day": wednesday.isoformat()},
        "Đổi ngày",
    )


def test_a_move_onto_a_day_the_registration_no_longer_counts_counts_that_day_again(city):
    monday = next_monday()
    wednesday = monday + dt.timedelta(days=2)
    registration = approved(city, city.staff[0], monday, [0, 2])
    registration.days.filter(day=wednesday).update(is_counted=False)

    services.home_day_move(staff=city.staff[0], from_day=monday, to_day=wednesday, actor=city.head_user)

    assert rows(registration) == [(monday, False), (wednesday, True)]


def test_a_move_onto_a_day_already_approved_is_refused_and_nothing_changes(city):
    monday = next_monday()
    registration = approved(city, city.staff[0], monday, [0, 2])

    with pytest.raises(RuleViolation) as refused:
        services.home_day_move(staff=city.staff[0], from_day=monday, to_day=monday + dt.timedelta(days=2), actor=city.head_user)

    assert refused.value.rule == "registration_overlap"
    assert rows(registration) == [(monday, True), (monday + dt.timedelta(days=2), True)]
    assert not AuditEvent.objects.filter(action="registration.home_day_move").exists()
    assert RegistrationDay.objects.filter(staff=city.staff[0], is_counted=True).count() == 2
