"""The indicator dictionary: what each figure of the outcome panel means, published as it is computed.

France's 2019 review of telework found its deployment "hard to measure" for want of common indicators; every figure
the panel stores, the dashboards draw and the review report prints is defined here once — name, definition, formula,
unit, direction, source and whether it is a counter-metric shown next to a headline (rework, complaints, apologies).
Pure data: no ORM, no request. The ``code`` is a stable key for storage and the API; it never reaches a screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SHARE = "share"  # 0–1, shown as a percentage
DAYS = "days"
RATIO = "ratio"
COUNT = "count"
SCORE = "score"
PER_FTE = "per_fte"
UNITS = (SHARE, DAYS, RATIO, COUNT, SCORE, PER_FTE)

UNIT_LABELS: dict[str, Promise] = {
    SHARE: pgettext_lazy("indicator unit", "share (%)"),
    DAYS: pgettext_lazy("indicator unit", "days"),
    RATIO: pgettext_lazy("indicator unit", "ratio"),
    COUNT: pgettext_lazy("indicator unit", "count"),
    SCORE: pgettext_lazy("indicator unit", "score"),
    PER_FTE: pgettext_lazy("indicator unit", "per full-time equivalent"),
}


@dataclass(frozen=True)
class Indicator:
    code: str  # stable key, never shown on a screen
    name: Promise  # gettext_lazy, Vietnamese complete
    definition: Promise  # one or two sentences, plain words
    formula: Promise  # numerator / denominator in words
    unit: str  # "share" (0–1), "days", "ratio", "count", "score", "per_fte"
    higher_is_better: bool
    source: Promise  # where the data comes from
    counter_metric: bool = False  # shown next to a headline (rework, complaints, apologies …)

    @property
    def unit_label(self) -> Promise:
        return UNIT_LABELS[self.unit]


_DOSSIERS = pgettext_lazy("indicator source", "Administrative procedure dossier register (dossiers and apology letters)")
_RATINGS = pgettext_lazy("indicator source", "Citizen and business ratings of returned dossiers")
_WORK = pgettext_lazy("indicator source", "Work items assigned to staff (assignments)")
_SURVEY = pgettext_lazy("indicator source", "Staff pulse survey (anonymous, shown only for groups at or above the minimum size)")
_ATTENDANCE = pgettext_lazy("indicator source", "Check-ins compared with the published roster")
_ROSTER = pgettext_lazy("indicator source", "Published rosters")
_STAFF = pgettext_lazy("indicator source", "Staff records (start and end dates)")
_EVALUATIONS = pgettext_lazy("indicator source", "Periodic evaluations of staff")


def _indicators(*items: Indicator) -> dict[str, Indicator]:
    result: dict[str, Indicator] = {}
    for item in items:
        assert item.code not in result, item.code
        assert item.unit in UNITS, item.unit
        result[item.code] = item
    return result


INDICATORS: dict[str, Indicator] = _indicators(
    # --- Dossiers (Decree 61/2018 indicators 1–2; Decision 766 "tiến độ") -------------------------------------------
    Indicator(
        code="dossier_on_time_rate",
        name=_("Dossiers returned on time"),
        definition=_("Share of the dossiers whose result was returned in the week that were returned by the legal due date."),
        formula=_("Dossiers returned in the week on or before the legal due date ÷ dossiers returned in the week"),
        unit=SHARE,
        higher_is_better=True,
        source=_DOSSIERS,
    ),
    Indicator(
        code="dossier_handling_time_ratio",
        name=_("Handling time against the legal deadline"),
        definition=_(
            "How much of the legal deadline the dossiers returned in the week used, on average: 1 means exactly the legal deadline, below 1 means faster."
        ),
        formula=_("Sum of (time from receipt to return) ÷ sum of (time from receipt to legal due date), over dossiers returned in the week"),
        unit=RATIO,
        higher_is_better=False,
        source=_DOSSIERS,
    ),
    Indicator(
        code="dossier_overdue",
        name=_("Overdue dossiers"),
        definition=_("Number of dossiers still open at the end of the week whose legal due date had passed, plus those returned late during the week."),
        formula=_("Open dossiers past their legal due date at the end of the week + dossiers returned late in the week"),
        unit=COUNT,
        higher_is_better=False,
        source=_DOSSIERS,
        counter_metric=True,
    ),
    Indicator(
        code="dossier_apology_letters",
        name=_("Apology letters issued"),
        definition=_("Number of apology letters issued to citizens or businesses in the week for a late dossier."),
        formula=_("Apology letters issued in the week"),
        unit=COUNT,
        higher_is_better=False,
        source=_DOSSIERS,
        counter_metric=True,
    ),
    Indicator(
        code="dossier_online_share",
        name=_("Dossiers received online"),
        definition=_("Share of the dossiers received in the week that came through the online public service portal."),
        formula=_("Dossiers received online in the week ÷ dossiers received in the week"),
        unit=SHARE,
        higher_is_better=True,
        source=_DOSSIERS,
    ),
    # --- Work items ----------------------------------------------------------------------------------------------------
    Indicator(
        code="work_on_time_rate",
        name=_("Work items completed on time"),
        definition=_("Share of the work items completed in the week that were completed by their due date."),
        formula=_("Work items completed in the week on or before their due date ÷ work items completed in the week"),
        unit=SHARE,
        higher_is_better=True,
        source=_WORK,
    ),
    Indicator(
        code="work_throughput_per_fte",
        name=_("Work items completed per full-time equivalent"),
        definition=_("Work items completed in the week divided by the staff in post in the unit during the week."),
        formula=_("Work items completed in the week ÷ staff in post (full-time equivalents) in the week"),
        unit=PER_FTE,
        higher_is_better=True,
        source=_WORK,
    ),
    Indicator(
        code="work_returned_share",
        name=_("Work items returned for rework"),
        definition=_("Share of the work items completed in the week that had been sent back for rework at least once."),
        formula=_("Work items completed in the week that were returned at least once ÷ work items completed in the week"),
        unit=SHARE,
        higher_is_better=False,
        source=_WORK,
        counter_metric=True,
    ),
    Indicator(
        code="work_quality_rating",
        name=_("Quality rating of completed work"),
        definition=_("Average quality rating given by the reviewer to the work items completed in the week."),
        formula=_("Sum of the quality ratings ÷ number of rated work items completed in the week"),
        unit=SCORE,
        higher_is_better=True,
        source=_WORK,
    ),
    # --- Citizens and businesses -------------------------------------------------------------------------------------
    Indicator(
        code="citizen_satisfied_share",
        name=_("Citizens and businesses satisfied"),
        definition=_("Share of the ratings submitted in the week for the unit's dossiers that were “satisfied” or “very satisfied”."),
        formula=_("Ratings “satisfied” or “very satisfied” in the week ÷ ratings in the week"),
        unit=SHARE,
        higher_is_better=True,
        source=_RATINGS,
    ),
    Indicator(
        code="citizen_dissatisfied",
        name=_("Dissatisfied ratings"),
        definition=_("Number of ratings “not satisfied” submitted in the week for the unit's dossiers."),
        formula=_("Ratings “not satisfied” in the week"),
        unit=COUNT,
        higher_is_better=False,
        source=_RATINGS,
        counter_metric=True,
    ),
    # --- Staff pulse survey (WHO-5, stress, intention to stay) --------------------------------------------------------
    Indicator(
        code="staff_wellbeing",
        name=_("Staff well-being (WHO-5)"),
        definition=_(
            "Average WHO-5 well-being score (0–100) of the unit's answers to the pulse survey closing in the week; "
            "not shown when fewer people answered than the survey's minimum group size."
        ),
        formula=_("Sum of the WHO-5 scores ÷ number of answers, only when answers ≥ minimum group size"),
        unit=SCORE,
        higher_is_better=True,
        source=_SURVEY,
    ),
    Indicator(
        code="staff_stress",
        name=_("Staff stress"),
        definition=_(
            "Average job-stress score (0 = never, 100 = very often on every item) of the unit's answers to the pulse "
            "survey closing in the week; not shown for groups below the minimum size."
        ),
        formula=_("Sum of the stress scores ÷ number of answers, only when answers ≥ minimum group size"),
        unit=SCORE,
        higher_is_better=False,
        source=_SURVEY,
        counter_metric=True,
    ),
    Indicator(
        code="staff_intention_to_stay",
        name=_("Staff intending to stay"),
        definition=_(
            "Share of the unit's answers to the pulse survey closing in the week that agree they intend to stay for "
            "the next year at least; not shown for groups below the minimum size."
        ),
        formula=_("Answers “agree” or “strongly agree” to staying ÷ number of answers, only when answers ≥ minimum group size"),
        unit=SHARE,
        higher_is_better=True,
        source=_SURVEY,
    ),
    # --- Presence ------------------------------------------------------------------------------------------------------
    Indicator(
        code="attendance_roster_match",
        name=_("Attendance matching the roster"),
        definition=_("Share of the rostered working days in the week on which the person checked in at the place the roster set (office or home)."),
        formula=_("Rostered days with a check-in at the rostered place ÷ rostered working days in the week"),
        unit=SHARE,
        higher_is_better=True,
        source=_ATTENDANCE,
    ),
    Indicator(
        code="home_day_share",
        name=_("Working days at home"),
        definition=_("Share of the rostered working days in the week that were days at home."),
        formula=_("Rostered days at home in the week ÷ rostered working days in the week"),
        unit=SHARE,
        higher_is_better=True,
        source=_ROSTER,
    ),
    Indicator(
        code="reachability_share",
        name=_("Reachable when working at home"),
        definition=_("Share of the days checked in at home in the week on which the person showed whether they could be reached."),
        formula=_("Check-ins at home with a reachable status ÷ check-ins at home in the week"),
        unit=SHARE,
        higher_is_better=True,
        source=_ATTENDANCE,
    ),
    Indicator(
        code="leave_share",
        name=_("Days on leave"),
        definition=_("Share of the rostered working days in the week on which the person was on leave."),
        formula=_("Rostered days on leave ÷ rostered working days in the week"),
        unit=SHARE,
        higher_is_better=False,
        source=_ROSTER,
        counter_metric=True,
    ),
    Indicator(
        code="attrition",
        name=_("Staff leaving"),
        definition=_("Share of the staff in post at the start of the week whose employment ended during the week."),
        formula=_("Staff whose end date falls in the week ÷ staff in post at the start of the week"),
        unit=SHARE,
        higher_is_better=False,
        source=_STAFF,
        counter_metric=True,
    ),
    # --- Evaluations ---------------------------------------------------------------------------------------------------
    Indicator(
        code="evaluation_excellent_share",
        name=_("Staff rated excellent or good"),
        definition=_(
            "Share of the staff evaluated for a published period ending in the week who were classified as completing their duties excellently or well."
        ),
        formula=_("Staff classified excellent or good ÷ staff classified, for published periods ending in the week"),
        unit=SHARE,
        higher_is_better=True,
        source=_EVALUATIONS,
    ),
    # --- Participation (US OPM "Status of Telework") ----------------------------------------------------------------
    Indicator(
        code="participation_share",
        name=_("Staff working from home"),
        definition=_("Share of the staff in the unit's roster for the week who had at least one day at home."),
        formula=_("Staff with at least one rostered day at home in the week ÷ staff in the roster for the week"),
        unit=SHARE,
        higher_is_better=True,
        source=_ROSTER,
    ),
    Indicator(
        code="participation_one_day",
        name=_("Staff at home one day a week"),
        definition=_("Share of the staff in the unit's roster for the week who had exactly one day at home."),
        formula=_("Staff with exactly one day at home in the week ÷ staff in the roster for the week"),
        unit=SHARE,
        higher_is_better=True,
        source=_ROSTER,
    ),
    Indicator(
        code="participation_two_days",
        name=_("Staff at home two days a week"),
        definition=_("Share of the staff in the unit's roster for the week who had exactly two days at home."),
        formula=_("Staff with exactly two days at home in the week ÷ staff in the roster for the week"),
        unit=SHARE,
        higher_is_better=True,
        source=_ROSTER,
    ),
    Indicator(
        code="participation_three_plus_days",
        name=_("Staff at home three or more days a week"),
        definition=_("Share of the staff in the unit's roster for the week who had three or more days at home."),
        formula=_("Staff with three or more days at home in the week ÷ staff in the roster for the week"),
        unit=SHARE,
        higher_is_better=True,
        source=_ROSTER,
    ),
)

REQUIRED_CODES = (
    "dossier_on_time_rate",
    "dossier_handling_time_ratio",
    "dossier_overdue",
    "dossier_apology_letters",
    "dossier_online_share",
    "work_on_time_rate",
    "work_throughput_per_fte",
    "work_returned_share",
    "citizen_satisfied_share",
    "staff_wellbeing",
    "staff_stress",
    "staff_intention_to_stay",
    "attendance_roster_match",
    "home_day_share",
    "attrition",
    "participation_share",
)


def indicator(code: str) -> Indicator:
    """The dictionary entry for a code (KeyError for an unknown code: codes are fixed in this module)."""
    return INDICATORS[code]
