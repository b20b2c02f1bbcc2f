"""The demo city's year and a half of one-stop dossiers, its ratings, its staffing round and its surveys: realistic
volumes, deterministic, the pilot's planted effect visible in the register, ratings that name nobody."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict

import pytest
from django.db import models
from django.urls import reverse

from telework.accounts.models import User
from telework.core import calendar
from telework.demo import dossiers as demo_dossiers
from telework.demo.city import build_demo_city
from telework.demo.dossiers import DeskSpec, generate, on_time_by_group, pilot_start_day
from telework.demo.reference import MINIMUM_STAFF
from telework.dossiers.models import ApologyLetter, Dossier, Rating, RatingSource
from telework.organization.models import Agency, ServicePoint, Staff
from telework.staffing.models import ReportRow
from telework.surveys.models import CitizenResponse, PulseResponse

TODAY = dt.date(2026, 11, 18)  # the suite's frozen day (root conftest.py)
PILOT_START = dt.date(2026, 6, 29)
NOW = dt.datetime(2026, 11, 18, 9, 30)


def desks(pilot: int, comparison: int) -> list[DeskSpec]:
    names = ("Quầy Hộ tịch - Chứng thực", "Quầy Đất đai - Xây dựng", "Quầy Kinh doanh - Đầu tư", "Quầy Lao động - Xã hội")
    return [
        DeskSpec(f"A{index // 4:02d}", f"A{index // 4:02d}-02", f"A{index // 4:02d}-DV{index % 4:02d}", names[index % 4], ("C1", "C2", "C3"), index < pilot)
        for index in range(pilot + comparison)
    ]


def generated(seed: int = 7, pilot: int = 16, comparison: int = 8) -> demo_dossiers.Exports:
    return generate(
        desks(pilot, comparison),
        seed=seed,
        first_day=PILOT_START - dt.timedelta(days=365),
        last_day=TODAY - dt.timedelta(days=1),
        pilot_start=PILOT_START,
        per_desk_day=3.4,
        now=NOW,
    )


def parsed(exports: demo_dossiers.Exports) -> list[dict[str, str]]:
    """The export lines as dicts, read as the import reads a CSV."""
    return [row for lines in exports.dossiers.values() for row in csv.DictReader(io.StringIO("\n".join(lines)))]


def moment(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%d/%m/%Y %H:%M")


def test_the_same_seed_gives_the_same_exports_and_another_seed_others():
    first, again, other = generated(7), generated(7), generated(8)

    assert first.digest() == again.digest()
    assert first.digest() != other.digest()
    assert first.dossier_count == again.dossier_count


def test_volumes_channels_deadlines_and_ratings_are_realistic():
    exports = generated()
    rows = parsed(exports)
    working_days = len(calendar.working_days(PILOT_START - dt.timedelta(days=365), TODAY - dt.timedelta(days=1)))

    # 24 desks at 3.4 a working day on average (busier civil-status desks, lighter others), over a year and a half.
    assert 0.7 * 24 * 3.4 * working_days < len(rows) < 1.3 * 24 * 3.4 * working_days
    received_days = {moment(row["Ngày tiếp nhận"]).date() for row in rows}
    assert all(calendar.is_working_day(day) for day in received_days)
    # The due day is the legal deadline counted in working days (holidays skipped).
    for row in rows[:2000]:
        received = moment(row["Ngày tiếp nhận"]).date()
        assert dt.datetime.strptime(row["Ngày hẹn trả"], "%d/%m/%Y").date() == calendar.add_working_days(received, int(row["Thời hạn giải quyết"]))
    online = sum(row["Kênh nộp"] == "Trực tuyến" for row in rows) / len(rows)
    assert 0.5 < online < 0.75
    returned = [row for row in rows if row["Ngày trả kết quả"]]
    assert 0.97 < len(returned) / len(rows) < 1.0  # the last days' dossiers are still being handled
    assert 0.2 < exports.rating_count / len(returned) < 0.4
    assert 0 < len(exports.qr) < 0.02 * len(returned)
    apologies = [row for row in rows if row["Ngày hẹn lại"]]
    late = [row for row in returned if moment(row["Ngày trả kết quả"]) > moment(row["Ngày hẹn trả"] + " 17:00")]
    assert 0.04 < len(late) / len(returned) < 0.16
    assert 0.4 * len(late) < len(apologies) < 0.8 * len(late)


def test_the_planted_effect_is_three_points_of_on_time_rate_in_pilot_desks_and_nothing_on_satisfaction():
    exports = generated(pilot=16, comparison=16)
    pilot_desks = {desk.code for desk in desks(16, 16) if desk.in_pilot}
    on_time: dict[tuple[bool, bool], list[int]] = defaultdict(lambda: [0, 0])
    after_by_code: dict[str, tuple[bool, bool]] = {}
    for row in parsed(exports):
        if not row["Ngày trả kết quả"]:
            continue
        key = (row["Quầy"] in pilot_desks, moment(row["Ngày tiếp nhận"]).date() >= PILOT_START)
        after_by_code[row["Mã hồ sơ"]] = key
        on_time[key][1] += 1
        on_time[key][0] += moment(row["Ngày trả kết quả"]) <= moment(row["Ngày hẹn trả"] + " 17:00")
    rate = {key: done / total for key, (done, total) in on_time.items()}
    effect = (rate[(True, True)] - rate[(True, False)]) - (rate[(False, True)] - rate[(False, False)])
    assert effect == pytest.approx(0.03, abs=0.006)

    satisfied: dict[tuple[bool, bool], list[int]] = defaultdict(lambda: [0, 0])
    for lines in exports.ratings.values():
        for line in lines[1:]:
            code, level = line.split(",")[:2]
            key = after_by_code[code]
            satisfied[key][1] += 1
            satisfied[key][0] += level != "Không hài lòng"
    share = {key: good / total for key, (good, total) in satisfied.items()}
    assert (share[(True, True)] - share[(True, False)]) - (share[(False, True)] - share[(False, False)]) == pytest.approx(0, abs=0.02)


@pytest.mark.django_db
def test_the_demo_city_holds_dossiers_ratings_a_staffing_round_and_surveys(client, django_assert_max_num_queries):
    result = build_demo_city(staff=MINIMUM_STAFF, seed=7, today=TODAY)
    report = result.service["dossiers"]

    # Every one-stop desk received dossiers on working days, from a year before the pilot to yesterday.
    pilot_start = pilot_start_day()
    assert pilot_start is not None
    first, last = Dossier.objects.aggregate(first=models.Min("received_at"), last=models.Max("received_at")).values()
    assert first.date() < pilot_start - dt.timedelta(days=350)
    assert last.date() < TODAY
    desks_with_dossiers = set(Dossier.objects.values_list("service_point_id", flat=True).distinct())
    assert desks_with_dossiers == set(ServicePoint.objects.filter(kind="one_stop_desk").values_list("id", flat=True))
    working_days = len(calendar.working_days(first.date(), TODAY - dt.timedelta(days=1)))
    expected = len(desks_with_dossiers) * report["demo dossiers per desk and day"] * working_days
    assert Dossier.objects.count() == report["dossiers"]
    assert 0.7 * expected < report["dossiers"] < 1.3 * expected
    assert report["HCMC dossiers per desk and day"] == pytest.approx(12_000 / report["HCMC desks (estimated)"], abs=0.1)

    # Handlers come from the desk's unit; the desk staff of a day come from that week's published roster.
    sample = Dossier.objects.prefetch_related("handlers").order_by("code")[:300]
    assert all(dossier.handlers.all() and all(person.unit_id == dossier.unit_id for person in dossier.handlers.all()) for dossier in sample)
    assert Dossier.objects.filter(desk_staff__isnull=False).exists()
    assert ApologyLetter.objects.exists()

    # The planted effect, read back from the register.
    pilot_agencies = set(Agency.objects.filter(pilots__isnull=False).values_list("id", flat=True))
    measured = on_time_by_group(pilot_start, pilot_agencies)
    assert min(measured.counts) > 300
    assert measured.difference_in_differences == pytest.approx(3.0, abs=1.2)

    # Ratings: portal ones for about a quarter of the returned dossiers, a few by desk QR; none names a person.
    returned = Dossier.objects.filter(returned_at__isnull=False).count()
    assert 0.2 < Rating.objects.filter(source=RatingSource.PORTAL).count() / returned < 0.4
    assert Rating.objects.filter(source=RatingSource.QR).exists()
    related = {field.related_model for field in Rating._meta.get_fields() if field.is_relation}
    assert related == {Dossier}
    assert not [comment for comment in Rating.objects.exclude(comment="").values_list("comment", flat=True) if re.search(r"\d{3}", comment)]

    # The staffing round: answered in time, late, missing and signed off, all at once.
    rows = ReportRow.objects.all()
    assert rows.filter(filled_at__isnull=False).exists()
    assert rows.filter(filled_at__isnull=True).exists()
    assert all(row.filled_at > row.report_round.deadline for row in rows.filter(is_late=True).select_related("report_round"))
    # The surveys, with enough staff answers per agency to pass the minimum group size.
    assert CitizenResponse.objects.count() > 100
    assert PulseResponse.objects.values("agency_id").annotate(answers=models.Count("id")).filter(answers__gte=5).exists()

    # Home Affairs reads the city's quality figures for last month, within a bounded number of queries.
    client.force_login(User.objects.get(username="noivu"))
    with django_assert_max_num_queries(30):
        response = client.get(reverse("dossiers:quality"), {"level": "agency", "period": "month", "day": "2026-10-15"})
    assert response.status_code == 200
    ward = Agency.objects.filter(kind="ward_committee").order_by("code").first()
    assert ward is not None
    assert ward.name in response.content.decode()
    # The unit head of desks and Home Affairs are told what to try with them.
    notes = {login.username: login.note for login in result.logins}
    assert "staffing" in notes["noivu"]
    assert "on time" in notes["noivu"]
    assert any("desk" in login.role and "on time" in login.note for login in result.logins)
    assert Staff.objects.filter(user__username__in=list(notes)).count() >= 5
