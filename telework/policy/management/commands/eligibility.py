"""``manage.py eligibility STAFF_CODE [--date YYYY-MM-DD] [--json] [--language vi|en]``: the eligibility decision,
rule by rule, as the web page and the API give it. ``--json`` prints exactly the API's JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from telework.core import clock
from telework.organization.models import Staff
from telework.policy.eligibility import EligibilityDecision
from telework.policy.selectors import eligibility_for


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"“{value}” is not a date in the form YYYY-MM-DD") from error


class Command(BaseCommand):
    help = "Whether a staff member may work from home on a date, rule by rule, with each rule's reason (Vietnamese by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("staff_code", help="the staff member's code, as in the HR file")
        parser.add_argument("--date", type=_iso_date, default=None, help="the day to decide, YYYY-MM-DD (default: today)")
        parser.add_argument("--json", action="store_true", help="print the decision as the API's JSON")
        parser.add_argument("--language", choices=["vi", "en"], default="vi", help="language of the reasons (default: vi)")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            staff = Staff.objects.select_related("unit__agency", "position").filter(code=options["staff_code"]).first()
            if staff is None:
                raise CommandError(_("No staff member has the code “%(code)s”.") % {"code": options["staff_code"]}, returncode=1)
            decision = eligibility_for(staff, options["date"] or clock.today())
            if options["json"]:
                self.stdout.write(json.dumps(decision.as_dict(), ensure_ascii=False, indent=2))
            else:
                self._print(staff, decision)

    def _print(self, staff: Staff, decision: EligibilityDecision) -> None:
        self.stdout.write(f"{staff.full_name} ({staff.code}) · {staff.position.name} · {staff.unit.name} · {staff.unit.agency.name}")
        template = _("%(date)s: eligible to work from home.") if decision.is_eligible else _("%(date)s: not eligible to work from home.")
        verdict = template % {"date": decision.on.strftime("%d/%m/%Y")}
        self.stdout.write(self.style.SUCCESS(verdict) if decision.is_eligible else self.style.ERROR(verdict))
        for rule in decision.rules:
            mark = self.style.SUCCESS("✓") if rule.passed else self.style.ERROR("✗")
            self.stdout.write(f"  {mark} {rule.reason()}  [{rule.parameter or rule.code}]")
        if not decision.is_eligible:
            failed = len(decision.failed_rules)
            self.stdout.write(_("%(count)s of %(total)s rules not met.") % {"count": failed, "total": len(decision.rules)})
