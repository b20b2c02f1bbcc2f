"""File types are recognised from the content, and must agree with the name."""

from __future__ import annotations

import pytest

from telework.assignments import uploads
from telework.assignments.tests.helpers import EXECUTABLE, JPEG, PDF, PNG, SCRIPT, office_file, plain_zip


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpg"),
        (office_file("docx"), "docx"),
        (office_file("xlsx"), "xlsx"),
        (plain_zip(), None),
        (EXECUTABLE, None),
        (SCRIPT, None),
    ],
)
def test_sniff_reads_the_content(content, kind):
    assert uploads.sniff(content) == kind


def test_a_truncated_office_file_is_not_recognised():
    assert uploads.sniff(office_file("docx")[:40]) is None


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("hoa-don.pdf", EXECUTABLE, "content"),
        ("anh.pdf", PNG, "mismatch"),
        ("bang.xlsx", office_file("docx"), "mismatch"),
        ("virus.exe", EXECUTABLE, "extension"),
        ("khong-duoi", PDF, "extension"),
        ("rong.pdf", b"", "empty"),
    ],
)
def test_check_upload_refuses(name, content, code):
    kind, problem = uploads.check_upload(name, content)
    assert (kind, problem.code) == (None, code)


def test_check_upload_refuses_over_the_size_limit_before_reading_the_type():
    kind, problem = uploads.check_upload("lon.pdf", PDF + b"x" * uploads.MAX_ATTACHMENT_BYTES)
    assert (kind, problem.code, problem.params["max_mb"]) == (None, "too_large", 10)


def test_check_upload_accepts_a_file_exactly_at_the_limit():
    content = PDF + b"x" * (uploads.MAX_ATTACHMENT_BYTES - len(PDF))
    assert uploads.check_upload("dung-gioi-han.PDF", content) == ("pdf", None)
