"""The three built-in criteria sets, published on the decrees' dates so any period from then on can use them.

Used by migration 0002 (with the historical model) and by tests whose database is emptied between tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

CRITERIA_335 = [
    {"code": "general.ethics", "title": "Political quality and ethics", "max_points": 7.5, "citation": "Decree 335/2025/NĐ-CP"},
    {"code": "general.discipline", "title": "Discipline and sense of responsibility", "max_points": 7.5, "citation": "Decree 335/2025/NĐ-CP"},
    {"code": "general.service_attitude", "title": "Attitude in serving citizens and businesses", "max_points": 7.5, "citation": "Decree 335/2025/NĐ-CP"},
    {"code": "general.innovation", "title": "Innovation and initiative", "max_points": 7.5, "citation": "Decree 335/2025/NĐ-CP"},
    {"code": "tasks.quantity", "title": "Quantity of work done against work assigned", "max_points": 70 / 3, "citation": "Decree 335/2025/NĐ-CP, Art. 14"},
    {
        "code": "tasks.quality",
        "title": "Quality: −25 % of the item's points per major error",
        "max_points": 70 / 3,
        "citation": "Decree 335/2025/NĐ-CP, Art. 14",
    },
    {"code": "tasks.progress", "title": "Progress: −25 % of the item's points per delay", "max_points": 70 / 3, "citation": "Decree 335/2025/NĐ-CP, Art. 14"},
]
CRITERIA_90 = [
    {"code": "general", "title": "General criteria: politics, ethics, working style, discipline", "max_points": 30, "citation": "Decree 90/2020/NĐ-CP, Art. 3"},
    {"code": "excellent", "title": "Every task on time with high quality, at least 50 % exceeding the target", "citation": "Decree 90/2020/NĐ-CP, Arts. 8, 12"},
    {"code": "good", "title": "Every task on time with quality", "citation": "Decree 90/2020/NĐ-CP, Arts. 9, 13"},
    {"code": "completed", "title": "Tasks done, at most 20 % short on progress or quality", "citation": "Decree 90/2020/NĐ-CP, Arts. 10, 14"},
    {
        "code": "not_completed",
        "title": "More than 50 % short, or disciplined in the year",
        "citation": "Decree 90/2020/NĐ-CP, Arts. 11, 15; Decree 48/2023/NĐ-CP",
    },
]


CRITERIA_233 = [
    {"code": "general.ethics", "title": "Political quality and ethics", "max_points": 7.5, "citation": "Decree 233/2026/NĐ-CP, Art. 10"},
    {"code": "general.discipline", "title": "Discipline and sense of responsibility", "max_points": 7.5, "citation": "Decree 233/2026/NĐ-CP, Art. 10"},
    {
        "code": "general.service_attitude",
        "title": "Attitude in serving citizens and businesses",
        "max_points": 7.5,
        "citation": "Decree 233/2026/NĐ-CP, Art. 10",
    },
    {"code": "general.innovation", "title": "Innovation and initiative", "max_points": 7.5, "citation": "Decree 233/2026/NĐ-CP, Art. 10"},
    {"code": "tasks.quantity", "title": "Quantity of work done against work assigned", "max_points": 70 / 3, "citation": "Decree 233/2026/NĐ-CP, Art. 11"},
    {"code": "tasks.quality", "title": "Quality of the work done", "max_points": 70 / 3, "citation": "Decree 233/2026/NĐ-CP, Art. 11"},
    {"code": "tasks.progress", "title": "Progress of the work done", "max_points": 70 / 3, "citation": "Decree 233/2026/NĐ-CP, Art. 11"},
]


def install_233(CriteriaSet: Any) -> None:  # noqa: N803 - a model class, historical in the migration
    """Create the Decree 233/2026/NĐ-CP set (signed 26/06/2026, in force 01/07/2026) if missing."""
    CriteriaSet.objects.get_or_create(
        regime="decree_233_2026",
        version=1,
        defaults={
            "name": "Nghị định 233/2026/NĐ-CP — viên chức, thang điểm 100",
            "parameters": {},
            "criteria": CRITERIA_233,
            "published_at": dt.datetime(2026, 6, 26, tzinfo=dt.UTC),
        },
    )


def install(CriteriaSet: Any) -> None:  # noqa: N803 - a model class, historical in the migration
    """Create the three sets if missing."""
    install_233(CriteriaSet)
    CriteriaSet.objects.get_or_create(
        regime="decree_335_2025",
        version=1,
        defaults={
            "name": "Nghị định 335/2025/NĐ-CP — thang điểm 100",
            "parameters": {},
            "criteria": CRITERIA_335,
            "published_at": dt.datetime(2025, 12, 21, tzinfo=dt.UTC),
        },
    )
    CriteriaSet.objects.get_or_create(
        regime="decree_90_2020",
        version=1,
        defaults={
            "name": "Nghị định 90/2020/NĐ-CP, sửa đổi bởi Nghị định 48/2023/NĐ-CP",
            "parameters": {},
            "criteria": CRITERIA_90,
            "published_at": dt.datetime(2020, 8, 20, tzinfo=dt.UTC),
        },
    )
