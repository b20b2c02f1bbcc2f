"""``manage.py eligibility``: the decision rule by rule on the command line, and the API's JSON with --json."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from telework.demo.testing import next_monday


def run(*args: str) -> str:
    out = StringIO()
    call_command("eligibility", *args, stdout=out, no_color=True)
    return out.getvalue()


@pytest.mark.django_db
def test_json_output_is_the_apis_json(city, client):
    day = next_monday().isoformat()
    printed = json.loads(run(city.clerk.code, "--date", day, "--json"))
    client.force_login(city.home_affairs)
    assert printed == client.get(f"/api/eligibility/{city.clerk.code}", {"date": day}).json()
    assert printed["is_eligible"] is False


@pytest.mark.django_db
def test_human_output_marks_each_rule_in_english(city):
    lines = run(city.clerk.code, "--date", next_monday().isoformat(), "--language", "en").splitlines()
    assert lines[0] == f"{city.clerk.full_name} ({city.clerk.code}) · Cán bộ một cửa · {city.unit.name} · {city.agency.name}"
    assert lines[1] == f"{next_monday():%d/%m/%Y}: not eligible to work from home."
    assert len(lines) == 13
    rule_lines = lines[2:12]
    assert [line.strip()[0] for line in rule_lines] == ["✓", "✓", "✓", "✓", "✗", "✗", "✗", "✓", "✓", "✓"]
    assert "  ✗ Position Cán bộ một cửa is a one-stop desk post.  [position.is_one_stop_desk]" in rule_lines
    assert lines[12] == "3 of 10 rules not met."


@pytest.mark.django_db
def test_human_output_gives_the_vietnamese_reasons_by_default(city):
    day = next_monday().isoformat()
    decision = json.loads(run(city.staff[0].code, "--date", day, "--json"))
    rule_lines = run(city.staff[0].code, "--date", day).splitlines()[2:]
    assert rule_lines == [f"  ✓ {rule['reason_vi']}  [{rule['parameter'] or rule['code']}]" for rule in decision["rules"]]
    assert run(city.staff[0].code, "--date", day) == run(city.staff[0].code, "--date", day, "--language", "vi")


@pytest.mark.django_db
def test_unknown_staff_code_exits_with_code_1():
    with pytest.raises(CommandError) as failure:
        run("NO-SUCH-CODE", "--language", "en")
    assert failure.value.returncode == 1
    assert str(failure.value) == "No staff member has the code “NO-SUCH-CODE”."


@pytest.mark.django_db
def test_malformed_date_is_refused(city):
    with pytest.raises(CommandError, match="31/12/2026"):
        run(city.staff[0].code, "--date", "31/12/2026")
