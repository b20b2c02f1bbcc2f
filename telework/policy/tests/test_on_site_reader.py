"""Organisation sits below policy: its service-point screens read the on-site staffing the policy in force asks for
through ``organization.on_site``, which the policy app fills from its ``ready``."""

from __future__ import annotations

import pytest

from telework.core import clock
from telework.demo.testing import build_city
from telework.organization import on_site
from telework.organization.models import ServicePointKind


@pytest.mark.django_db
def test_the_organisation_reads_the_desk_and_duty_staffing_of_the_policy_in_force():
    city = build_city(policy_overrides={"desk_staff_on_site": 3, "duty_staff_on_site": 2})

    assert on_site.policy_on_site([city.unit], clock.today()) == {
        city.unit.pk: {ServicePointKind.ONE_STOP_DESK.value: 3, ServicePointKind.DUTY_POST.value: 2},
    }
