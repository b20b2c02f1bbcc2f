"""A finished quarter for the demo city: work items for everyone in the quarter before ``today``, then the whole
workflow through the real services (open, compute, self-assessments, the heads' scores and decisions, the quota,
lock, publish, one appeal), so every evaluation page has something true to show.

Called after ``telework.demo.city.build_demo_city``; deterministic for a given seed and day.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from telework.accounts.models import Role, User
from telework.assignments.models import WorkItem, WorkStatus
from telework.evaluations import services
from telework.evaluations.models import Evaluation, PeriodKind
from telework.organization.models import Agency, Staff

GENERAL_CODES = ("ethics", "discipline", "service_attitude", "innovation")


@dataclass(frozen=True)
class DemoQuarter:
    period_id: int
    evaluations: int
    quota_moves: int


def previous_quarter(today: dt.date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


def _runner() -> User:
    runner = User.objects.filter(role=Role.HOME_AFFAIRS).order_by("pk").first()
    if runner is None:
        runner = User.objects.create_user(username="noivu-danhgia", password=None, role=Role.HOME_AFFAIRS)
    return runner


def _work(agency: Agency, starts_on: dt.date, ends_on: dt.date, rng: random.Random, creator: User) -> None:
    """Four to eight items per person due in the quarter: mostly accepted on time and well rated, some late, some
    poorly rated, a few unfinished."""
    items = []
    span = (ends_on - starts_on).days
    for person in Staff.objects.filter(unit__agency=agency, is_active=True).only("pk", "unit_id"):
        for _ in range(rng.randint(4, 8)):
            due_on = starts_on + dt.timedelta(days=rng.randrange(span + 1))
            roll = rng.random()
            is_done = roll > 0.06
            late = 0.9 < roll
            accepted_at = timezone.make_aware(dt.datetime.combine(due_on + dt.timedelta(days=2 if late else 0), dt.time(15)))
            items.append(
                WorkItem(
                    staff_id=person.pk,
                    unit_id=person.unit_id,
                    title=rng.choice(("Báo cáo tháng", "Thẩm định hồ sơ", "Tổng hợp số liệu", "Dự thảo văn bản", "Rà soát thủ tục")),
                    estimated_hours=rng.choice((4, 8, 16)),
                    starts_on=due_on - dt.timedelta(days=7),
                    due_on=due_on,
                    status=WorkStatus.ACCEPTED if is_done else WorkStatus.IN_PROGRESS,
                    progress_percent=100 if is_done else 60,
                    hours_spent=rng.choice((4, 8, 12, 16)),
                    last_activity_on=due_on,
                    created_by=creator,
                    quality_rating=rng.choice((2, 3, 4, 4, 5, 5)) if is_done else None,
                    accepted_at=accepted_at if is_done else None,
                )
            )
    WorkItem.objects.bulk_create(items, batch_size=2000)


def _decider_for(evaluation: Evaluation, heads: dict[int, User], agency_head: User | None, runner: User) -> User | None:
    """The unit head of the person's unit, or the agency head (for heads themselves and units without one), or for
    the agency head Home Affairs."""
    if agency_head is not None and agency_head.staff.pk == evaluation.staff_id:
        return runner
    head = heads.get(evaluation.unit_id)
    if head is not None and head.staff.pk != evaluation.staff_id:
        return head
    return agency_head


@transaction.atomic
def seed_demo_quarter(*, agency: Agency, today: dt.date, seed: int = 7) -> DemoQuarter:
    """Run and publish the quarter before ``today`` for ``agency``."""
    rng = random.Random(seed)  # noqa: S311 - demo data
    runner = _runner()
    year, quarter = previous_quarter(today)
    starts_on, ends_on = services.period_bounds(PeriodKind.QUARTER, year, quarter)
    _work(agency, starts_on, ends_on, rng, runner)
    period = services.period_create(actor=runner, kind=PeriodKind.QUARTER, year=year, number=quarter, agency=agency)
    count = services.period_run(period=period, actor=runner)
    for evaluation in Evaluation.objects.filter(period=period).select_related("staff__user", "unit", "period")[:40]:
        user = evaluation.staff.user
        if user is not None and rng.random() < 0.5:
            services.self_assess(evaluation=evaluation, actor=user, text="Hoàn thành đầy đủ công việc được giao, đúng hạn.", level=evaluation.proposed_level)
    services.period_start_review(period=period, actor=runner)
    heads = {
        staff.unit_id: staff.user
        for staff in Staff.objects.filter(unit__agency=agency, user__role=Role.UNIT_HEAD).select_related("user")
        if staff.user is not None
    }
    agency_head = User.objects.filter(role=Role.AGENCY_HEAD, staff__unit__agency=agency).first()
    for evaluation in Evaluation.objects.filter(period=period).select_related("staff", "unit", "period__criteria_335", "period__criteria_90"):
        decider = _decider_for(evaluation, heads, agency_head, runner)
        if decider is None:
            continue
        general = {code: rng.choice((4.0, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5)) for code in GENERAL_CODES}
        _score_then_confirm(evaluation, decider, general)
    moves = services.quota_enforce(period=period, actor=runner)
    services.period_lock(period=period, actor=runner)
    services.period_publish(period=period, actor=runner)
    appellant = Evaluation.objects.filter(period=period, is_quota_drop=True, staff__user__isnull=False).select_related("staff__user").first()
    if appellant is not None and appellant.staff.user is not None:
        services.evaluation_appeal(evaluation=appellant, actor=appellant.staff.user, text="Tôi đạt điểm xuất sắc; đề nghị xem xét lại việc áp dụng tỷ lệ.")
    return DemoQuarter(period.pk, count, moves)


def _score_then_confirm(evaluation: Evaluation, decider: User, general: dict[str, float]) -> Evaluation:
    """Score the general criteria, then confirm the proposal they lead to (or "completed" for someone with no work)."""
    evaluation.general_scores = general
    proposal = services.rescore(evaluation).level
    level = proposal.value if proposal else "completed"
    reason = "" if proposal else "Không được giao việc trong kỳ; đánh giá theo nhận xét của thủ trưởng."
    return services.head_confirm_or_change(evaluation=evaluation, actor=decider, level=level, reason=reason, general=general)
