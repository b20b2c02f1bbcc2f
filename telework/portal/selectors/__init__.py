"""Reads behind the home pages: for each role, what needs doing now, in a fixed number of queries.

Each block is a dataclass built from the owning apps' selectors and tables, scoped by ``telework.organization.scope``:
a staff member's day and week (``staff_home``), a head's units today (``head_home``), an agency at a glance
(``agency_home``), HR's import and account gaps (``hr_home``), the city's pilots and rosters for Home Affairs
(``city_policy_home``) and the city's key figures for its leadership (``city_figures``). None of them writes.

Who is expected where comes from the newest *published* roster of the week and recorded leave, as the attendance
board reads it (``telework.attendance.selectors``); a person the roster puts at work who has not checked in by the
cut-off has missed their check-in.
"""

from __future__ import annotations

from telework.portal.selectors.city import CityFigures, CityPolicyHome, HrHome, ImportStatus, city_figures, city_policy_home, hr_home
from telework.portal.selectors.common import Presence, newest_published_rosters, presence_by_unit, safe_url
from telework.portal.selectors.heads import AgencyHome, HeadHome, agency_home, head_home
from telework.portal.selectors.staff import Place, StaffHome, staff_home

__all__ = [
    "AgencyHome",
    "CityFigures",
    "CityPolicyHome",
    "HeadHome",
    "HrHome",
    "ImportStatus",
    "Place",
    "Presence",
    "StaffHome",
    "agency_home",
    "city_figures",
    "city_policy_home",
    "head_home",
    "hr_home",
    "newest_published_rosters",
    "presence_by_unit",
    "safe_url",
    "staff_home",
]
