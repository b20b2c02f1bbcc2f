"""An import has limits checked before the file is parsed: its size, its rows, and for a workbook the size of its
parts once unzipped; a message listing rows lists five and says how many more."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from telework.organization import importing
from telework.organization.importing.layout import HEADER_SEARCH_ROWS
from telework.organization.models import Staff
from telework.organization.services import ImportRefused
from telework.organization.tests.test_import import agency, csv_bytes, row, run  # noqa: F401 - the agency fixture

pytestmark = pytest.mark.django_db


def test_a_file_of_more_rows_than_the_limit_is_refused_before_its_rows_are_read(city, agency):  # noqa: F811
    header = ",".join(column.header for column in importing.COLUMNS).encode()
    content = header + b"\r\n" + b"X,\r\n" * (importing.MAX_IMPORT_ROWS + HEADER_SEARCH_ROWS + 1)

    with pytest.raises(ImportRefused) as refused:
        run(city.home_affairs, agency, "danh-sach.csv", content)

    problem = refused.value.report.file_problems[0]
    assert (refused.value.rule, problem.code, problem.params) == ("import_file_readable", "too_many_rows", {"max": 25_000})
    assert refused.value.report.rows == []
    assert not Staff.objects.filter(unit__agency=agency).exists()


def test_a_file_at_the_row_limit_is_read():
    header = ",".join(column.header for column in importing.COLUMNS).encode()
    table = importing.read_table("danh-sach.csv", header + b"\r\n" + b"X,\r\n" * importing.MAX_IMPORT_ROWS)
    assert (table.problems, len(table.rows)) == ([], importing.MAX_IMPORT_ROWS)


def _workbook_unzipping_to(size: int) -> bytes:
    """An .xlsx whose sheet unzips to ``size`` bytes (zeros: it zips to a few hundred kilobytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                sheet.write(chunk)
    return buffer.getvalue()


def test_a_workbook_too_large_once_unzipped_is_refused_before_it_is_opened():
    content = _workbook_unzipping_to(importing.MAX_WORKBOOK_UNCOMPRESSED_BYTES + 1024 * 1024)
    assert len(content) < 1024 * 1024

    table = importing.read_table("danh-sach.xlsx", content)

    assert [(problem.code, problem.params["max_mb"]) for problem in table.problems] == [("workbook_too_large", 100)]
    assert table.rows == []


def test_a_file_over_the_size_limit_is_refused_unread():
    table = importing.read_table("danh-sach.csv", b"x" * (importing.MAX_IMPORT_FILE_BYTES + 1))
    assert [(problem.code, problem.params) for problem in table.problems] == [("file_too_large", {"size_mb": 20.0, "max_mb": 20})]


def test_a_code_repeated_on_many_rows_lists_five_rows_and_counts_the_rest(city, agency):  # noqa: F811
    content = csv_bytes([row("MAU9999") for _ in range(8)])

    with pytest.raises(ImportRefused) as refused:
        run(city.home_affairs, agency, "danh-sach.csv", content)

    problem = refused.value.report.rows[0].problems[0]
    assert (problem.code, problem.params) == ("duplicate_code", {"code": "MAU9999", "rows": "2, 3, 4, 5, 6", "count": 8, "more": 3})
    assert problem.text() == "Mã cán bộ MAU9999 xuất hiện 8 lần trong tệp (các dòng 2, 3, 4, 5, 6 và 3 dòng khác)."


def test_the_upload_page_refuses_a_file_over_the_size_limit(client, city, settings, tmp_path):
    settings.TELEWORK_IMPORT_DIR = tmp_path / "imports"
    client.force_login(city.hr)
    handle = io.BytesIO(b"x" * (importing.MAX_IMPORT_FILE_BYTES + 1024 * 1024))
    handle.name = "danh-sach.csv"

    response = client.post(reverse("organization:import"), {"agency": city.agency.pk, "file": handle})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Tệp có dung lượng 21.0 MB; danh sách cán bộ tối đa 20 MB. Hãy tách tệp theo đơn vị và nhập từng phần."]
    assert not list((tmp_path / "imports").glob("*.upload"))
