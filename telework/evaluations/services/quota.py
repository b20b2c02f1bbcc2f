"""The "excellent ≤ 20 % of good" quota (Decree 335 Art. 20 cl. 5), locking and publishing a period."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import RuleViolation
from telework.core.workflow import perform
from telework.evaluations import bulk
from telework.evaluations.models import (
    PERIOD_FLOW,
    Evaluation,
    EvaluationPeriod,
    PeerGrouping,
)
from telework.evaluations.scoring import (
    SCORED_REGIMES,
    Level,
    QuotaCandidate,
    QuotaDrop,
    QuotaGroupCheck,
    Regime,
    enforce_quota,
)
from telework.evaluations.services.common import _agency_id, _check_period, _period_change, _require_run
from telework.evaluations.services.periods import PeriodContext, period_context


@dataclass(frozen=True)
class QuotaRow:
    """What the quota reads of one evaluation (read in one light query, 20,000 rows at a time)."""

    pk: int
    code: str
    level: str
    rank_score: float
    tie_score: float
    agency_id: int
    peer_group: str
    regime: str


def quota_rows(period: EvaluationPeriod) -> list[QuotaRow]:
    rows = Evaluation.objects.filter(period=period).values_list(
        "pk", "staff__code", "final_level", "proposed_level", "rank_score", "tie_score", "unit__agency_id", "peer_group", "regime"
    )
    return [QuotaRow(pk, code, final or proposed, rank, tie, agency, group, regime) for pk, code, final, proposed, rank, tie, agency, group, regime in rows]


@dataclass(frozen=True)
class QuotaGroupLine:
    """One group's verdict, with what the reader needs to understand it: the agency, the regime, the ceiling and
    the agency's grouping setting."""

    agency_id: int
    regime: Regime
    check: QuotaGroupCheck
    cap_ratio: float
    is_raised: bool
    minimum_group_size: int
    grouping: str

    def reason(self, language: str | None = None) -> str:
        return self.check.reason(self.cap_ratio, self.minimum_group_size, language)

    @property
    def grouping_label(self) -> str:
        return str(PeerGrouping(self.grouping).label)


@dataclass(frozen=True)
class QuotaCheck:
    drops: list[tuple[QuotaRow, QuotaDrop, float]]
    groups: list[QuotaGroupLine]


def quota_check(period: EvaluationPeriod, rows: list[QuotaRow], context: PeriodContext | None = None) -> QuotaCheck:
    """The quota over the period, counted among people of the same regime, per agency and per peer group
    (``scoring.enforce_quota``): who would move from excellent to good if it were enforced now, and each group's
    verdict. The ceiling is the criteria set's ``cap_ratio``, or its ``exception_cap_ratio`` for an agency allowed
    the raised quota (Decree 335 Art. 20 cl. 5(b); Decree 233 Art. 12 cl. 6); groups under the agency's minimum are
    not capped on their own."""
    context = context or period_context(period)
    groups: dict[tuple[int, str], list[QuotaCandidate]] = defaultdict(list)
    by_code = {row.code: row for row in rows}
    for row in rows:
        level = Level(row.level) if row.level else None
        groups[(row.agency_id, row.regime)].append(QuotaCandidate(row.code, level, row.rank_score, row.agency_id, row.peer_group, row.tie_score))
    drops: list[tuple[QuotaRow, QuotaDrop, float]] = []
    lines: list[QuotaGroupLine] = []
    for (agency_id, regime_value), candidates in sorted(groups.items()):
        regime = Regime(regime_value)
        parameters = period.criteria_for(regime).scoring_parameters()
        is_raised = agency_id in context.raised_agencies and regime in SCORED_REGIMES
        cap_ratio = parameters.exception_cap_ratio if is_raised else parameters.cap_ratio
        settings = context.settings_for(agency_id)
        outcome = enforce_quota(candidates, cap_ratio, regime, minimum_group_size=settings.minimum_group_size)
        drops += [(by_code[drop.key], drop, cap_ratio) for drop in outcome.drops]
        grouping = str(settings.peer_grouping)
        lines += [QuotaGroupLine(agency_id, regime, check, cap_ratio, is_raised, settings.minimum_group_size, grouping) for check in outcome.groups]
    return QuotaCheck(drops, lines)


def quota_drops(period: EvaluationPeriod, rows: list[QuotaRow]) -> list[tuple[QuotaRow, QuotaDrop, float]]:
    """Who would move from excellent to good if the quota were enforced now, with the cap ratio that applies."""
    return quota_check(period, rows).drops


@transaction.atomic
def quota_enforce(*, period: EvaluationPeriod, actor: User) -> int:
    """Move people from excellent to good where an agency or a peer group is over the cap (HTXS ≤ cap_ratio × HTT,
    Decree 335/2025/NĐ-CP; Decree 48/2023/NĐ-CP), lowest score first. Each person keeps the explanation of their move;
    the decision is one audit row on the period listing every move."""
    _require_run(actor, period)
    list(EvaluationPeriod.objects.select_for_update().filter(pk=period.pk).values_list("pk"))
    period.refresh_from_db()
    _check_period(period, actor, "enforce_quota")
    drops = quota_drops(period, quota_rows(period))
    if not drops:
        return 0
    now = clock.now()
    Evaluation.objects.filter(pk__in=[row.pk for row, _drop, _ratio in drops]).update(
        final_level=Level.GOOD.value, is_quota_drop=True, decided_by=actor, decided_at=now, updated_at=now
    )
    bulk.update_json({row.pk: {**drop.as_record(), "cap_ratio": cap_ratio} for row, drop, cap_ratio in drops}, "quota_explanation")
    audit_record(
        actor=actor,
        action="evaluation_period.quota_enforce",
        target=period,
        after={
            "moved_to_good": [
                {"staff": row.code, "from": row.level, "scope": drop.scope, "group": drop.group, "rank_score": drop.rank_score} for row, drop, _ratio in drops
            ]
        },
        reason=drops[0][1].reason(drops[0][2], "vi"),
        agency_id=_agency_id(period),
    )
    return len(drops)


@transaction.atomic
def period_lock(*, period: EvaluationPeriod, actor: User) -> EvaluationPeriod:
    """Lock the levels: everyone classified has a decided level and no agency or peer group is over the cap."""
    _check_period(period, actor, "lock")
    list(EvaluationPeriod.objects.select_for_update().filter(pk=period.pk).values_list("pk"))
    undecided = list(Evaluation.objects.filter(period=period, final_level="").order_by("staff__code").values_list("staff__code", flat=True))
    if undecided:
        raise RuleViolation(
            _("%(count)s person(s) have no decided level yet: %(codes)s.") % {"count": len(undecided), "codes": ", ".join(undecided[:10])},
            rule="evaluation.final_level",
            params={"count": len(undecided)},
        )
    over = quota_drops(period, quota_rows(period))
    if over:
        raise RuleViolation(
            _("The quota of excellent levels is exceeded (%(count)s move(s) needed): enforce the quota first.") % {"count": len(over)},
            rule="cap_ratio",
            params={"count": len(over)},
        )
    perform(
        period,
        workflow=PERIOD_FLOW,
        action="lock",
        actor=actor,
        change=_period_change(period, audit_action="evaluation_period.lock", fields={"locked_at": clock.now()}),
    )
    return period


@transaction.atomic
def period_publish(*, period: EvaluationPeriod, actor: User) -> EvaluationPeriod:
    """Publish the levels to the staff (Decree 90/2020/NĐ-CP Art. 18 step 5: notice, electronic preferred)."""
    _check_period(period, actor, "publish")
    perform(
        period,
        workflow=PERIOD_FLOW,
        action="publish",
        actor=actor,
        change=_period_change(period, audit_action="evaluation_period.publish", fields={"published_at": clock.now()}),
    )
    return period
