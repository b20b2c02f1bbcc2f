"""Importing the one-stop export and the portal's ratings into the register: re-runnable with nothing duplicated,
changed rows updated, refused rows writing nothing, one rating per dossier."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from telework.assignments.models import WorkItem, WorkStatus
from telework.core.models import AuditEvent
from telework.dossiers.imports import dossiers_import, ratings_import
from telework.dossiers.models import ApologyLetter, Dossier, DossierImport, Procedure, Rating, RatingSource
from telework.dossiers.tests.factories import DossierFactory
from telework.rosters.models import EntryStatus, Roster, RosterEntry, RosterStatus

HCMC = ZoneInfo("Asia/Ho_Chi_Minh")
HEADER = "Mã hồ sơ,Mã thủ tục,Tên thủ tục,Thời hạn giải quyết,Đơn vị tiếp nhận,Quầy,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,Mức độ,Kênh nộp,Trạng thái,Cán bộ xử lý,Ngày hẹn lại,Ngày xin lỗi"
RATING_HEADER = "Mã hồ sơ,Mức độ hài lòng," + ",".join(f"Chỉ số {n}" for n in range(1, 10)) + ",Ngày đánh giá"


def export(*lines: str) -> bytes:
    return "\n".join((HEADER, *lines)).encode()


def lines(city) -> list[str]:
    unit, desk, clerk, officer = city.unit.code, city.desk.code, city.clerk.code, city.staff[0].code
    return [
        f"HS-1,1.0001,Chứng thực bản sao,3,{unit},{desk},16/11/2026 08:15,,17/11/2026 10:00,Trực tiếp,Trực tiếp,Đã trả kết quả,{clerk},,",
        f'HS-2,1.0001,Chứng thực bản sao,3,{city.unit.name},{city.desk.name},16/11/2026 09:00,,,Toàn trình,Trực tuyến,Đang xử lý,"{clerk}, {officer}",,',
        f"HS-3,2.0002,Cấp giấy phép,5,{unit},,10/11/2026 14:00,17/11/2026,,Một phần,Bưu chính,Đang xử lý,{officer},24/11/2026,16/11/2026 16:00",
    ]


@pytest.fixture
def desk_roster(city):
    """The week of 16/11/2026 published with the clerk on the desk on Monday (version 2 replaces version 1's choice)."""
    monday = dt.date(2026, 11, 16)
    old = Roster.objects.create(unit=city.unit, week_start=monday, iso_week="2026-W47", version=1, status=RosterStatus.PUBLISHED, is_current=False, days=[])
    RosterEntry.objects.create(roster=old, staff=city.staff[1], day=monday, status=EntryStatus.DESK, service_point=city.desk)
    roster = Roster.objects.create(unit=city.unit, week_start=monday, iso_week="2026-W47", version=2, status=RosterStatus.PUBLISHED, days=[])
    RosterEntry.objects.create(roster=roster, staff=city.clerk, day=monday, status=EntryStatus.DESK, service_point=city.desk)
    RosterEntry.objects.create(roster=roster, staff=city.staff[2], day=monday, status=EntryStatus.OFFICE)
    return roster


def work_item(city, code: str) -> WorkItem:
    return WorkItem.objects.create(
        staff=city.clerk,
        unit=city.unit,
        title="Giải quyết hồ sơ",
        estimated_hours=2,
        starts_on=dt.date(2026, 11, 16),
        due_on=dt.date(2026, 11, 19),
        status=WorkStatus.IN_PROGRESS,
        progress_percent=20,
        last_activity_on=dt.date(2026, 11, 16),
        created_by=city.head.user,
        dossier_code=code,
    )


def test_an_export_creates_dossiers_procedures_links_and_apologies(city, desk_roster):
    item = work_item(city, "HS-1")

    report = dossiers_import(actor=city.hr, agency=city.agency, file_name="hoso.csv", content=export(*lines(city)))

    assert report.applied
    assert report.counts == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "refused": 0, "warnings": 0, "procedures_created": 2}
    first, second, third = Dossier.objects.order_by("code")
    assert (first.unit, first.service_point, first.status, first.channel, first.online_level) == (city.unit, city.desk, "returned", "desk", "in_person")
    # Received Monday 16/11 with 3 working days: due Thursday 19/11 at the end of the office day.
    assert first.legal_due_at == first.due_at == dt.datetime(2026, 11, 19, 17, 0, tzinfo=HCMC)
    assert first.returned_at == dt.datetime(2026, 11, 17, 10, 0, tzinfo=HCMC)
    assert first.work_item == item
    assert list(first.handlers.all()) == [city.clerk]
    assert list(first.desk_staff.all()) == [city.clerk]  # the newest published version: not staff[1] of version 1
    assert second.service_point == city.desk  # desk and unit found by their names
    assert set(second.handlers.all()) == {city.clerk, city.staff[0]}
    assert (second.channel, second.online_level) == ("online", "fully_online")
    assert third.service_point is None
    assert list(third.desk_staff.all()) == []
    assert third.legal_due_at == dt.datetime(2026, 11, 17, 17, 0, tzinfo=HCMC)
    assert third.due_at == dt.datetime(2026, 11, 24, 17, 0, tzinfo=HCMC)  # the apology letter's new date
    apology = ApologyLetter.objects.get()
    assert (apology.dossier, apology.issued_at, apology.new_due_at) == (third, dt.datetime(2026, 11, 16, 16, 0, tzinfo=HCMC), third.due_at)
    assert dict(Procedure.objects.values_list("code", "legal_working_days")) == {"1.0001": 3, "2.0002": 5}
    record = DossierImport.objects.get()
    event = AuditEvent.objects.get(action="dossier.import")
    assert (event.object_id, event.actor, event.after["created"], event.after["file"]) == (str(record.pk), city.hr, 3, "hoso.csv")


def test_reimporting_the_same_export_duplicates_nothing_and_writes_no_dossier(city, desk_roster):
    content = export(*lines(city))
    dossiers_import(actor=city.hr, agency=city.agency, file_name="hoso.csv", content=content)
    before = list(Dossier.objects.order_by("code").values_list("code", "updated_at"))

    again = dossiers_import(actor=city.hr, agency=city.agency, file_name="hoso.csv", content=content)

    assert again.counts == {"rows": 3, "created": 0, "updated": 0, "unchanged": 3, "refused": 0, "warnings": 0, "procedures_created": 0}
    assert list(Dossier.objects.order_by("code").values_list("code", "updated_at")) == before
    assert Dossier.handlers.through.objects.count() == 4
    assert Dossier.desk_staff.through.objects.count() == 2
    assert ApologyLetter.objects.count() == 1
    assert Procedure.objects.count() == 2


def test_a_changed_row_updates_its_dossier_and_replaces_its_handlers(city, desk_roster):
    dossiers_import(actor=city.hr, agency=city.agency, file_name="hoso.csv", content=export(*lines(city)))
    changed = lines(city)
    changed[1] = (
        f"HS-2,1.0001,Chứng thực bản sao,3,{city.unit.code},{city.desk.code},16/11/2026 09:00,,18/11/2026 08:00,Toàn trình,Trực tuyến,Đã trả kết quả,{city.staff[3].code},,"
    )
    untouched = Dossier.objects.get(code="HS-1").updated_at

    report = dossiers_import(actor=city.hr, agency=city.agency, file_name="hoso-2.csv", content=export(*changed))

    assert (report.count("update"), report.count("unchanged"), report.count("create")) == (1, 2, 0)
    dossier = Dossier.objects.get(code="HS-2")
    assert (dossier.status, dossier.returned_at) == ("returned", dt.datetime(2026, 11, 18, 8, 0, tzinfo=HCMC))
    assert list(dossier.handlers.all()) == [city.staff[3]]
    assert Dossier.objects.count() == 3
    assert Dossier.objects.get(code="HS-1").updated_at == untouched


def test_a_work_item_recorded_after_the_import_is_linked_by_the_next_one(city):
    content = export(*lines(city))
    dossiers_import(actor=city.hr, agency=city.agency, file_name="hoso.csv", content=content)
    item = work_item(city, "HS-3")

    report = dossiers_import(actor=city.hr, agency=city.agency, file_name="hoso.csv", content=content)

    assert (report.count("update"), report.count("unchanged")) == (1, 2)
    assert Dossier.objects.get(code="HS-3").work_item == item


def test_a_refused_row_stops_the_whole_file_and_nothing_is_written(city):
    bad = f"HS-4,3.0003,Thủ tục mới,,{city.unit.code},QUAY-KHONG-CO,16/11/2026 08:00,,,,,,,,"

    report = dossiers_import(actor=city.hr, agency=city.agency, file_name="hoso.csv", content=export(*lines(city), bad))

    assert not report.applied
    (refused,) = report.refused
    with translation.override("en"):
        assert (refused.number, [problem.text() for problem in refused.problems]) == (
            5,
            [
                "No one-stop desk “QUAY-KHONG-CO” in this agency: write its code or its name.",
                "The procedure “3.0003” is not in the register yet: the row needs its handling time in working days.",
            ],
        )
    assert (Dossier.objects.count(), Procedure.objects.count(), DossierImport.objects.count(), AuditEvent.objects.filter(action="dossier.import").count()) == (
        0,
        0,
        0,
        0,
    )


def test_valid_only_writes_the_rows_that_pass_and_reports_the_others(city):
    bad = f"HS-1,1.0001,,3,{city.unit.code},,16/11/2026 08:00,,,,,,,,"  # the same code again

    report = dossiers_import(actor=city.hr, agency=city.agency, file_name="hoso.csv", content=export(*lines(city), bad), valid_only=True)

    assert report.applied
    assert report.counts["created"] == 3
    assert [(outcome.number, [problem.code for problem in outcome.problems]) for outcome in report.refused] == [(5, ["duplicate_code"])]
    assert sorted(Dossier.objects.values_list("code", flat=True)) == ["HS-1", "HS-2", "HS-3"]


def test_a_code_in_another_agencys_register_is_refused_and_left_alone(city):
    other = DossierFactory(code="HS-1", service_point__unit__agency=city.other_agency)

    report = dossiers_import(actor=city.hr, agency=city.agency, file_name="hoso.csv", content=export(*lines(city)), valid_only=True)

    assert [(outcome.code, [problem.code for problem in outcome.problems]) for outcome in report.refused] == [("HS-1", ["other_agency"])]
    other.refresh_from_db()
    assert other.agency == city.other_agency
    assert Dossier.objects.count() == 3


def test_unknown_handler_codes_are_left_out_with_a_warning(city):
    line = f'HS-9,1.0001,Chứng thực,3,{city.unit.code},,16/11/2026 08:00,,,,,,"{city.clerk.code}, KHONGCO",,'

    report = dossiers_import(actor=city.hr, agency=city.agency, file_name="hoso.csv", content=export(line))

    assert report.counts["warnings"] == 1
    assert [problem.params for problem in report.outcomes[0].problems] == [{"codes": "KHONGCO"}]
    assert list(Dossier.objects.get().handlers.all()) == [city.clerk]


def ratings(*rows: str) -> bytes:
    return "\n".join((RATING_HEADER, *rows)).encode()


def test_portal_ratings_are_imported_once_and_a_qr_rating_is_kept(city):
    dossiers_import(actor=city.hr, agency=city.agency, file_name="hoso.csv", content=export(*lines(city)))
    qr = Rating.objects.create(
        dossier=Dossier.objects.get(code="HS-3"),
        source=RatingSource.QR,
        level="satisfied",
        scores=[1] * 9,
        submitted_at=dt.datetime(2026, 11, 17, 9, 0, tzinfo=HCMC),
    )
    content = ratings(
        "HS-1,Rất hài lòng,2,2,2,2,2,2,2,2,2,17/11/2026 11:00",
        "HS-2,Hài lòng,1,,2,2,2,2,2,2,2,17/11/2026 12:00",
        "HS-3,Không hài lòng,0,0,0,0,0,0,0,0,0,17/11/2026 13:00",
    )

    first = ratings_import(actor=city.hr, agency=city.agency, file_name="danhgia.csv", content=content)
    again = ratings_import(actor=city.hr, agency=city.agency, file_name="danhgia.csv", content=content)

    assert (first.count("create"), first.count("unchanged"), first.counts["warnings"]) == (2, 1, 1)
    assert (again.count("create"), again.count("update"), again.count("unchanged")) == (0, 0, 3)
    assert Rating.objects.count() == 3
    assert Rating.objects.get(dossier__code="HS-2").scores == [1, None, 2, 2, 2, 2, 2, 2, 2]
    qr.refresh_from_db()
    assert (qr.source, qr.level, qr.scores) == (RatingSource.QR, "satisfied", [1] * 9)
    assert AuditEvent.objects.filter(action="rating.import").count() == 2


def test_a_changed_portal_rating_updates_and_an_unknown_dossier_is_refused(city):
    dossiers_import(actor=city.hr, agency=city.agency, file_name="hoso.csv", content=export(*lines(city)))
    ratings_import(actor=city.hr, agency=city.agency, file_name="danhgia.csv", content=ratings("HS-1,Hài lòng,1,1,1,1,1,1,1,1,1,17/11/2026 11:00"))

    refused = ratings_import(
        actor=city.hr,
        agency=city.agency,
        file_name="danhgia.csv",
        content=ratings("HS-1,Rất hài lòng,2,2,2,2,2,2,2,2,2,17/11/2026 11:30", "HS-404,Hài lòng,,,,,,,,,,17/11/2026"),
    )
    assert not refused.applied
    assert [outcome.code for outcome in refused.refused] == ["HS-404"]
    assert Rating.objects.get().level == "satisfied"

    updated = ratings_import(
        actor=city.hr, agency=city.agency, file_name="danhgia.csv", content=ratings("HS-1,Rất hài lòng,2,2,2,2,2,2,2,2,2,17/11/2026 11:30")
    )
    assert updated.count("update") == 1
    rating = Rating.objects.get()
    assert (rating.level, rating.scores, rating.source) == ("very_satisfied", [2] * 9, RatingSource.PORTAL)
