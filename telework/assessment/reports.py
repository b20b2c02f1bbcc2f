"""The review report (sơ kết) of a pilot phase and the yearly telework report, as PDF and Excel (issue 13, point 6).

Both are built from STORED figures only: the recorded design and its changes, the outcome panel, the stored estimates
(``Estimate``) and the verdict written from them — nothing is re-estimated while a document is printed. They use the
administrative document layout shared in ``telework.core.documents`` (national motto, number, place and date,
"Nơi nhận", signature block) and are always in Vietnamese: they go to Vietnamese authorities. Indicators, methods and
decisions appear in words, never as codes; in Excel, text is text, never a formula.

The yearly report follows the shape of the US OPM's annual "Status of Telework" report to Congress
(pilot-assessment.md): staff in a pilot's scope, participating, by frequency band, and the outcomes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from telework.assessment import estimates as stored
from telework.assessment.estimation import CALLAWAY_SANTANNA, SUN_ABRAHAM, TWFE
from telework.assessment.models import Arm, PhaseDesign, ReviewDecision
from telework.assessment.verdict import p_value, signed
from telework.core import clock, documents, spreadsheets
from telework.organization.models import Agency, Staff, Unit
from telework.outcomes.indicators import INDICATORS, REQUIRED_CODES, SHARE
from telework.outcomes.models import OutcomeValue
from telework.policy.models import PilotPhase
from telework.policy.services import phase_coverage, phase_scope

PARTICIPATION = ("participation_share", "participation_one_day", "participation_two_days", "participation_three_plus_days")
MAX_YEAR_UNITS = 5_000


def estimator_words(code: str) -> str:
    """An estimator in words (the code never reaches a reader)."""
    words = {
        TWFE: _("Difference-in-differences with unit and week fixed effects, standard errors clustered by unit"),
        SUN_ABRAHAM: _("Event study robust to staggered starts (Sun–Abraham), standard errors clustered by unit"),
        CALLAWAY_SANTANNA: _("Group-time effects (Callaway–Sant'Anna), units not yet started as comparison"),
    }
    return str(words.get(code, _("Other estimator")))


@dataclass
class Section:
    """A numbered part of a report: a title, paragraphs, and optionally a table (headers + rows)."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)


@dataclass
class Report:
    head: documents.DocumentHead
    foot: documents.DocumentFoot
    sections: list[Section]
    decision: list[str]  # the blank for the leadership's decision (empty: none)
    filename_stem: str


def _number(value: float, decimals: int = 1) -> str:
    return formats.number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)


def _percent(value: float | None) -> str:
    return "" if value is None else f"{_number(value * 100)} %"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "bao-cao"


def _pooled(values: Any) -> dict[str, tuple[float | None, int]]:
    """indicator → (Σ numerator ÷ Σ denominator, or the mean value when there is no denominator; cells)."""
    result: dict[str, tuple[float | None, int]] = {}
    for row in values.values("indicator").annotate(
        numerators=Sum("numerator"), denominators=Sum("denominator"), total=Sum("value"), cells=Count("pk"), counted=Count("denominator")
    ):
        if row["counted"] and row["denominators"]:
            result[row["indicator"]] = (float(row["numerators"] or 0) / float(row["denominators"]), row["cells"])
        elif row["cells"]:
            result[row["indicator"]] = (float(row["total"]) / row["cells"], row["cells"])
    return result


def _value_words(code: str, value: float | None) -> str:
    if value is None:
        return "—"
    if INDICATORS[code].unit == SHARE:
        return _percent(value)
    return _number(value, 2)


# --- the review report --------------------------------------------------------------------------------------------


def _phase_weeks(phase: PilotPhase) -> tuple[dt.date, dt.date]:
    last = min(stored.monday(clock.today()) - dt.timedelta(weeks=1), stored.monday(phase.ends_on))
    return stored.monday(phase.starts_on), last


def _scope_section(phase: PilotPhase) -> Section:
    agencies, units, positions = phase_scope(phase)
    coverage = phase_coverage(phase)
    rows: list[list[Any]] = [
        [_("Pilot"), phase.pilot.name],
        [_("Phase"), phase.name],
        [pgettext("review report", "Period"), f"{phase.starts_on:%d/%m/%Y} – {phase.ends_on:%d/%m/%Y}"],
        [_("Launched on"), timezone.localtime(phase.started_at).strftime("%d/%m/%Y") if phase.started_at else _("not launched")],
        [_("Agencies"), "; ".join(sorted(agency.name for agency in agencies)) or "—"],
        [_("Units in scope"), len(coverage.units)],
        [_("Job positions"), "; ".join(sorted(position.name for position in positions)) or _("Every position.")],
    ]
    if units:
        rows.insert(5, [_("Units named"), "; ".join(unit.name for unit in sorted(units, key=lambda unit: unit.path))])
    return Section(title=_("The phase and its scope"), headers=[_("Item"), _("Content")], rows=rows)


def _design_section(design: PhaseDesign | None) -> Section:
    if design is None:
        return Section(title=_("The design"), paragraphs=[_("No design has been recorded for this phase.")])
    outcomes = [INDICATORS[code] for code in design.primary_outcomes if code in INDICATORS]
    first = outcomes[0] if outcomes else None
    pilots = design.allocations.filter(arm=Arm.PILOT).count()
    others = design.allocations.filter(arm=Arm.COMPARISON).count()
    rows: list[list[Any]] = [
        [_("Method"), design.get_method_display()],
        [_("Seed"), str(design.seed)],
        [_("Units allocated"), _("%(pilots)s pilot units, %(others)s comparison units") % {"pilots": pilots, "others": others}],
        [_("Primary outcomes"), "; ".join(str(indicator.name) for indicator in outcomes)],
        [_("Smallest effect that matters"), signed(first, design.smallest_effect).lstrip("+") if first else _number(design.smallest_effect, 4)],
        [_("Minimum detectable effect"), signed(first, design.mde).lstrip("+") if first else _number(design.mde, 4)],
        [_("Recorded on"), timezone.localtime(design.recorded_at).strftime("%d/%m/%Y")],
        [_("Locked on"), timezone.localtime(design.locked_at).strftime("%d/%m/%Y") if design.locked_at else "—"],
    ]
    if design.waves:
        rows.insert(2, [_("Waves"), _("%(waves)s waves, every %(weeks)s weeks") % {"waves": design.waves, "weeks": design.wave_weeks}])
    paragraphs = [
        _("The design could detect an effect of the size that matters.")
        if design.mde <= design.smallest_effect
        else _("The design's minimum detectable effect is larger than the smallest effect that matters: not finding an effect does not show there is none.")
    ]
    changes = list(design.changes.select_related("changed_by"))
    if changes:
        paragraphs.append(_("The design was changed after launch; each change with its reason:"))
        for change in changes:
            who = (change.changed_by.get_full_name() or change.changed_by.get_username()) if change.changed_by else ""
            paragraphs.append(
                _("%(date)s — %(what)s; reason: %(why)s (%(who)s)")
                % {"date": f"{timezone.localtime(change.changed_at):%d/%m/%Y}", "what": change.what, "why": change.why, "who": who}
            )
    else:
        paragraphs.append(_("The design has not been changed since launch."))
    return Section(title=_("The design recorded before launch"), paragraphs=paragraphs, headers=[_("Item"), _("Content")], rows=rows)


def _participation_section(phase: PilotPhase, design: PhaseDesign | None) -> Section:
    title = _("Participation during the phase")
    if design is None:
        return Section(title=title, paragraphs=[_("No design: the pilot and comparison units are not known.")])
    first, last = _phase_weeks(phase)
    arms = dict(design.allocations.values_list("unit_id", "arm"))
    base = OutcomeValue.objects.filter(indicator__in=PARTICIPATION, week__gte=first, week__lte=last)
    pilot = _pooled(base.filter(unit_id__in=[unit for unit, arm in arms.items() if arm == Arm.PILOT]))
    comparison = _pooled(base.filter(unit_id__in=[unit for unit, arm in arms.items() if arm == Arm.COMPARISON]))
    rows = [
        [str(INDICATORS[code].name), _value_words(code, pilot.get(code, (None, 0))[0]), _value_words(code, comparison.get(code, (None, 0))[0])]
        for code in PARTICIPATION
    ]
    paragraphs = [
        _("From the published rosters, weeks of %(first)s to %(last)s: shares of the staff in the rosters, pooled over units and weeks.")
        % {"first": f"{first:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"}
    ]
    if not pilot and not comparison:
        paragraphs.append(_("The outcome panel has no participation figures for these weeks yet."))
    return Section(
        title=title, paragraphs=paragraphs, headers=[_("Indicator"), pgettext("design arm", "Pilot"), pgettext("design arm", "Comparison")], rows=rows
    )


def _estimate_row(code: str, estimate: Any) -> list[Any]:
    indicator = INDICATORS[code]
    result = stored.result_of(estimate)
    effect = signed(indicator, result.effect) if result.effect is not None else "—"
    interval = f"{signed(indicator, result.ci95[0])} … {signed(indicator, result.ci95[1])}" if result.ci95 is not None else "—"
    return [
        str(indicator.name),
        effect,
        interval,
        p_value(result.p) if result.p is not None else "—",
        _("%(units)s (%(pilots)s pilot)") % {"units": result.n_units, "pilots": result.n_pilot},
        f"{timezone.localtime(estimate.finished_at):%d/%m/%Y %H:%M}" if estimate.finished_at else "",
        estimate.inputs_digest[:12],
    ]


def _outcome_sections(phase: PilotPhase, design: PhaseDesign | None) -> list[Section]:
    latest = stored.latest_estimates(phase)
    headers = [_("Indicator"), _("Estimated effect"), _("Confidence interval at 95 percent"), _("p-value"), _("Units"), _("Estimated on"), _("Inputs digest")]
    primary = [code for code in (design.primary_outcomes if design else []) if code in INDICATORS]
    sections: list[Section] = []
    for code in primary:
        indicator = INDICATORS[code]
        section = Section(title=_("Primary outcome: %(name)s") % {"name": indicator.name}, headers=headers)
        estimate = latest.get(code)
        if estimate is None:
            section.paragraphs.append(_("No estimate has been stored for this outcome yet: compute the estimates before printing the report."))
            section.headers = []
        else:
            section.paragraphs += stored.verdict_of(estimate, latest=latest).paragraphs()
            section.paragraphs.append(
                _("Estimator: %(estimator)s. Libraries: %(library)s.") % {"estimator": estimator_words(estimate.estimator), "library": estimate.library}
            )
            section.rows.append(_estimate_row(code, estimate))
            for other in stored.counter_metrics_of(code):
                if other in latest:
                    section.rows.append(_estimate_row(other, latest[other]))
        sections.append(section)
    if not primary:
        sections.append(Section(title=_("Estimates"), paragraphs=[_("No primary outcome was recorded.")]))
    return sections


def review_report(phase: PilotPhase) -> Report:
    """The review report of ``phase`` in the active language (callers use Vietnamese)."""
    design = PhaseDesign.objects.filter(phase=phase).prefetch_related("changes").first()
    review = getattr(phase, "review", None) if hasattr(phase, "review") else None
    head = documents.head(
        title=_("REPORT ON THE REVIEW OF THE TELEWORK PILOT: %(phase)s") % {"phase": f"{phase.pilot.name} – {phase.name}".upper()},
        number=review.report_reference if review is not None and review.report_reference else "",
        day=clock.today(),
    )
    foot = documents.foot(
        recipients=[_("City People's Committee (to report)"), _("Agencies taking part in the pilot"), _("Filed: Department of Home Affairs")],
        signer_name="……………………",
    )
    sections = [_scope_section(phase), _design_section(design), _participation_section(phase, design), *_outcome_sections(phase, design)]
    options = "   ".join(f"☐ {label}" for label in ReviewDecision.labels)
    decision = [
        _("Decision of the city leadership (widen, adjust or stop the pilot):"),
        options,
        _("Reasons:"),
        "……………………………………………………………………………………………………",
        "……………………………………………………………………………………………………",
        "……………………………………………………………………………………………………",
    ]
    if review is not None:
        decision.append(
            _("Decision recorded on %(date)s: %(decision)s.")
            % {"date": f"{timezone.localtime(review.decided_at):%d/%m/%Y}", "decision": review.get_decision_display()}
        )
    return Report(head=head, foot=foot, sections=sections, decision=decision, filename_stem=f"so-ket-{_slug(phase.pilot.name)}-{_slug(phase.name)}")


# --- the yearly report ---------------------------------------------------------------------------------------------


def yearly_report(*, year: int, agency: Agency | None = None) -> Report:
    """The yearly telework report for the city or one agency (OPM's annual report shape): staff in a pilot's scope,
    participating and by frequency band (from the published rosters, via the outcome panel), and the outcomes over
    the year against the year before, for the units in a pilot's scope."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    phases = list(PilotPhase.objects.filter(starts_on__lte=last, ends_on__gte=first).select_related("pilot").order_by("starts_on"))
    in_scope: set[int] = set()
    for phase in phases:
        in_scope |= set(phase_coverage(phase).units)
    units = Unit.objects.all()
    if agency is not None:
        units = units.filter(agency=agency)
    unit_ids = list(units.values_list("pk", flat=True)[: MAX_YEAR_UNITS + 1])
    scoped = [unit for unit in unit_ids if unit in in_scope]
    staff = Staff.objects.filter(unit_id__in=unit_ids, is_active=True)
    counts = staff.aggregate(total=Count("pk"), scoped=Count("pk", filter=Q(unit_id__in=scoped)))
    scope_name = agency.name if agency is not None else _("the whole city")
    weeks = OutcomeValue.objects.filter(week__gte=stored.monday(first), week__lte=last)
    participation = _pooled(weeks.filter(unit_id__in=scoped, indicator__in=PARTICIPATION))
    people = participation.get("participation_share", (None, 0))
    summary = Section(
        title=_("Eligibility and participation"),
        paragraphs=[
            _("Scope: %(scope)s, calendar year %(year)s. Pilot phases running in the year: %(phases)s.")
            % {"scope": scope_name, "year": year, "phases": "; ".join(f"{phase.pilot.name} – {phase.name}" for phase in phases) or "—"},
            _(
                "Participation is read from the published rosters: the share of the staff in a week's roster who had days at home, pooled over the year's weeks."
            ),
        ],
        headers=[_("Item"), _("Figure")],
        rows=[
            [_("Active staff"), counts["total"]],
            [_("Staff in a pilot's scope (may work from home)"), counts["scoped"]],
            [_("Units in a pilot's scope"), len(scoped)],
            [str(INDICATORS["participation_share"].name), _value_words("participation_share", people[0])],
            *[[str(INDICATORS[code].name), _value_words(code, participation.get(code, (None, 0))[0])] for code in PARTICIPATION[1:]],
        ],
    )
    this_year = _pooled(weeks.filter(unit_id__in=scoped, indicator__in=REQUIRED_CODES))
    before = _pooled(
        OutcomeValue.objects.filter(
            week__gte=stored.monday(dt.date(year - 1, 1, 1)), week__lt=stored.monday(first), unit_id__in=scoped, indicator__in=REQUIRED_CODES
        )
    )
    outcome_rows = [
        [str(INDICATORS[code].name), _value_words(code, before.get(code, (None, 0))[0]), _value_words(code, this_year.get(code, (None, 0))[0])]
        for code in REQUIRED_CODES
        if code not in PARTICIPATION and (code in this_year or code in before)
    ]
    outcomes = Section(
        title=_("Outcomes in the units in a pilot's scope"),
        paragraphs=[
            _(
                "Pooled over the units in a pilot's scope and the weeks of each year. A change between years is not the pilot's effect: the effect is estimated against comparison units in each phase's review report."
            )
        ],
        headers=[_("Indicator"), str(year - 1), str(year)],
        rows=outcome_rows,
    )
    if not outcome_rows:
        outcomes.paragraphs.append(_("The outcome panel has no figures for these units and years yet."))
        outcomes.headers = []
    reviews = Section(title=_("Phase reviews in the year"), headers=[_("Phase"), _("Decision"), _("Reasons")])
    for phase in phases:
        review = getattr(phase, "review", None) if hasattr(phase, "review") else None
        if review is not None and first <= timezone.localtime(review.decided_at).date() <= last:
            reviews.rows.append([f"{phase.pilot.name} – {phase.name}", review.get_decision_display(), review.reasons])
    if not reviews.rows:
        reviews.paragraphs.append(_("No phase review was recorded in the year."))
        reviews.headers = []
    head = documents.head(
        title=_("YEARLY TELEWORK REPORT %(year)s: %(scope)s") % {"year": year, "scope": str(scope_name).upper()}, number="", day=clock.today()
    )
    foot = documents.foot(recipients=[_("City People's Committee (to report)"), _("Filed: Department of Home Affairs")], signer_name="……………………")
    stem = f"bao-cao-nam-{year}-" + (_slug(agency.name) if agency is not None else "thanh-pho")
    return Report(head=head, foot=foot, sections=[summary, outcomes, reviews], decision=[], filename_stem=stem)


# --- the formats ---------------------------------------------------------------------------------------------------


def in_vietnamese(build: Any, *args: Any, **kwargs: Any) -> Report:
    with translation.override("vi"):
        return build(*args, **kwargs)  # type: ignore[no-any-return]


def report_html(report: Report) -> str:
    """The PDF's HTML (tests read it; WeasyPrint prints it)."""
    with translation.override("vi"):
        return render_to_string("assessment/reports/report_pdf.html", {"report": report, "language": "vi"})


def report_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return HTML(string=report_html(report)).write_pdf()  # type: ignore[no-any-return]


def report_xlsx(report: Report) -> bytes:
    """One sheet: the document head, each section (title, paragraphs, table), the decision blank, the foot."""
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = "Bao cao"
    width = 7
    row = documents.write_head(sheet, report.head, width=width)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, section in enumerate(report.sections, start=1):
        spreadsheets.write(sheet, row=row, column=1, value=f"{number}. {section.title}").font = bold
        row += 1
        for paragraph in section.paragraphs:
            cell = spreadsheets.write(sheet, row=row, column=1, value=paragraph)
            cell.alignment = wrap
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            sheet.row_dimensions[row].height = 15 * max(1, len(paragraph) // 110 + 1)
            row += 1
        if section.headers:
            for column, header in enumerate(section.headers, start=1):
                spreadsheets.write(sheet, row=row, column=column, value=header).font = bold
            row += 1
            for values in section.rows:
                for column, value in enumerate(values, start=1):
                    spreadsheets.write(sheet, row=row, column=column, value=value).alignment = wrap
                row += 1
        row += 1
    for line in report.decision:
        spreadsheets.write(sheet, row=row, column=1, value=line)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1
    documents.write_foot(sheet, report.foot, row=row + 1, signer_column=5)
    for letter, column_width in zip("ABCDEFG", (34, 22, 26, 12, 16, 18, 16), strict=True):
        sheet.column_dimensions[letter].width = column_width
    return spreadsheets.workbook_bytes(workbook)
