"""The import screen for the one-stop export and the portal's ratings: upload → which column is which → the row
report → confirm → done; who may use it; the file held between the steps; the templates and the past imports."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from telework.accounts.models import Role
from telework.core.models import AuditEvent
from telework.dossiers import import_views
from telework.dossiers.forms import MAX_WEB_IMPORT_BYTES
from telework.dossiers.models import Dossier, DossierImport, Rating
from telework.dossiers.tests.test_imports import HEADER, RATING_HEADER, lines
from telework.organization.tests.factories import PositionFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.TELEWORK_IMPORT_DIR = tmp_path / "imports"
    return tmp_path / "imports" / "dossiers"


def upload(name: str, content: bytes) -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def send(client, city, content: bytes, *, kind: str = "dossiers", name: str = "hoso.csv"):
    return client.post(reverse("dossiers:import"), {"kind": kind, "agency": city.agency.pk, "file": upload(name, content)})


def confirm(client, *, valid_only: bool = False):
    token = client.session[import_views.SESSION_KEY]["token"]
    data = {"token": token, **({"valid_only": "on"} if valid_only else {})}
    return client.post(reverse("dossiers:import_confirm"), data)


def export_bytes(city, header: str = HEADER) -> bytes:
    return "\n".join((header, *lines(city))).encode()


def test_a_clean_export_goes_from_upload_to_done_with_its_counts(client, city):
    client.force_login(city.hr)

    preview = send(client, city, export_bytes(city))

    assert preview.status_code == 200
    assert [template.name for template in preview.templates][0] == "dossiers/import_preview.html"
    assert preview.context["counts"]["created"] == 3
    assert not Dossier.objects.exists()  # the preview writes nothing

    done = confirm(client)

    record = DossierImport.objects.get()
    assert done.url == reverse("dossiers:import_done", args=[record.pk])
    assert Dossier.objects.filter(agency=city.agency).count() == 3
    assert (record.imported_by, record.counts["created"], record.counts["refused"]) == (city.hr, 3, 0)
    assert AuditEvent.objects.filter(action="dossier.import", agency_id=city.agency.pk).count() == 1
    page = client.get(done.url)
    assert "3 tạo mới, 0 cập nhật, 0 không đổi." in page.content.decode()
    assert reverse("dossiers:quality") in page.content.decode()
    assert not list(import_views._import_dir().glob("*.upload"))  # the staged file is gone once imported


def test_a_renamed_column_is_mapped_by_the_user_then_imported(client, city):
    client.force_login(city.hr)
    renamed = HEADER.replace("Ngày tiếp nhận", "Thời điểm nộp hồ sơ")

    mapping = send(client, city, export_bytes(city, renamed))

    assert [template.name for template in mapping.templates][0] == "dossiers/import_mapping.html"
    content = mapping.content.decode()
    assert "Thiếu các cột bắt buộc: Ngày tiếp nhận." in content
    found = {column.header: column for column in mapping.context["report"].found}
    assert found["Thời điểm nộp hồ sơ"].key is None
    assert found["Mã hồ sơ"].key == "code"
    assert found["Thời điểm nộp hồ sơ"].samples[0] == "16/11/2026 08:15"

    column = found["Thời điểm nộp hồ sơ"]
    posted = {f"column-{item.index}": item.key or "" for item in mapping.context["report"].found}
    posted |= {f"header-{item.index}": item.normalized for item in mapping.context["report"].found}
    posted[f"column-{column.index}"] = "received"
    preview = client.post(reverse("dossiers:import_columns"), posted)

    assert [template.name for template in preview.templates][0] == "dossiers/import_preview.html"
    assert preview.context["counts"]["created"] == 3
    confirm(client)
    assert Dossier.objects.filter(agency=city.agency).count() == 3


def test_refused_rows_are_listed_with_their_column_and_nothing_is_written_without_valid_only(client, city):
    client.force_login(city.hr)
    rows = lines(city)
    rows[1] = rows[1].replace("16/11/2026 09:00", "31/02/2026 09:00")
    rows.append("HS-4,1.0001,,3,KHONG-CO,,16/11/2026 08:00,,,,,,,,")

    preview = send(client, city, "\n".join((HEADER, *rows)).encode())

    assert preview.context["counts"]["refused"] == 2
    refused = {outcome.code: outcome for outcome in preview.context["with_problems"] if outcome.action == "error"}
    assert [(problem.column, problem.text()) for problem in refused["HS-2"].problems] == [("Ngày tiếp nhận", "Không có ngày 31/02/2026 09:00 trên lịch.")]
    assert [(problem.column, problem.text()) for problem in refused["HS-4"].problems] == [
        ("Đơn vị tiếp nhận", "Cơ quan không có đơn vị “KHONG-CO”: ghi mã hoặc tên đơn vị.")
    ]
    content = preview.content.decode()
    assert 'data-row="3" data-action="error"' in content

    refused_confirm = confirm(client)

    assert refused_confirm.status_code == 200
    assert refused_confirm.context["confirm"].errors["valid_only"] == ["Đánh dấu ô này để nhập các dòng hợp lệ, hoặc sửa tệp."]
    assert not Dossier.objects.exists()
    assert not DossierImport.objects.exists()

    confirm(client, valid_only=True)

    assert sorted(Dossier.objects.values_list("code", flat=True)) == ["HS-1", "HS-3"]
    assert DossierImport.objects.get().counts["refused"] == 2


def test_the_same_export_imported_again_duplicates_nothing(client, city):
    client.force_login(city.hr)
    send(client, city, export_bytes(city))
    confirm(client)

    again = send(client, city, export_bytes(city))

    assert (again.context["counts"]["created"], again.context["counts"]["unchanged"]) == (0, 3)
    confirm(client)
    assert Dossier.objects.count() == 3
    assert [record.counts["unchanged"] for record in DossierImport.objects.order_by("pk")] == [0, 3]


def test_a_portal_rating_export_is_imported_through_the_same_steps(client, city):
    client.force_login(city.hr)
    send(client, city, export_bytes(city))
    confirm(client)
    ratings = "\n".join((RATING_HEADER, "HS-1,Rất hài lòng," + ",".join(["2"] * 9) + ",17/11/2026 11:00")).encode()

    preview = send(client, city, ratings, kind="ratings", name="danhgia.csv")

    assert preview.context["counts"]["created"] == 1
    confirm(client)
    assert Rating.objects.get().dossier.code == "HS-1"


def test_hr_of_another_agency_may_not_import_for_this_one(client, city):
    other_hr = StaffFactory(unit=city.outsider.unit, position=PositionFactory(agency=city.other_agency), user__role=Role.AGENCY_HR).user
    client.force_login(other_hr)

    response = send(client, city, export_bytes(city))

    assert response.status_code == 200
    assert "agency" in response.context["form"].errors  # not a choice of theirs
    assert not Dossier.objects.exists()
    assert [agency.pk for agency in response.context["form"].fields["agency"].queryset] == [city.other_agency.pk]


def test_a_staged_file_of_another_agency_cannot_be_confirmed_by_its_outsider(client, city):
    client.force_login(city.hr)
    send(client, city, export_bytes(city))
    staged = client.session[import_views.SESSION_KEY]
    other_hr = StaffFactory(unit=city.outsider.unit, position=PositionFactory(agency=city.other_agency), user__role=Role.AGENCY_HR).user
    client.force_login(other_hr)
    session = client.session
    session[import_views.SESSION_KEY] = staged
    session.save()

    response = client.post(reverse("dossiers:import_confirm"), {"token": staged["token"]})

    assert response.status_code == 403
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("role_user", ["head_user", "leadership"])
def test_who_does_not_import_is_refused(client, city, role_user):
    client.force_login(getattr(city, role_user))

    assert client.get(reverse("dossiers:import")).status_code == 403
    assert client.get(reverse("dossiers:import_history")).status_code == 403


@pytest.mark.parametrize("role_user", ["home_affairs", "admin"])
def test_home_affairs_and_administrators_choose_the_agency(client, city, role_user):
    client.force_login(getattr(city, role_user))

    page = client.get(reverse("dossiers:import"))

    assert page.status_code == 200
    assert {city.agency.pk, city.other_agency.pk} <= {agency.pk for agency in page.context["form"].fields["agency"].queryset}


def test_an_oversize_file_is_refused_with_a_clear_message_and_nothing_staged(client, city, import_dir):
    client.force_login(city.hr)

    response = send(client, city, b"x" * (MAX_WEB_IMPORT_BYTES + 1024 * 1024))

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Tệp có dung lượng 21.0 MB; tệp kết xuất gửi tại đây tối đa 20 MB. Hãy kết xuất ít ngày hơn mỗi lần."]
    assert not list(import_dir.glob("*.upload"))


def test_an_unreadable_file_is_refused_whole_in_words(client, city):
    client.force_login(city.hr)

    response = send(client, city, "Mã hồ sơ;Mã thủ tục\nHS-1;1".encode("utf-16"))

    assert [problem.code for problem in response.context["report"].file_problems] == ["encoding"]
    assert "Tệp CSV không ở mã UTF-8 nên chữ tiếng Việt sẽ bị lỗi phông." in response.content.decode()


def test_a_file_changed_since_the_preview_is_refused(client, city):
    client.force_login(city.hr)
    send(client, city, export_bytes(city))
    token = client.session[import_views.SESSION_KEY]["token"]
    (import_views._import_dir() / f"{token}.upload").write_bytes(export_bytes(city) + b"\nHS-9,1.0001,,3,X,,16/11/2026 08:00,,,,,,,,")

    response = confirm(client)

    assert response.status_code == 302
    assert not Dossier.objects.exists()
    assert not DossierImport.objects.exists()


def test_an_expired_upload_sends_back_to_the_first_step(client, city):
    client.force_login(city.hr)

    response = client.post(reverse("dossiers:import_confirm"), {"token": "gone"})

    assert response.url == reverse("dossiers:import")


def test_past_imports_list_who_when_file_and_counts_of_the_viewers_agencies_only(client, city):
    client.force_login(city.hr)
    send(client, city, export_bytes(city))
    confirm(client)
    other_hr = StaffFactory(unit=city.outsider.unit, position=PositionFactory(agency=city.other_agency), user__role=Role.AGENCY_HR).user

    mine = client.get(reverse("dossiers:import_history"))
    record = DossierImport.objects.get()
    client.force_login(other_hr)
    theirs = client.get(reverse("dossiers:import_history"))

    assert mine.context["records"] == [record]
    assert 'data-count="created">3<' in mine.content.decode()
    assert "hoso.csv" in mine.content.decode()
    assert theirs.context["records"] == []
    assert client.get(reverse("dossiers:import_done", args=[record.pk])).status_code == 404


@pytest.mark.parametrize(("kind", "first_header"), [("dossiers", "Mã hồ sơ"), ("ratings", "Mã hồ sơ")])
def test_the_template_of_each_export_reads_back_without_a_problem(client, city, kind, first_header):
    from telework.dossiers import importing

    client.force_login(city.hr)

    response = client.get(reverse("dossiers:import_template", args=[kind]))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.cell(1, 1).value == first_header
    layout, required = (importing.RATING_HEADERS, importing.RATING_REQUIRED) if kind == "ratings" else (importing.DOSSIER_HEADERS, importing.DOSSIER_REQUIRED)
    table = importing.read_table("mau.xlsx", response.content, layout=layout, required=required)
    assert (table.problems, len(table.rows), table.needs_mapping) == ([], 1, False)


def test_hr_sees_the_import_in_the_navigation(client, city):
    client.force_login(city.hr)

    page = client.get(reverse("dossiers:import_history"))

    assert f'href="{reverse("dossiers:import")}" id="nav-dossier-import"' in page.content.decode()


def test_the_past_imports_page_costs_the_same_queries_for_one_import_or_many(client, city, django_assert_num_queries, django_assert_max_num_queries):
    client.force_login(city.hr)
    send(client, city, export_bytes(city))
    confirm(client)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("dossiers:import_history"))
    queries_for_one = len(one.captured_queries)  # read now: each request empties Django's query log
    for _ in range(3):
        send(client, city, export_bytes(city))
        confirm(client)

    with django_assert_num_queries(queries_for_one):
        page = client.get(reverse("dossiers:import_history"))

    assert len(page.context["records"]) == 4
