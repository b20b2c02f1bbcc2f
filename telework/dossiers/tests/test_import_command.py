"""``manage.py import_dossiers``: the counts printed (or JSON), a refused file exiting with status 1."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from telework.dossiers.models import Dossier, Rating

HEADER = "Mã hồ sơ,Mã thủ tục,Tên thủ tục,Thời hạn giải quyết,Đơn vị tiếp nhận,Ngày tiếp nhận,Trạng thái"


@pytest.fixture
def export_file(tmp_path, city):
    path = tmp_path / "hoso.csv"
    path.write_text(
        f"{HEADER}\nHS-1,1.0001,Chứng thực,3,{city.unit.code},16/11/2026 08:00,Đang xử lý\nHS-2,1.0001,Chứng thực,3,{city.unit.code},16/11/2026 09:00,\n"
    )
    return path


def run(*arguments: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("import_dossiers", *arguments, stdout=out)
    return out.getvalue()


def test_the_command_imports_and_prints_the_counts_then_reimports_unchanged(city, export_file):
    assert run(str(export_file), "--agency", city.agency.code) == "Rows: 2; created: 2; updated: 0; unchanged: 0; refused: 0.\n"
    report = json.loads(run(str(export_file), "--agency", city.agency.code, "--json"))

    assert (report["created"], report["unchanged"], report["applied"], report["problems"]) == (0, 2, True, [])
    assert Dossier.objects.count() == 2


def test_the_command_refuses_a_file_with_a_bad_row_and_imports_nothing(city, tmp_path):
    path = tmp_path / "hoso.csv"
    path.write_text(f"{HEADER}\nHS-1,1.0001,Chứng thực,3,{city.unit.code},16/11/2026 08:00,\nHS-2,1.0001,Chứng thực,3,PHONG-KHAC,16/11/2026 09:00,\n")
    out = StringIO()

    with translation.override("en"), pytest.raises(CommandError, match="1 rows have errors: nothing was imported"):
        call_command("import_dossiers", str(path), "--agency", city.agency.code, stdout=out)

    assert "row 3 — Đơn vị tiếp nhận: No unit “PHONG-KHAC” in this agency: write its code or its name." in out.getvalue()
    assert Dossier.objects.count() == 0
    assert "created: 1" in run(str(path), "--agency", city.agency.code, "--valid-only")


def test_the_command_imports_the_portals_ratings(city, export_file, tmp_path):
    run(str(export_file), "--agency", city.agency.code)
    ratings = tmp_path / "danhgia.csv"
    ratings.write_text("Mã hồ sơ,Mức độ hài lòng,Chỉ số 1,Ngày đánh giá\nHS-1,Hài lòng,2,17/11/2026 10:00\n")

    report = json.loads(run(str(ratings), "--agency", city.agency.code, "--ratings", "--json"))

    assert (report["created"], report["refused"]) == (1, 0)
    assert Rating.objects.get().scores == [2, None, None, None, None, None, None, None, None]
