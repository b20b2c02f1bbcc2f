"""The one reader of uploaded tables: limits refused with a typed error and its figures (never a sentence: each import
words its own advice), the CSV separator chosen by the header, formulas kept as formulas, merged cells on request."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from telework.core import tabular

LIMITS = tabular.Limits(max_file_bytes=1024 * 1024, max_rows=5, max_unzipped_bytes=10 * 1024 * 1024, header_rows=2)
KNOWN = {"ma", "ten", "ngay"}


def read(name: str, content: bytes, *, merged_cells: bool = False) -> list[tuple[object, ...]]:
    return tabular.read_rows(name, content, limits=LIMITS, is_known_header=lambda cell: cell.strip().lower() in KNOWN, merged_cells=merged_cells)


def workbook(build) -> bytes:  # type: ignore[no-untyped-def]
    book = Workbook()
    build(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_semicolon_csv_is_split_by_the_separator_that_finds_the_header():
    assert read("x.csv", "ma;ten;ngay\nA1;Một, hai;01/02/2026\n".encode()) == [("ma", "ten", "ngay"), ("A1", "Một, hai", "01/02/2026")]


def test_rows_past_the_limit_and_the_header_rows_are_refused_with_the_limit():
    content = ("ma,ten,ngay\n" + "A,B,C\n" * 7).encode()  # 8 rows: more than 5 + 2

    with pytest.raises(tabular.TableTooLarge) as refused:
        read("x.csv", content)

    assert (refused.value.code, refused.value.params) == ("too_many_rows", {"max": 5})
    assert len(read("x.csv", ("ma,ten,ngay\n" + "A,B,C\n" * 6).encode())) == 7


def test_a_file_over_the_size_limit_is_refused_unread_with_its_size():
    with pytest.raises(tabular.TableTooLarge) as refused:
        read("x.csv", b"x" * (LIMITS.max_file_bytes + 200 * 1024))

    assert (refused.value.code, refused.value.params) == ("file_too_large", {"size_mb": 1.2, "max_mb": 1})


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("x.xls", b"\xd0\xcf\x11\xe0", "old_excel"),
        ("x.pdf", b"%PDF-1.7", "file_type"),
        ("x.csv", "ma,ten\nA,Bình".encode("utf-16"), "encoding"),
        ("x.xlsx", b"PK\x03\x04 not a zip", "unreadable"),
    ],
)
def test_an_unreadable_file_is_refused_with_why(name, content, code):
    with pytest.raises(tabular.TableUnreadable) as refused:
        read(name, content)

    assert refused.value.code == code


def test_a_formula_reads_as_a_formula_and_merged_cells_as_their_top_left_value_when_asked():
    def build(sheet):  # type: ignore[no-untyped-def]
        sheet.append(["ma", "ten", "ngay"])
        sheet.append(["A1", "Phòng Kế hoạch", "=TODAY()"])
        sheet.append(["A2", None, "01/02/2026"])
        sheet.merge_cells("B2:B3")

    content = workbook(build)

    plain = read("x.xlsx", content)
    merged = read("x.xlsx", content, merged_cells=True)

    assert isinstance(plain[1][2], tabular.Formula)
    assert plain[1][2] == "=TODAY()"
    assert plain[2][1] is None
    assert merged[2][1] == "Phòng Kế hoạch"


def test_column_letters_run_past_z():
    assert [tabular.column_letter(index) for index in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
