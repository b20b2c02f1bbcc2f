"""``manage.py import_staff``: the same import and report as the web page, from the shell."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from telework.core.models import AuditEvent
from telework.organization.models import Staff
from telework.organization.tests.factories import AgencyFactory

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture
def agency(db):  # type: ignore[no-untyped-def]
    return AgencyFactory(code="MAU", name="Sở Mẫu")


def command(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_staff", *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_the_report_and_imports_nothing(agency):
    output = command(str(SAMPLES / "staff_valid.xlsx"), "--agency", "MAU", "--dry-run", "--accept-structure")

    assert "Row      3  MAU0002" in output
    assert "12 rows: 12 to create, 0 to update, 0 unchanged, 0 refused, 1 with warnings." in output
    assert "Dry run: nothing was imported." in output
    assert not Staff.objects.filter(unit__agency=agency).exists()


def test_the_command_imports_and_a_second_run_reports_every_row_unchanged(agency):
    command(str(SAMPLES / "staff_valid.csv"), "--agency", "MAU", "--accept-structure")

    output = command(str(SAMPLES / "staff_valid.csv"), "--agency", "MAU")

    assert Staff.objects.filter(unit__agency=agency).count() == 12
    assert "12 rows: 0 to create, 0 to update, 12 unchanged" in output
    summary = AuditEvent.objects.filter(action="organization.import").first()
    assert summary is not None
    assert (summary.actor, summary.actor_label) == (None, "system")


def test_a_file_with_errors_fails_with_the_rule_and_imports_nothing(agency):
    out = io.StringIO()

    with pytest.raises(CommandError, match=r"9 rows have errors, so nothing was imported.*\[import_all_rows_valid\]"), translation.override("en"):
        call_command("import_staff", str(SAMPLES / "staff_errors.xlsx"), "--agency", "MAU", stdout=out)

    assert "[error] Email: “mvson@” is not a valid e-mail address." in out.getvalue()
    assert not Staff.objects.filter(unit__agency=agency).exists()


def test_valid_only_imports_the_valid_rows(agency):
    output = command(str(SAMPLES / "staff_errors.xlsx"), "--agency", "MAU", "--valid-only", "--accept-structure", "--problems-only")

    assert sorted(Staff.objects.filter(unit__agency=agency).values_list("code", flat=True)) == ["MAU0101", "MAU0110", "MAU0111"]
    assert "MAU0101" not in output  # a row without problems is left out by --problems-only
    assert "[warning] Mã cấp trên trực tiếp" in output


def test_an_unknown_agency_or_file_is_an_error(agency):
    with pytest.raises(CommandError, match="No agency has the code NOPE"):
        command(str(SAMPLES / "staff_valid.csv"), "--agency", "NOPE")
    with pytest.raises(CommandError, match="File not found"):
        command(str(SAMPLES / "missing.csv"), "--agency", "MAU")


def _exit_status(*args: str) -> int:
    """The exit status ``manage.py import_staff …`` ends with, as a shell script would see it: Django's
    ``run_from_argv`` prints a ``CommandError`` to stderr and exits with its ``returncode``. (Running it through
    ``execute_from_command_line`` here would close the test's database connection on the way out.)"""
    import sys

    with translation.override("en"):
        try:
            call_command("import_staff", *args, stdout=sys.stdout, stderr=sys.stderr)
        except CommandError as error:
            sys.stderr.write(f"CommandError: {error}\n")
            return int(error.returncode)
    return 0


def test_a_dry_run_of_a_file_with_errors_exits_non_zero(agency, capsys):
    assert _exit_status(str(SAMPLES / "staff_errors.xlsx"), "--agency", "MAU", "--dry-run") == 1
    assert "9 rows have errors: the import would be refused." in capsys.readouterr().err
    assert not Staff.objects.filter(unit__agency=agency).exists()


def test_a_failed_import_exits_non_zero(agency, capsys):
    assert _exit_status(str(SAMPLES / "staff_errors.xlsx"), "--agency", "MAU") == 1
    assert not Staff.objects.filter(unit__agency=agency).exists()


def test_a_dry_run_of_a_valid_file_exits_zero(agency):
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_staff", str(SAMPLES / "staff_valid.csv"), "--agency", "MAU", "--dry-run", "--accept-structure", stdout=out)
    assert "Dry run: nothing was imported." in out.getvalue()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(agency, tmp_path):
    big = tmp_path / "danh-sach.csv"
    with big.open("wb") as file:
        file.truncate(21 * 1024 * 1024)  # sparse: 21 MB by its size, nothing written
    with pytest.raises(CommandError, match=r"The file is 21.0 MB; a staff list may be at most 20 MB"):
        command(str(big), "--agency", "MAU")
    assert not AuditEvent.objects.filter(action="organization.import").exists()
