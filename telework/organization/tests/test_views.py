"""Organisation screens: who may read and who may change what, the two-step import, the staff list's filters and
query count, positions and service points edited with an audit row, refused requests changing nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from telework.accounts.models import Role
from telework.core.models import AuditEvent
from telework.organization import importing
from telework.organization.models import ServicePoint, Staff
from telework.organization.tests.factories import StaffFactory, UnitFactory

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.TELEWORK_IMPORT_DIR = tmp_path / "imports"
    return settings.TELEWORK_IMPORT_DIR


@pytest.fixture
def users(city):
    agency_head = StaffFactory(unit=city.unit, position=city.staff[0].position, full_name="Thủ Trưởng", user__role=Role.AGENCY_HEAD).user
    other_hr = StaffFactory(unit=city.outsider.unit, position=city.outsider.position, full_name="Nhân Sự Khác", user__role=Role.AGENCY_HR).user
    return {
        "staff": city.staff[0].user,
        "unit_head": city.head_user,
        "agency_head": agency_head,
        "agency_hr": city.hr,
        "other_hr": other_hr,
        "home_affairs": city.home_affairs,
        "leadership": city.leadership,
        "admin": city.admin,
    }


def upload(client, agency, path: Path, name: str | None = None):  # type: ignore[no-untyped-def]
    handle = io.BytesIO(path.read_bytes())
    handle.name = name or path.name
    return client.post(reverse("organization:import"), {"agency": agency.pk, "file": handle})


# --- Who may read ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", 403),
        ("unit_head", 200),
        ("agency_head", 200),
        ("agency_hr", 200),
        ("home_affairs", 200),
        ("leadership", 200),
        ("admin", 200),
    ],
)
@pytest.mark.parametrize("page", ["organization:units", "organization:positions", "organization:service_points"])
def test_units_positions_and_desks_are_read_by_unit_heads_and_above(client, users, role, expected, page):
    client.force_login(users[role])

    assert client.get(reverse(page)).status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", 403),
        ("unit_head", 403),
        ("agency_head", 403),
        ("leadership", 403),
        ("agency_hr", 200),
        ("home_affairs", 200),
        ("admin", 200),
    ],
)
@pytest.mark.parametrize("page", ["organization:import", "organization:import_template", "organization:service_point_create"])
def test_only_hr_home_affairs_and_admins_reach_the_import_and_desk_forms(client, users, role, expected, page):
    client.force_login(users[role])

    assert client.get(reverse(page)).status_code == expected


@pytest.mark.parametrize(
    ("role", "target", "expected"),
    [
        ("staff", "self", 200),
        ("staff", "colleague", 404),
        ("unit_head", "colleague", 200),
        ("agency_hr", "colleague", 200),
        ("other_hr", "colleague", 404),
        ("home_affairs", "colleague", 200),
        ("unit_head", "outsider", 404),
    ],
)
def test_a_staff_record_outside_the_viewers_scope_answers_404(client, city, users, role, target, expected):
    staff = {"self": city.staff[0], "colleague": city.staff[1], "outsider": city.outsider}[target]
    client.force_login(users[role])

    assert client.get(reverse("organization:staff_detail", args=[staff.code])).status_code == expected


def test_the_staff_list_shows_only_the_viewers_scope(client, city, users):
    client.force_login(users["unit_head"])

    response = client.get(reverse("organization:staff_list"))

    shown = {staff.code for staff in response.context["page"].object_list}
    assert shown == {city.head.code, city.clerk.code, users["agency_head"].staff.code, *(staff.code for staff in city.staff)}


def test_a_staff_member_sees_only_themselves_in_the_staff_list(client, city, users):
    client.force_login(users["staff"])

    response = client.get(reverse("organization:staff_list"))

    assert [staff.code for staff in response.context["page"].object_list] == [city.staff[0].code]


# --- Staff list and record ---------------------------------------------------------------------------------------------


def test_the_staff_list_filters_by_flag_type_unit_and_search(client, city):
    client.force_login(city.hr)
    url = reverse("organization:staff_list")

    desk = client.get(url, {"flag": "is_one_stop_desk"}).context["page"].object_list
    open_positions = {staff.code for staff in client.get(url, {"flag": "position_open"}).context["page"].object_list}
    by_name = client.get(url, {"q": "phạm thị"}).context["page"].object_list
    by_unit = {staff.code for staff in client.get(url, {"unit": city.unit.pk}).context["page"].object_list}
    by_type = client.get(url, {"staff_type": "vien_chuc"}).context["page"].object_list

    assert [staff.code for staff in desk] == [city.clerk.code]
    assert city.clerk.code not in open_positions
    assert city.staff[0].code in open_positions
    assert [staff.code for staff in by_name] == [city.clerk.code]
    assert by_unit == {city.head.code, city.clerk.code, *(staff.code for staff in city.staff)}
    assert list(by_type) == []


def test_the_staff_list_answers_htmx_with_the_results_only(client, city):
    client.force_login(city.hr)

    response = client.get(reverse("organization:staff_list"), {"q": "Lê Văn 3"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="staff-results")

    content = response.content.decode()
    assert content.lstrip().startswith('<div id="staff-results">')
    assert city.staff[3].full_name in content
    assert "<nav" not in content


def test_the_staff_list_shows_position_flags_as_badges(client, city):
    client.force_login(city.hr)

    content = client.get(reverse("organization:staff_list"), {"flag": "is_one_stop_desk"}).content.decode()

    assert 'class="badge rounded-pill text-bg-danger"' in content
    assert city.clerk.full_name in content


def test_the_staff_list_is_paginated_and_its_query_count_does_not_grow_with_staff(client, city, django_assert_num_queries):
    client.force_login(city.home_affairs)
    url = reverse("organization:staff_list")
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for index in range(60):
        StaffFactory(unit=city.unit, position=city.staff[0].position, direct_superior=city.head, full_name=f"Thêm {index}")

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url, {"page": 2})

    assert response.context["page"].number == 2
    assert response.context["page"].paginator.count == 72
    assert len(small.captured_queries) <= 10


def test_the_staff_record_shows_post_equipment_superior_reports_desks_and_eligibility_link(client, city):
    client.force_login(city.hr)

    head = client.get(reverse("organization:staff_detail", args=[city.head.code])).content.decode()
    clerk = client.get(reverse("organization:staff_detail", args=[city.clerk.code])).content.decode()

    assert f"{reverse('registrations:eligibility')}?staff={city.head.code}" in head
    assert all(staff.full_name in head for staff in city.staff)  # direct reports
    assert city.head.full_name in clerk  # direct superior
    assert city.desk.name in clerk
    assert 'data-equipment="printer"' in clerk


# --- Units, positions, service points ----------------------------------------------------------------------------------


def test_the_unit_tree_shows_subunits_with_headcounts_and_leaders(client, city):
    sub = UnitFactory(agency=city.agency, parent=city.unit, name="Tổ tổng hợp")
    StaffFactory(unit=sub, position=city.staff[0].position, is_leader=True, full_name="Tổ Trưởng")
    client.force_login(city.hr)

    nodes = client.get(reverse("organization:units")).context["nodes"]

    summary = [(node.unit.name, node.depth, node.headcount, node.total, [leader.full_name for leader in node.leaders]) for node in nodes]
    assert ("Phòng Kế hoạch", 0, 10, 11, ["Trần Thị Trưởng"]) in summary
    assert ("Tổ tổng hợp", 1, 1, 1, ["Tổ Trưởng"]) in summary
    assert [name for name, *_ in summary].index("Tổ tổng hợp") == [name for name, *_ in summary].index("Phòng Kế hoạch") + 1


def test_a_unit_head_sees_only_their_subtree(client, city):
    client.force_login(city.head_user)

    nodes = client.get(reverse("organization:units")).context["nodes"]

    assert [node.unit.name for node in nodes] == ["Phòng Kế hoạch"]


def test_hr_changes_position_flags_with_an_audit_row(client, city):
    client.force_login(city.hr)
    position = city.staff[0].position

    response = client.post(reverse("organization:position_flags", args=[position.pk]), {"faces_citizens": "on"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert f'id="position-{position.pk}"' in response.content.decode()
    position.refresh_from_db()
    assert (position.faces_citizens, position.handles_dossiers) == (True, False)
    event = AuditEvent.objects.get(action="position.flags", object_id=str(position.pk))
    assert (event.before, event.after, event.actor) == ({"faces_citizens": False}, {"faces_citizens": True}, city.hr)


@pytest.mark.parametrize(("role", "expected"), [("unit_head", 403), ("agency_head", 403), ("leadership", 403), ("other_hr", 404)])
def test_position_flags_cannot_be_changed_by_readers_or_other_agencies(client, city, users, role, expected):
    client.force_login(users[role])
    position = city.desk_position

    response = client.post(reverse("organization:position_flags", args=[position.pk]), {})

    assert response.status_code == expected
    position.refresh_from_db()
    assert (position.faces_citizens, position.handles_dossiers, position.is_one_stop_desk) == (True, True, True)
    assert not AuditEvent.objects.filter(action="position.flags").exists()


def test_readers_see_flags_without_switches(client, city):
    client.force_login(city.head_user)

    content = client.get(reverse("organization:positions")).content.decode()

    assert 'role="switch"' not in content
    assert city.desk_position.name in content


def test_hr_creates_a_desk_with_qualified_staff_and_an_audit_row(client, city):
    client.force_login(city.hr)

    response = client.post(
        reverse("organization:service_point_create"),
        {
            "unit": city.unit.pk,
            "name": "Quầy trả kết quả",
            "kind": "one_stop_desk",
            "code": "",
            "required_on_site": "1",
            "qualified_staff": [city.clerk.pk, city.staff[0].pk],
        },
    )

    assert response.status_code == 302
    point = ServicePoint.objects.get(name="Quầy trả kết quả")
    assert point.code == f"{city.unit.code}-MC1"
    assert set(point.qualified_staff.values_list("code", flat=True)) == {city.clerk.code, city.staff[0].code}
    event = AuditEvent.objects.get(action="service_point.create")
    assert event.after["qualified_staff"] == sorted([city.clerk.code, city.staff[0].code])


def test_a_desk_needing_more_staff_than_qualified_is_refused_next_to_the_field(client, city):
    client.force_login(city.hr)
    before = ServicePoint.objects.count()

    response = client.post(
        reverse("organization:service_point_create"),
        {"unit": city.unit.pk, "name": "Quầy mới", "kind": "one_stop_desk", "required_on_site": "3", "qualified_staff": [city.clerk.pk]},
    )

    assert response.status_code == 200
    assert 'data-field-error="required_on_site"' in response.content.decode()
    assert ServicePoint.objects.count() == before


def test_qualified_staff_must_belong_to_the_desks_unit(client, city):
    client.force_login(city.home_affairs)
    before = set(city.desk.qualified_staff.values_list("pk", flat=True))

    response = client.post(
        reverse("organization:service_point_edit", args=[city.desk.pk]),
        {"unit": city.unit.pk, "name": city.desk.name, "kind": "one_stop_desk", "code": city.desk.code, "qualified_staff": [city.outsider.pk]},
    )

    assert response.status_code == 200
    assert 'data-field-error="qualified_staff"' in response.content.decode()
    assert set(city.desk.qualified_staff.values_list("pk", flat=True)) == before


def test_hr_edits_a_desk_and_the_change_is_audited(client, city):
    client.force_login(city.hr)

    response = client.post(
        reverse("organization:service_point_edit", args=[city.desk.pk]),
        {
            "unit": city.unit.pk,
            "name": "Bàn tiếp nhận",
            "kind": "one_stop_desk",
            "code": city.desk.code,
            "required_on_site": "",
            "qualified_staff": [city.clerk.pk, city.staff[2].pk],
        },
    )

    assert response.status_code == 302
    city.desk.refresh_from_db()
    assert city.desk.name == "Bàn tiếp nhận"
    event = AuditEvent.objects.get(action="service_point.update")
    assert (event.before["name"], event.after["name"], event.after["qualified_staff"]) == (
        "Bàn tiếp nhận hồ sơ",
        "Bàn tiếp nhận",
        sorted([city.clerk.code, city.staff[2].code]),
    )


def test_hr_cannot_edit_a_desk_of_another_agency(client, city, users):
    client.force_login(users["other_hr"])

    response = client.post(reverse("organization:service_point_edit", args=[city.desk.pk]), {"unit": city.unit.pk, "name": "X", "kind": "duty_post"})

    assert response.status_code == 404
    city.desk.refresh_from_db()
    assert city.desk.name == "Bàn tiếp nhận hồ sơ"


def test_the_desk_form_reloads_the_staff_of_the_chosen_unit(client, city):
    client.force_login(city.hr)

    content = client.get(reverse("organization:service_point_staff_options"), {"unit": city.unit.pk}, HTTP_HX_REQUEST="true").content.decode()

    assert content.lstrip().startswith('<div class="card mb-3" id="staff-options">')
    assert city.clerk.full_name in content
    assert city.outsider.full_name not in content


def test_the_desk_list_says_where_the_required_number_comes_from(client, city):
    client.force_login(city.head_user)

    rows = client.get(reverse("organization:service_points")).context["rows"]

    assert [(row["point"].code, row["required"], row["from_policy"], len(row["qualified"]), row["short"]) for row in rows] == [
        (city.desk.code, city.policy.parameters["desk_staff_on_site"], True, 1, False)
    ]


# --- Import, two steps ---------------------------------------------------------------------------------------------------


def test_a_valid_file_is_previewed_then_imported_on_confirmation(client, city):
    client.force_login(city.hr)

    preview = upload(client, city.agency, SAMPLES / "staff_valid.xlsx")

    assert preview.status_code == 200
    assert preview.context["counts"]["created"] == 12
    assert not Staff.objects.filter(code__startswith="MAU").exists()
    token = preview.context["confirm"].initial["token"]

    done = client.post(reverse("organization:import_confirm"), {"token": token, "accept_structure": "on"})

    assert done.status_code == 302
    assert Staff.objects.filter(code__startswith="MAU", unit__agency=city.agency).count() == 12
    result = client.get(done["Location"])
    assert result.status_code == 200
    assert result.context["counts"]["created"] == 12


def test_a_file_with_errors_is_refused_on_confirmation_unless_valid_only_is_ticked(client, city):
    client.force_login(city.hr)
    preview = upload(client, city.agency, SAMPLES / "staff_errors.xlsx")
    content = preview.content.decode()
    assert 'data-row="3" data-action="error"' in content
    assert 'data-problem="required" data-column="Họ và tên"' in content
    token = preview.context["confirm"].initial["token"]

    refused = client.post(reverse("organization:import_confirm"), {"token": token})

    assert refused.status_code == 200
    assert 'data-rule="import_all_rows_valid"' in refused.content.decode()
    assert 'data-field-error="valid_only"' in refused.content.decode()
    assert not Staff.objects.filter(code__startswith="MAU").exists()
    assert not AuditEvent.objects.filter(action="organization.import").exists()

    imported = client.post(reverse("organization:import_confirm"), {"token": token, "valid_only": "on", "accept_structure": "on"})

    assert imported.status_code == 302
    assert sorted(Staff.objects.filter(code__startswith="MAU").values_list("code", flat=True)) == ["MAU0101", "MAU0110", "MAU0111"]


def test_a_confirmation_without_the_uploaded_file_imports_nothing(client, city):
    client.force_login(city.hr)

    response = client.post(reverse("organization:import_confirm"), {"token": "made-up"})

    assert response.status_code == 302
    assert response["Location"] == reverse("organization:import")
    assert not AuditEvent.objects.filter(action="organization.import").exists()


def test_hr_cannot_upload_into_another_agency(client, city):
    client.force_login(city.hr)

    response = upload(client, city.other_agency, SAMPLES / "staff_valid.xlsx")

    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    assert not Staff.objects.filter(code__startswith="MAU").exists()


def test_home_affairs_chooses_the_agency(client, city):
    client.force_login(city.home_affairs)

    preview = upload(client, city.other_agency, SAMPLES / "staff_valid.csv")
    client.post(reverse("organization:import_confirm"), {"token": preview.context["confirm"].initial["token"], "accept_structure": "on"})

    assert Staff.objects.filter(code__startswith="MAU", unit__agency=city.other_agency).count() == 12


def test_a_unit_head_cannot_upload(client, city, import_dir):
    client.force_login(city.head_user)

    response = upload(client, city.agency, SAMPLES / "staff_valid.xlsx")

    assert response.status_code == 403
    assert not import_dir.exists() or not any(import_dir.iterdir())


def test_an_old_xls_file_is_refused_next_to_the_file_field(client, city):
    client.force_login(city.hr)

    response = upload(client, city.agency, SAMPLES / "staff_valid.xlsx", name="danh-sach.xls")

    assert response.status_code == 200
    assert 'data-field-error="file"' in response.content.decode()


def test_the_template_holds_the_headers_and_an_example_row_that_imports_cleanly(client, city):
    client.force_login(city.hr)

    response = client.get(reverse("organization:import_template"))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in workbook.worksheets[0][1]] == [column.header for column in importing.COLUMNS]
    assert workbook.sheetnames == ["Danh sách cán bộ", "Hướng dẫn"]
    table = importing.read_table("template.xlsx", response.content)
    rows = importing.parse_rows(table, today=__import__("datetime").date(2025, 11, 3))
    report = importing.plan_import(table, rows, importing.AgencySnapshot())
    assert [(row.action, row.problems) for row in report.rows] == [(importing.CREATE, [])]


def test_the_import_page_of_hr_fixes_their_agency(client, city):
    client.force_login(city.hr)

    response = client.get(reverse("organization:import"))

    assert response.context["form"].fixed_agency == city.agency
    assert f'name="agency" value="{city.agency.pk}"' in response.content.decode()


def test_position_flags_changed_by_an_import_are_audited(client, city):
    from telework.organization.tests.test_import import csv_bytes, row

    client.force_login(city.hr)
    desk = city.desk_position
    content = csv_bytes(
        [
            row(
                "T1",
                unit_code=city.unit.code,
                position_code=desk.code,
                position_name=desk.name,
                faces_citizens="Không",
                handles_dossiers="Có",
                is_one_stop_desk="Có",
            )
        ]
    )
    handle = io.BytesIO(content)
    handle.name = "t.csv"
    preview = client.post(reverse("organization:import"), {"agency": city.agency.pk, "file": handle})
    client.post(reverse("organization:import_confirm"), {"token": preview.context["confirm"].initial["token"], "accept_structure": "on"})

    desk.refresh_from_db()
    assert desk.faces_citizens is False
    event = AuditEvent.objects.get(action="position.update", object_id=str(desk.pk))
    assert (event.before, event.after) == ({"faces_citizens": True}, {"faces_citizens": False})
