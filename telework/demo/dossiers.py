"""The demo city's one-stop dossiers and citizens' ratings: a year before the pilot and the months of the pilot so far.

Each one-stop desk of the demo's agencies receives, every working day (``core.calendar``: Vietnamese holidays), a
volume scaled on Ho Chi Minh City's: about ``HCMC_DOSSIERS_PER_DAY`` citizen dossiers a day across ``HCMC_WARDS``
wards and communes plus the city's departments. The city's desks are estimated from the demo's own desks per ward, so
``per desk and day = HCMC_DOSSIERS_PER_DAY / estimated HCMC desks``; the demo writes ``SAMPLE`` of that (one dossier in
five) so that a 2,000-staff city is built in well under a minute on SQLite. The report printed by ``seed_demo`` says
both figures.

The dossiers are written the way the one-stop system's data arrives: as each agency's export (CSV, Vietnamese headers,
the same columns as ``bench/dossiers.py``, which imports its header and line writers from here) and the portal's
rating export, imported through ``dossiers.imports.dossiers_import`` and ``ratings_import`` — bulk statements, the
desk staff linked from the published rosters, one audit row per file. A few ratings collected by telework's own desk QR
page are added in bulk afterwards (no person is ever recorded with a rating).

**The planted effect** (issue 13): a dossier received at a desk of an agency inside the pilot on or after the pilot's
first day is returned on time with a probability ``PILOT_EFFECT`` (3 percentage points) higher than it would have been;
everything else — each desk's own on-time level, the season (Tết, the year-end peak), the satisfaction levels and the
indicator scores — is the same for pilot and comparison desks, before and after. So pilot (post − pre) − comparison
(post − pre) of the on-time rate is about +3 points, and satisfaction shows no change.

Deterministic: one ``random.Random`` stream per desk, seeded by the seed and the desk's code, and every date anchored on
``today`` and the pilot's start.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db.models import Min
from django.utils import timezone

from telework.core import calendar, clock
from telework.dossiers.imports import dossiers_import, ratings_import
from telework.dossiers.models import Dossier, Rating, RatingSource
from telework.organization.models import Agency, ServicePoint, ServicePointKind, Staff
from telework.policy.models import PilotPhase

HCMC_DOSSIERS_PER_DAY = 12_000
HCMC_WARDS = 168
# The share of the realistic volume the demo writes (one in five): a year and a half of a 2,000-staff city's desks in
# about half a minute on SQLite. Figures (rates, shares) are unaffected; counts are a fifth of the real ones.
SAMPLE = 0.2
PILOT_EFFECT = 0.03
# Dossiers before the pilot's first day: a full year, so every month of the pilot has its month of the year before.
PRE_PILOT_DAYS = 365
PORTAL_RATED_SHARE = {"online": 0.36, "in_person": 0.2}
QR_RATED_SHARE = 0.04  # of the in-person dossiers returned in the last QR_WINDOW_DAYS without a portal rating
QR_WINDOW_DAYS = 90
SATISFACTION_WEIGHTS = (("Rất hài lòng", 56), ("Hài lòng", 38), ("Không hài lòng", 6))
INDICATOR_WEIGHTS = (4, 22, 74)  # points 0, 1, 2
WEEKDAY_LOAD = (1.25, 1.05, 1.0, 0.95, 0.8)
MONTH_LOAD = {1: 1.2, 2: 0.8, 12: 1.1}  # before Tết, Tết, the year-end peak
# The season moves every desk's on-time chance the same way (the pilot's effect is on top of it).
MONTH_ON_TIME = {1: -0.03, 2: -0.05, 12: -0.02}
GOLDEN = 0.6180339887498949

DOSSIER_HEADER = (
    "STT,Mã hồ sơ,Mã thủ tục,Tên thủ tục,Thời hạn giải quyết,Đơn vị tiếp nhận,Quầy,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,"
    "Mức độ,Kênh nộp,Trạng thái,Cán bộ xử lý,Ngày hẹn lại,Ngày xin lỗi"
)
RATING_HEADER = "Mã hồ sơ,Mức độ hài lòng," + ",".join(f"Chỉ số {number}" for number in range(1, 10)) + ",Ngày đánh giá"
QR_COMMENTS = (
    "Cán bộ hướng dẫn tận tình.",
    "Thời gian chờ hơi lâu vào buổi sáng.",
    "Thủ tục nhanh gọn, cảm ơn.",
    "Nên có thêm chỗ ngồi chờ.",
    "Trả kết quả đúng hẹn.",
)

# (code, name, legal working days) per kind of desk, matched on the desk's name; the codes are fictitious.
PROCEDURES: dict[str, tuple[tuple[str, str, int], ...]] = {
    "hộ tịch": (
        ("1.001193", "Đăng ký khai sinh", 1),
        ("1.000894", "Đăng ký kết hôn", 3),
        ("1.000656", "Đăng ký khai tử", 1),
        ("1.004873", "Cấp bản sao trích lục hộ tịch", 1),
        ("2.000815", "Chứng thực bản sao từ bản chính", 1),
        ("2.000884", "Chứng thực chữ ký", 1),
        ("1.004746", "Cấp giấy xác nhận tình trạng hôn nhân", 3),
    ),
    "đất đai": (
        ("1.003010", "Đăng ký biến động quyền sử dụng đất", 10),
        ("1.004227", "Cấp giấy chứng nhận quyền sử dụng đất lần đầu", 20),
        ("1.003003", "Xóa đăng ký thế chấp quyền sử dụng đất", 3),
        ("1.004269", "Chuyển mục đích sử dụng đất", 15),
    ),
    "xây dựng": (
        ("1.009994", "Cấp giấy phép xây dựng nhà ở riêng lẻ", 15),
        ("1.009995", "Gia hạn giấy phép xây dựng", 5),
        ("1.009996", "Điều chỉnh giấy phép xây dựng", 10),
    ),
    "kinh doanh": (
        ("2.000575", "Đăng ký thành lập hộ kinh doanh", 3),
        ("2.000720", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", 3),
        ("2.000640", "Tạm ngừng kinh doanh hộ kinh doanh", 3),
        ("1.001621", "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", 15),
    ),
    "lao động": (
        ("1.001776", "Trợ cấp xã hội hằng tháng", 15),
        ("1.000489", "Xác nhận hộ nghèo và hộ cận nghèo", 7),
        ("1.002269", "Hỗ trợ chi phí mai táng", 5),
    ),
    "nội vụ": (
        ("1.001055", "Đăng ký sinh hoạt tín ngưỡng", 15),
        ("1.003877", "Công nhận tổ dân phố văn hóa", 10),
        ("1.001028", "Xác nhận thông tin hộ tịch phục vụ thi đua", 5),
    ),
    "y tế": (
        ("1.001944", "Cấp chứng chỉ hành nghề khám chữa bệnh", 20),
        ("1.005097", "Chuyển trường cho học sinh trung học cơ sở", 3),
    ),
}
# How busy each kind of desk is, relative to the average desk.
DESK_LOAD = {"hộ tịch": 2.0, "đất đai": 1.3, "kinh doanh": 0.9, "xây dựng": 0.8, "lao động": 0.7, "nội vụ": 0.5, "y tế": 0.6}


def procedures_for(desk_name: str) -> tuple[tuple[str, str, int], ...]:
    """The procedures a desk receives, from the words of its name ("Quầy Hộ tịch - Chứng thực" → civil status)."""
    name = desk_name.lower()
    found = [procedure for key, procedures in PROCEDURES.items() if key in name for procedure in procedures]
    return tuple(found) or PROCEDURES["hộ tịch"] + PROCEDURES["kinh doanh"]


def desk_load(desk_name: str) -> float:
    name = desk_name.lower()
    return max((load for key, load in DESK_LOAD.items() if key in name), default=1.0)


def dossier_line(
    *,
    number: int,
    code: str,
    procedure: tuple[str, str, int],
    unit: str,
    desk: str,
    received: dt.datetime,
    due_day: dt.date,
    returned: dt.datetime | None,
    level: str,
    channel: str,
    status: str,
    handlers: Sequence[str],
    apology_due: dt.date | None = None,
    apology_at: dt.datetime | None = None,
) -> str:
    """One row of the one-stop system's export (the columns of ``DOSSIER_HEADER``)."""
    procedure_code, procedure_name, legal_days = procedure
    returned_text = f"{returned:%d/%m/%Y %H:%M}" if returned else ""
    apology_due_text = f"{apology_due:%d/%m/%Y}" if apology_due else ""
    apology_at_text = f"{apology_at:%d/%m/%Y %H:%M}" if apology_at else ""
    return (
        f"{number},{code},{procedure_code},{procedure_name},{legal_days},{unit},{desk},{received:%d/%m/%Y %H:%M},{due_day:%d/%m/%Y},"
        f'{returned_text},{level},{channel},{status},"{", ".join(handlers)}",{apology_due_text},{apology_at_text}'
    )


def rating_line(rng: random.Random, code: str, rated: dt.datetime) -> str:
    """One row of the portal's rating export: a satisfaction level and nine indicators (a tenth left blank), drawn
    from the same weights whoever handled the dossier and whenever."""
    return f"{code},{satisfaction(rng)},{','.join('' if score is None else str(score) for score in indicator_scores(rng))},{rated:%d/%m/%Y %H:%M}"


def satisfaction(rng: random.Random) -> str:
    return rng.choices([level for level, _ in SATISFACTION_WEIGHTS], weights=[weight for _, weight in SATISFACTION_WEIGHTS])[0]


def indicator_scores(rng: random.Random) -> list[int | None]:
    return [None if rng.random() < 0.1 else rng.choices((0, 1, 2), weights=INDICATOR_WEIGHTS)[0] for _ in range(9)]


# --- the demo's desks and their dossiers ------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskSpec:
    agency_code: str
    unit_code: str
    code: str
    name: str
    handlers: tuple[str, ...]  # staff codes of the desk's unit who handle dossiers
    in_pilot: bool


@dataclass(frozen=True)
class Volume:
    """The scale: HCMC's estimated desks and dossiers per desk and working day, and what the demo writes."""

    hcmc_desks: int
    hcmc_per_desk_day: float
    demo_per_desk_day: float


@dataclass
class QrRating:
    code: str
    level: str
    scores: list[int | None]
    submitted_at: dt.datetime
    comment: str


@dataclass
class Exports:
    dossiers: dict[str, list[str]] = field(default_factory=lambda: defaultdict(lambda: [DOSSIER_HEADER]))
    ratings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(lambda: [RATING_HEADER]))
    qr: list[QrRating] = field(default_factory=list)
    dossier_count: int = 0
    rating_count: int = 0

    def digest(self) -> str:
        """One SHA-256 over every export and QR rating, in a fixed order: the same seed gives the same digest."""
        digest = hashlib.sha256()
        for agency in sorted(self.dossiers):
            digest.update("\n".join(self.dossiers[agency]).encode())
            digest.update("\n".join(self.ratings.get(agency, [])).encode())
        for rating in self.qr:
            digest.update(f"{rating.code}|{rating.level}|{rating.scores}|{rating.submitted_at:%Y%m%d%H%M}|{rating.comment}".encode())
        return digest.hexdigest()


def volume_for(desks: Sequence[DeskSpec], ward_desks: int, wards: int) -> Volume:
    """HCMC's desks estimated from the demo's own desks per ward (168 wards, plus the demo's non-ward desks); the
    realistic per-desk volume spreads 12,000 a day over them; the demo writes ``SAMPLE`` of it."""
    per_ward = ward_desks / wards if wards else 4.0
    hcmc_desks = max(1, round(per_ward * HCMC_WARDS) + (len(desks) - ward_desks))
    realistic = HCMC_DOSSIERS_PER_DAY / hcmc_desks
    return Volume(hcmc_desks, realistic, realistic * SAMPLE)


def _local(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0)) + dt.timedelta(minutes=minutes)


def generate(
    desks: Sequence[DeskSpec], *, seed: int, first_day: dt.date, last_day: dt.date, pilot_start: dt.date, per_desk_day: float, now: dt.datetime
) -> Exports:
    """Every desk's dossiers received on the working days from ``first_day`` to ``last_day``, as export lines per
    agency, with the portal's ratings and a few QR ratings. ``now`` (naive, local) bounds what has been returned or
    rated yet. Pure: no database."""
    days = calendar.working_days(first_day, last_day)
    add_days = _cached_add_working_days()
    exports = Exports()
    numbers: dict[str, int] = defaultdict(int)
    span = max(1, (last_day - first_day).days)
    qr_from = now.date() - dt.timedelta(days=QR_WINDOW_DAYS)
    for desk in sorted(desks, key=lambda item: item.code):
        rng = random.Random(f"telework-demo:{seed}:dossiers:{desk.code}")  # noqa: S311 - demo data
        procedures = procedures_for(desk.name)
        procedure_weights = [3 if days_ <= 3 else 1 for _, _, days_ in procedures]
        load = desk_load(desk.name) * rng.lognormvariate(0, 0.25)
        base_on_time = rng.uniform(0.85, 0.94)
        # Whether a dossier is on time compares its chance with a low-discrepancy sequence (the golden-ratio rotation)
        # instead of a fresh random number: each desk's on-time share in any stretch of days follows its chance within
        # a few dossiers, so the planted effect shows in the data at its size rather than give or take a point.
        phase = rng.random()
        handlers = desk.handlers or ("",)
        lines = exports.dossiers[desk.agency_code]
        rating_lines = exports.ratings[desk.agency_code]
        for day in days:
            expected = per_desk_day * load * WEEKDAY_LOAD[day.weekday()] * MONTH_LOAD.get(day.month, 1.0)
            count = max(0, round(rng.gauss(expected, expected**0.5)))
            progress = (day - first_day).days / span
            on_time_chance = base_on_time + MONTH_ON_TIME.get(day.month, 0.0)
            if desk.in_pilot and day >= pilot_start:
                on_time_chance += PILOT_EFFECT
            fully_online = 0.25 + 0.15 * progress
            for sequence in range(1, count + 1):
                procedure = procedures[rng.choices(range(len(procedures)), weights=procedure_weights)[0]]
                legal_days = procedure[2]
                received = _local(day, 7 * 60 + 30 + rng.randrange(9 * 60))
                due_day = add_days(day, legal_days)
                draw = rng.random()
                if draw < fully_online:
                    level, channel, online = "Toàn trình", "Trực tuyến", True
                elif draw < fully_online + 0.3:
                    level, channel, online = "Một phần", "Trực tuyến", True
                else:
                    level, channel, online = "Trực tiếp", "Bưu chính" if rng.random() < 0.08 else "Trực tiếp", False
                phase = (phase + GOLDEN) % 1.0
                on_time = phase < on_time_chance
                apology_due = apology_at = None
                if on_time:
                    returned_day = add_days(day, min(legal_days, int(legal_days * rng.random() ** 1.5 + 0.5)))
                else:
                    late_by = rng.randint(1, 5)
                    returned_day = add_days(due_day, late_by)
                    if rng.random() < 0.6:
                        apology_due = add_days(due_day, late_by + rng.randint(0, 2))
                        apology_at = max(received + dt.timedelta(hours=1), _local(due_day - dt.timedelta(days=1), 15 * 60))
                returned: dt.datetime | None = _local(returned_day, 8 * 60 + rng.randrange(8 * 60 + 30))
                assert returned is not None  # noqa: S101 - set just above
                if returned <= received:
                    returned = received + dt.timedelta(minutes=30 + rng.randrange(60))
                if returned > now:
                    returned = None
                if apology_at is not None and apology_at > now:
                    apology_due = apology_at = None
                chosen = rng.sample(handlers, 2) if len(handlers) > 1 and rng.random() < 0.2 else [rng.choice(handlers)]
                numbers[desk.agency_code] += 1
                code = f"{desk.code}-{day:%y%m%d}-{sequence:03d}"
                lines.append(
                    dossier_line(
                        number=numbers[desk.agency_code],
                        code=code,
                        procedure=procedure,
                        unit=desk.unit_code,
                        desk=desk.code,
                        received=received,
                        due_day=due_day,
                        returned=returned,
                        level=level,
                        channel=channel,
                        status="Đã trả kết quả" if returned else "Đang xử lý",
                        handlers=[handler for handler in chosen if handler],
                        apology_due=apology_due,
                        apology_at=apology_at,
                    )
                )
                exports.dossier_count += 1
                if returned is None:
                    continue
                rated = returned + dt.timedelta(hours=rng.randint(1, 48))
                if rng.random() < PORTAL_RATED_SHARE["online" if online else "in_person"]:
                    if rated <= now:
                        rating_lines.append(rating_line(rng, code, rated))
                        exports.rating_count += 1
                elif not online and returned.date() >= qr_from and rated <= now and rng.random() < QR_RATED_SHARE:
                    comment = rng.choice(QR_COMMENTS) if rng.random() < 0.3 else ""
                    exports.qr.append(QrRating(code, satisfaction(rng), indicator_scores(rng), rated, comment))
    return exports


def _cached_add_working_days() -> Callable[[dt.date, int], dt.date]:
    cache: dict[tuple[dt.date, int], dt.date] = {}

    def add(day: dt.date, count: int) -> dt.date:
        key = (day, count)
        if key not in cache:
            cache[key] = calendar.add_working_days(day, count)
        return cache[key]

    return add


def demo_desks(pilot_agency_ids: set[int]) -> tuple[list[DeskSpec], int, int]:
    """The demo's one-stop desks with the staff codes who may handle their dossiers (the unit's dossier handlers and
    desk officers, leaders excepted; the desk's qualified staff if none), and the number of ward desks and wards."""
    from telework.organization.models import AgencyKind

    handlers: dict[int, list[str]] = defaultdict(list)
    for unit_id, code in Staff.objects.filter(is_active=True, is_leader=False, position__handles_dossiers=True).order_by("code").values_list("unit_id", "code"):
        handlers[unit_id].append(code)
    desks: list[DeskSpec] = []
    ward_desks = 0
    wards: set[int] = set()
    points = ServicePoint.objects.filter(kind=ServicePointKind.ONE_STOP_DESK).select_related("unit__agency").prefetch_related("qualified_staff")
    for point in points.order_by("code"):
        agency = point.unit.agency
        codes = handlers.get(point.unit_id) or sorted(person.code for person in point.qualified_staff.all())
        desks.append(DeskSpec(agency.code, point.unit.code, point.code, point.name, tuple(codes), agency.pk in pilot_agency_ids))
        if agency.kind == AgencyKind.WARD_COMMITTEE:
            ward_desks += 1
            wards.add(agency.pk)
    return desks, ward_desks, len(wards)


def pilot_start_day() -> dt.date | None:
    first: dt.date | None = PilotPhase.objects.aggregate(first=Min("starts_on"))["first"]
    return first


def seed_dossiers(*, today: dt.date, seed: int, lap: Callable[[str], None] = lambda _label: None) -> dict[str, object]:
    """Generate and import the demo's dossiers and ratings; returns the counts and the scale for the report."""
    from telework.policy.models import Pilot

    pilot_start = pilot_start_day()
    if pilot_start is None:
        return {}
    pilot_agency_ids = set(Agency.objects.filter(pilots__in=Pilot.objects.all()).values_list("id", flat=True))
    desks, ward_desks, wards = demo_desks(pilot_agency_ids)
    if not desks:
        return {}
    volume = volume_for(desks, ward_desks, wards)
    now = timezone.localtime(clock.now()).replace(tzinfo=None)
    if today < now.date():
        now = dt.datetime.combine(today, now.time())  # a demo of an earlier day knows nothing returned after it
    first_day = pilot_start - dt.timedelta(days=PRE_PILOT_DAYS)
    last_day = min(today, now.date()) - dt.timedelta(days=1)
    started = time.perf_counter()
    exports = generate(desks, seed=seed, first_day=first_day, last_day=last_day, pilot_start=pilot_start, per_desk_day=volume.demo_per_desk_day, now=now)
    generate_seconds = time.perf_counter() - started
    lap("generate a year and a half of dossiers and ratings (one-stop exports)")
    agencies = {agency.code: agency for agency in Agency.objects.filter(code__in=list(exports.dossiers))}
    for code in sorted(exports.dossiers):
        content = ("\n".join(exports.dossiers[code]) + "\n").encode()
        report = dossiers_import(actor=None, agency=agencies[code], file_name=f"{code}-mot-cua.csv", content=content)
        if not report.applied:
            problems = [problem.text() for outcome in report.refused[:3] for problem in outcome.problems]
            raise RuntimeError(f"The demo's one-stop export of {code} was refused: {problems or report.file_problems}")
    lap("import the one-stop exports (dossiers_import)")
    for code in sorted(exports.ratings):
        if len(exports.ratings[code]) < 2:
            continue
        content = ("\n".join(exports.ratings[code]) + "\n").encode()
        report = ratings_import(actor=None, agency=agencies[code], file_name=f"{code}-danh-gia.csv", content=content)
        if not report.applied:
            raise RuntimeError(f"The demo's rating export of {code} was refused.")
    ids = dict(Dossier.objects.filter(code__in=[rating.code for rating in exports.qr]).values_list("code", "id"))
    levels = {"Rất hài lòng": "very_satisfied", "Hài lòng": "satisfied", "Không hài lòng": "not_satisfied"}
    Rating.objects.bulk_create(
        [
            Rating(
                dossier_id=ids[rating.code],
                source=RatingSource.QR,
                level=levels[rating.level],
                scores=rating.scores,
                comment=rating.comment,
                submitted_at=timezone.make_aware(rating.submitted_at),
            )
            for rating in exports.qr
            if rating.code in ids
        ],
        batch_size=2000,
    )
    lap("import the portal's ratings, add the desk QR ratings")
    return {
        "dossiers": exports.dossier_count,
        "portal ratings": exports.rating_count,
        "QR ratings": len(exports.qr),
        "one-stop desks": len(desks),
        "dossier days": f"{first_day:%d/%m/%Y}–{last_day:%d/%m/%Y}",
        "pilot start": f"{pilot_start:%d/%m/%Y}",
        "HCMC desks (estimated)": volume.hcmc_desks,
        "HCMC dossiers per desk and day": round(volume.hcmc_per_desk_day, 1),
        "demo dossiers per desk and day": round(volume.demo_per_desk_day, 1),
        "dossier generation seconds": round(generate_seconds, 1),
        "digest": exports.digest(),
    }


@dataclass(frozen=True)
class OnTime:
    """On-time rates (returned dossiers, by the legal due moment) of pilot and comparison desks before and after the
    pilot's start, and the difference in differences in percentage points."""

    pilot_before: float
    pilot_after: float
    comparison_before: float
    comparison_after: float
    counts: tuple[int, int, int, int]

    @property
    def difference_in_differences(self) -> float:
        return 100 * ((self.pilot_after - self.pilot_before) - (self.comparison_after - self.comparison_before))


def on_time_by_group(pilot_start: dt.date, pilot_agency_ids: set[int]) -> OnTime:
    """Read back from the register: what the planted effect looks like in the data."""
    from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q

    start = timezone.make_aware(dt.datetime.combine(pilot_start, dt.time(0)))
    rows = (
        Dossier.objects.filter(returned_at__isnull=False)
        .annotate(
            after=ExpressionWrapper(Q(received_at__gte=start), output_field=BooleanField()),
            on_time=ExpressionWrapper(Q(returned_at__lte=F("legal_due_at")), output_field=BooleanField()),
        )
        .values("agency_id", "after", "on_time")
        .annotate(total=Count("id"))
        .order_by()
    )
    sums: dict[tuple[bool, bool], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        key = (row["agency_id"] in pilot_agency_ids, bool(row["after"]))
        sums[key][1] += row["total"]
        if row["on_time"]:
            sums[key][0] += row["total"]

    def rate(key: tuple[bool, bool]) -> float:
        on_time, total = sums[key]
        return on_time / total if total else 0.0

    return OnTime(
        rate((True, False)),
        rate((True, True)),
        rate((False, False)),
        rate((False, True)),
        (sums[(True, False)][1], sums[(True, True)][1], sums[(False, False)][1], sums[(False, True)][1]),
    )
