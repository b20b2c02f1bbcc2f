"""The sample city behind ``manage.py seed_demo``: an HCMC-like organisation, a running pilot with its policies, and
several weeks of registrations that keep every rule.

Deterministic: every choice is drawn from ``random.Random`` streams seeded by the seed, and every date is anchored
on ``today``, so the same seed on the same day gives the same agencies, names, codes and registrations. Sets are
never iterated unsorted (string and date hashes change between processes).

Fast: the organisation is planned in memory, then written with ``bulk_create`` in dependency order (agencies,
positions, units level by level, users, staff by rank of their superior, service points). Registrations are
checked in memory against the same pure rules the services use (``eligibility.decide`` and
``caps.check_request``) with the unit facts kept while generating, so the seeded data never breaks a rule and no
row costs a query. Pilot and policies go through the policy services (a handful of rows, audited there).

Ward names and administrative codes come from the 2025 reference list of HCMC's 168 wards and communes
(``WARD_REFERENCE_FILE``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import time
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone, translation

from telework.accounts.models import Role, User
from telework.core import calendar, clock
from telework.core.models import AuditEvent, Notification
from telework.organization.models import Agency, AgencyKind, Position, ServicePoint, ServicePointKind, Staff, StaffType, Unit
from telework.policy import eligibility
from telework.policy.models import Pilot, PilotStatus, Policy, PolicyLevel
from telework.policy.parameters import PolicyParameters
from telework.policy.selectors import PolicyResolver, pilot_facts, switches
from telework.policy.services import pilot_save, policy_apply_preset, policy_version_create
from telework.registrations import caps
from telework.registrations.models import Registration, RegistrationDay, RegistrationMode, RegistrationStatus
from telework.registrations.services import COMMITMENT_TEXT, revocation_effective_on

# Every demo account shares this password; the command prints it with the logins.
DEMO_PASSWORD = "demo12345"  # noqa: S105
DEMO_URL = "http://127.0.0.1:8000"
MINIMUM_STAFF = 200
WARD_REFERENCE_FILE = Path(settings.BASE_DIR) / "telework" / "organization" / "data" / "vn-admin-units-2025.json"
PILOT_CODE = "TPHCM-2026"
PILOT_NAME = "Thí điểm làm việc tại nhà TP.HCM 2026"

# Shares of the headcount (HCMC 2025: 6,316 công chức in the departments, ~11,200 posts in the wards, plus public
# service units; docs/sources.md, "Scale").
DEPARTMENT_SHARE = 0.28
PUBLIC_SERVICE_SHARE = 0.05
WARD_SIZE = 60  # average staff of a ward at the reference scale: all 168 wards from about 15,000 staff
DEPARTMENT_MINIMUM = 25


# --- reference data: names ------------------------------------------------------------------------------------

FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 31), ("Trần", 11), ("Lê", 9), ("Phạm", 6), ("Huỳnh", 5), ("Võ", 5), ("Phan", 4), ("Trương", 1.6),
    ("Hoàng", 2), ("Vũ", 1.8), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 1.8), ("Hồ", 2), ("Ngô", 1.5), ("Dương", 1.2),
    ("Lý", 1), ("Đinh", 0.8), ("Lâm", 1), ("Mai", 0.8), ("Đoàn", 0.8), ("Tô", 0.5), ("Châu", 0.6), ("Tạ", 0.4),
    ("Cao", 0.6), ("Lương", 0.5), ("Thái", 0.5), ("La", 0.3), ("Quách", 0.3), ("Kiều", 0.2),
)  # fmt: skip
MALE_MIDDLE: tuple[tuple[str, float], ...] = (
    ("Văn", 18), ("Minh", 8), ("Hữu", 5), ("Đức", 5), ("Quốc", 5), ("Thành", 4), ("Hoàng", 3), ("Công", 3), ("Tấn", 4),
    ("Ngọc", 3), ("Thanh", 4), ("Trọng", 2), ("Xuân", 2), ("Duy", 2), ("Gia", 2), ("Nhật", 2), ("Anh", 2), ("Bảo", 2),
)  # fmt: skip
FEMALE_MIDDLE: tuple[tuple[str, float], ...] = (
    ("Thị", 30), ("Ngọc", 7), ("Thanh", 5), ("Thu", 5), ("Minh", 3), ("Kim", 4), ("Hồng", 3), ("Phương", 3), ("Bích", 2),
    ("Mỹ", 3), ("Thùy", 3), ("Hoài", 2), ("Diệu", 1), ("Khánh", 2), ("Bảo", 2), ("Quỳnh", 2), ("Tường", 1), ("Cẩm", 1),
)  # fmt: skip
SECOND_FEMALE_MIDDLE = ("Thu", "Thanh", "Ngọc", "Kim", "Hồng", "Mỹ", "Bích", "Phương", "Lan", "Hải")
MALE_GIVEN = (
    "An", "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khang",
    "Khoa", "Kiên", "Lâm", "Long", "Lộc", "Luân", "Minh", "Nam", "Nghĩa", "Nhân", "Phong", "Phúc", "Quân", "Quang",
    "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thịnh", "Tiến", "Toàn", "Trí", "Trung", "Tuấn", "Tùng", "Việt", "Vinh",
    "Vũ", "Khải", "Hào", "Phát", "Thiện",
)  # fmt: skip
FEMALE_GIVEN = (
    "Anh", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hằng", "Hạnh", "Hiền", "Hoa", "Hồng", "Huyền", "Hương", "Lan", "Liên",
    "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Tâm", "Thảo", "Thủy",
    "Trang", "Trâm", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Yến", "Nhi", "Thư", "Diễm", "Hậu", "Xuân",
)  # fmt: skip
PHONE_PREFIXES = (
    "090", "093", "089", "070", "076", "077", "078", "079", "091", "094", "083", "084", "085", "081", "082", "088",
    "096", "097", "098", "086", "032", "033", "034", "035", "036", "037", "038", "039", "056", "058",
)  # fmt: skip


# --- reference data: positions and units ----------------------------------------------------------------------


@dataclass(frozen=True)
class PositionSpec:
    """A job position as the catalogue describes it; one ``Position`` row per agency that uses it."""

    name: str
    faces_citizens: bool = False
    handles_dossiers: bool = False
    is_one_stop_desk: bool = False
    is_duty_post: bool = False
    staff_type: str | None = None  # None: the agency's usual staff type

    @property
    def may_telework(self) -> bool:
        return not (self.faces_citizens or self.handles_dossiers or self.is_one_stop_desk)


@dataclass(frozen=True)
class UnitTemplate:
    """A kind of phòng/ban: its leaders' titles, its mix of positions, and what it must keep staffed."""

    name: str
    head: str
    deputy: str
    members: tuple[tuple[PositionSpec, float], ...] = ()
    weight: float = 1.0
    children: tuple[str, ...] = ()  # sub-units (tổ) that share the unit's mix of positions
    required: tuple[PositionSpec, ...] = ()  # positions the core unit holds at least once
    desks: tuple[str, ...] = ()  # one-stop desks, staffed by the unit's one-stop positions
    duty_posts: tuple[tuple[str, PositionSpec], ...] = ()


NLD = StaffType.NGUOI_LAO_DONG.value
GENERAL = PositionSpec("Chuyên viên tổng hợp")
CLERK = PositionSpec("Văn thư - lưu trữ", is_duty_post=True)
ACCOUNTANT = PositionSpec("Kế toán viên")
IT_OFFICER = PositionSpec("Chuyên viên công nghệ thông tin")
RECEPTION = PositionSpec("Chuyên viên tiếp công dân", faces_citizens=True, is_duty_post=True)
GUARD = PositionSpec("Nhân viên bảo vệ", faces_citizens=True, is_duty_post=True, staff_type=NLD)
SUPPORT = PositionSpec("Nhân viên hỗ trợ nghiệp vụ", staff_type=NLD)
DEPARTMENT_HR = PositionSpec("Chuyên viên tổ chức cán bộ")
PLANNER = PositionSpec("Chuyên viên kế hoạch - tài chính")
DOSSIER_OFFICER = PositionSpec("Chuyên viên giải quyết thủ tục hành chính", handles_dossiers=True)
WARD_HR = PositionSpec("Chuyên viên nội vụ")
CIVIL_STATUS = PositionSpec("Chuyên viên tư pháp - hộ tịch", faces_citizens=True, handles_dossiers=True)
LAND_OFFICER = PositionSpec("Chuyên viên quản lý đất đai", handles_dossiers=True)
ORDER_OFFICER = PositionSpec("Chuyên viên quản lý trật tự xây dựng - đô thị", faces_citizens=True)
ECONOMY_OFFICER = PositionSpec("Chuyên viên kinh tế - tài chính")
URBAN_OFFICER = PositionSpec("Chuyên viên quản lý đô thị - hạ tầng")
FARM_OFFICER = PositionSpec("Chuyên viên nông nghiệp - phát triển nông thôn")
ENVIRONMENT_OFFICER = PositionSpec("Chuyên viên tài nguyên - môi trường")
CULTURE_OFFICER = PositionSpec("Chuyên viên văn hóa - thông tin")
SOCIAL_OFFICER = PositionSpec("Chuyên viên lao động - chính sách xã hội", handles_dossiers=True)
EDUCATION_OFFICER = PositionSpec("Chuyên viên giáo dục - y tế")
DESK_OFFICER = PositionSpec("Chuyên viên tiếp nhận và trả kết quả", faces_citizens=True, handles_dossiers=True, is_one_stop_desk=True)
GUIDE = PositionSpec("Chuyên viên hướng dẫn thủ tục hành chính", faces_citizens=True)
DIGITISER = PositionSpec("Chuyên viên số hóa hồ sơ", handles_dossiers=True)
CENTRE_HR = PositionSpec("Viên chức tổ chức - hành chính")

SPECIALISED_CHILDREN = ("Tổ Nghiệp vụ", "Tổ Tổng hợp - Kiểm tra", "Tổ Pháp chế - Giám sát")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def specialised(name: str, *, kind: str = "plain", specialist: str | None = None, public: PositionSpec | None = None, weight: float = 1.0) -> UnitTemplate:
    """A specialised phòng. ``kind`` "dossier" adds officers who handle administrative procedures (thủ tục hành
    chính); "citizen" adds posts that face citizens or businesses (``public``)."""
    title = specialist or "Chuyên viên " + _lower_first(name.removeprefix("Phòng ").removeprefix("Khoa "))
    members: list[tuple[PositionSpec, float]] = [(PositionSpec(title), 6.0), (GENERAL, 1.0)]
    if kind == "dossier":
        members.append((public or DOSSIER_OFFICER, 4.5))
    elif kind == "citizen":
        members.append((public or RECEPTION, 5.0))
    elif name.startswith("Phòng "):
        # Most specialised phòng of a department also settle a few procedures of their field.
        members.append((DOSSIER_OFFICER, 1.2))
    is_clinic = name.startswith("Khoa ")
    return UnitTemplate(
        name,
        "Trưởng khoa" if is_clinic else "Trưởng phòng",
        "Phó Trưởng khoa" if is_clinic else "Phó Trưởng phòng",
        tuple(members),
        weight,
        SPECIALISED_CHILDREN,
    )


def department_office(name: str = "Văn phòng") -> UnitTemplate:
    return UnitTemplate(
        name,
        "Chánh Văn phòng" if name == "Văn phòng" else "Trưởng phòng",
        "Phó Chánh Văn phòng" if name == "Văn phòng" else "Phó Trưởng phòng",
        ((GENERAL, 4), (CLERK, 1.5), (ACCOUNTANT, 1.5), (IT_OFFICER, 1), (RECEPTION, 1), (GUARD, 1), (SUPPORT, 0.8), (DEPARTMENT_HR, 0.8)),
        1.2,
        ("Tổ Hành chính - Quản trị", "Tổ Tổng hợp - Thông tin", "Tổ Văn thư - Lưu trữ"),
        required=(DEPARTMENT_HR, CLERK),
        duty_posts=(("Trực văn thư - tiếp nhận văn bản đến", CLERK), ("Trực tiếp công dân", RECEPTION)),
    )


PERSONNEL = UnitTemplate(
    "Phòng Tổ chức cán bộ", "Trưởng phòng", "Phó Trưởng phòng", ((DEPARTMENT_HR, 4), (GENERAL, 1)), 0.6, ("Tổ Công chức - Viên chức", "Tổ Chế độ - Chính sách")
)
PLANNING = UnitTemplate(
    "Phòng Kế hoạch - Tài chính", "Trưởng phòng", "Phó Trưởng phòng", ((PLANNER, 4), (ACCOUNTANT, 2)), 0.6, ("Tổ Kế hoạch - Đầu tư", "Tổ Tài chính - Kế toán")
)
INSPECTOR = PositionSpec("Thanh tra viên", faces_citizens=True)
DRIVING_EXAMINER = PositionSpec("Sát hạch viên", faces_citizens=True)
MARKET_INSPECTOR = PositionSpec("Kiểm soát viên thị trường", faces_citizens=True)
PLANNING_INFORMATION = PositionSpec("Chuyên viên cung cấp thông tin quy hoạch", faces_citizens=True)


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    weight: float
    specialised: tuple[UnitTemplate, ...]
    leader: str = "Giám đốc Sở"
    deputy: str = "Phó Giám đốc Sở"
    leadership_unit: str = "Ban Giám đốc Sở"
    office: str = "Văn phòng"


# The 15 specialised agencies of HCMC after 1 July 2025, in the order a small city keeps them.
DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec("SNV", "Sở Nội vụ", 1.0, (
        specialised("Phòng Công chức, viên chức"), specialised("Phòng Tổ chức bộ máy - Biên chế"),
        specialised("Phòng Việc làm - An toàn lao động", kind="dossier"), specialised("Phòng Cải cách hành chính"),
        specialised("Phòng Xây dựng chính quyền"), specialised("Phòng Thi đua - Khen thưởng"),
        specialised("Phòng Người có công", kind="dossier"), specialised("Phòng Văn thư - Lưu trữ nhà nước"),
    )),
    DepartmentSpec("STC", "Sở Tài chính", 1.3, (
        specialised("Phòng Quản lý ngân sách"), specialised("Phòng Đăng ký kinh doanh", kind="dossier"),
        specialised("Phòng Quản lý đầu tư"), specialised("Phòng Quản lý giá và công sản"),
        specialised("Phòng Hợp tác đầu tư", kind="dossier"), specialised("Phòng Tài chính doanh nghiệp"),
        specialised("Phòng Tin học và Thống kê"),
    )),
    DepartmentSpec("SXD", "Sở Xây dựng", 1.4, (
        specialised("Phòng Quản lý hoạt động xây dựng", kind="dossier"), specialised("Phòng Phát triển đô thị"),
        specialised("Phòng Quản lý nhà và thị trường bất động sản", kind="dossier"), specialised("Phòng Hạ tầng kỹ thuật"),
        specialised("Phòng Quản lý vận tải", kind="dossier"), specialised("Phòng Sát hạch lái xe", kind="citizen", public=DRIVING_EXAMINER),
        specialised("Phòng Kinh tế xây dựng"), specialised("Phòng Quản lý kết cấu hạ tầng giao thông"),
    )),
    DepartmentSpec("STP", "Sở Tư pháp", 0.6, (
        specialised("Phòng Hành chính tư pháp", kind="dossier"), specialised("Phòng Xây dựng và Kiểm tra văn bản"),
        specialised("Phòng Bổ trợ tư pháp", kind="dossier"), specialised("Phòng Phổ biến, giáo dục pháp luật"),
        specialised("Phòng Quản lý xử lý vi phạm hành chính"),
    )),
    DepartmentSpec("SYT", "Sở Y tế", 0.9, (
        specialised("Phòng Nghiệp vụ Y", kind="dossier"), specialised("Phòng Nghiệp vụ Dược", kind="dossier"),
        specialised("Phòng Y tế dự phòng"), specialised("Phòng Quản lý hành nghề y tư nhân", kind="dossier"),
        specialised("Phòng Dân số"), specialised("Phòng Bảo trợ xã hội"), specialised("Phòng Trẻ em"),
    )),
    DepartmentSpec("SGDDT", "Sở Giáo dục và Đào tạo", 0.8, (
        specialised("Phòng Giáo dục Trung học"), specialised("Phòng Khảo thí và Quản lý chất lượng", kind="dossier"),
        specialised("Phòng Giáo dục Tiểu học"), specialised("Phòng Giáo dục Mầm non"),
        specialised("Phòng Giáo dục thường xuyên và Nghề nghiệp"), specialised("Phòng Chính trị tư tưởng"),
    )),
    DepartmentSpec("SCT", "Sở Công Thương", 0.9, (
        specialised("Phòng Quản lý thương mại", kind="dossier"), specialised("Phòng Quản lý công nghiệp"),
        specialised("Phòng Quản lý năng lượng"), specialised("Phòng Nghiệp vụ quản lý thị trường", kind="citizen", public=MARKET_INSPECTOR),
        specialised("Phòng Kỹ thuật an toàn - Môi trường", kind="dossier"), specialised("Phòng Xuất nhập khẩu"),
    )),
    DepartmentSpec("SNNMT", "Sở Nông nghiệp và Môi trường", 1.5, (
        specialised("Phòng Quản lý đất đai", kind="dossier"), specialised("Phòng Môi trường", kind="dossier"),
        specialised("Phòng Đo đạc, bản đồ và Viễn thám"), specialised("Phòng Quản lý tài nguyên nước", kind="dossier"),
        specialised("Phòng Kinh tế hợp tác và Phát triển nông thôn"), specialised("Phòng Trồng trọt và Bảo vệ thực vật"),
        specialised("Phòng Chăn nuôi và Thú y", kind="dossier"), specialised("Phòng Thủy lợi"),
        specialised("Phòng Biển, đảo và Khí tượng thủy văn"),
    )),
    DepartmentSpec("SVHTT", "Sở Văn hóa và Thể thao", 0.7, (
        specialised("Phòng Quản lý văn hóa", kind="dossier"), specialised("Phòng Quản lý thể dục thể thao"),
        specialised("Phòng Báo chí - Xuất bản", kind="dossier"), specialised("Phòng Quản lý di sản văn hóa"),
        specialised("Phòng Gia đình và Thư viện"),
    )),
    DepartmentSpec("SKHCN", "Sở Khoa học và Công nghệ", 0.7, (
        specialised("Phòng Chuyển đổi số"), specialised("Phòng Quản lý khoa học"),
        specialised("Phòng Bưu chính, Viễn thông", kind="dossier"), specialised("Phòng Đổi mới sáng tạo"),
        specialised("Phòng Tiêu chuẩn Đo lường Chất lượng", kind="dossier"),
    )),
    DepartmentSpec("VPUB", "Văn phòng UBND Thành phố", 0.8, (
        specialised("Phòng Tổng hợp"), specialised("Ban Tiếp công dân Thành phố", kind="citizen", specialist="Chuyên viên xử lý đơn thư"),
        specialised("Phòng Kinh tế"), specialised("Phòng Đô thị"), specialised("Phòng Văn hóa - Xã hội"),
        specialised("Phòng Nội chính - Pháp chế"), specialised("Phòng Kiểm soát thủ tục hành chính"),
    ), "Chánh Văn phòng UBND Thành phố", "Phó Chánh Văn phòng UBND Thành phố", "Lãnh đạo Văn phòng", "Phòng Hành chính - Tổ chức"),
    DepartmentSpec("TTTP", "Thanh tra Thành phố", 0.7, (
        specialised("Phòng Tiếp công dân và Xử lý đơn", kind="citizen", specialist="Chuyên viên xử lý đơn thư"),
        specialised("Phòng Thanh tra kinh tế - xã hội", kind="citizen", public=INSPECTOR, specialist="Chuyên viên thanh tra"),
        specialised("Phòng Giải quyết khiếu nại, tố cáo", kind="citizen", public=INSPECTOR),
        specialised("Phòng Phòng, chống tham nhũng"), specialised("Phòng Giám sát, kiểm tra và xử lý sau thanh tra"),
    ), "Chánh Thanh tra Thành phố", "Phó Chánh Thanh tra Thành phố", "Lãnh đạo Thanh tra"),
    DepartmentSpec("SQHKT", "Sở Quy hoạch - Kiến trúc", 0.5, (
        specialised("Phòng Quy hoạch chung"), specialised("Phòng Quản lý kiến trúc", kind="dossier"),
        specialised("Phòng Thông tin quy hoạch", kind="citizen", public=PLANNING_INFORMATION), specialised("Phòng Quy hoạch hạ tầng kỹ thuật"),
    )),
    DepartmentSpec("SDL", "Sở Du lịch", 0.4, (
        specialised("Phòng Quản lý lữ hành", kind="dossier"), specialised("Phòng Xúc tiến du lịch"),
        specialised("Phòng Quản lý cơ sở lưu trú", kind="dossier"), specialised("Phòng Kế hoạch - Phát triển du lịch"),
    )),
    DepartmentSpec("SDTTG", "Sở Dân tộc và Tôn giáo", 0.35, (
        specialised("Phòng Công tác Tôn giáo", kind="dossier"), specialised("Phòng Công tác Dân tộc"), specialised("Phòng Chính sách"),
    )),
)  # fmt: skip


def ward_templates(prefix: str) -> tuple[UnitTemplate, ...]:
    """The ward-level structure since 1 July 2025: the office of the People's Council and Committee, an economic
    division (with urban infrastructure in a phường), a culture-and-society division, and the public administration
    service centre with its one-stop desks."""
    economy = "Phòng Kinh tế, Hạ tầng và Đô thị" if prefix == "phường" else "Phòng Kinh tế"
    third = URBAN_OFFICER if prefix == "phường" else FARM_OFFICER
    return (
        UnitTemplate(
            "Văn phòng HĐND và UBND",
            "Chánh Văn phòng",
            "Phó Chánh Văn phòng",
            ((GENERAL, 3), (CLERK, 1), (RECEPTION, 1), (CIVIL_STATUS, 2), (WARD_HR, 1), (ACCOUNTANT, 1), (GUARD, 0.7)),
            1.1,
            ("Tổ Tư pháp - Hộ tịch", "Tổ Tổng hợp - Hành chính"),
            required=(WARD_HR, CLERK, RECEPTION),
            duty_posts=(("Trực tiếp công dân", RECEPTION), ("Trực văn thư", CLERK)),
        ),
        UnitTemplate(
            economy,
            "Trưởng phòng",
            "Phó Trưởng phòng",
            ((LAND_OFFICER, 2), (ORDER_OFFICER, 2), (ECONOMY_OFFICER, 2), (third, 2), (ENVIRONMENT_OFFICER, 1)),
            1.0,
            ("Tổ Đất đai - Môi trường", "Tổ Trật tự đô thị"),
        ),
        UnitTemplate(
            "Phòng Văn hóa - Xã hội",
            "Trưởng phòng",
            "Phó Trưởng phòng",
            ((CULTURE_OFFICER, 2), (SOCIAL_OFFICER, 2), (EDUCATION_OFFICER, 1.5), (GENERAL, 0.5)),
            0.9,
            ("Tổ Chính sách xã hội", "Tổ Văn hóa - Thông tin"),
        ),
        UnitTemplate(
            "Trung tâm Phục vụ hành chính công",
            "Giám đốc Trung tâm",
            "Phó Giám đốc Trung tâm",
            ((DESK_OFFICER, 6), (GUIDE, 1.2), (DIGITISER, 1.2), (GENERAL, 1.2)),
            1.4,
            required=(DESK_OFFICER,),
            desks=("Quầy Đất đai - Xây dựng", "Quầy Hộ tịch - Chứng thực", "Quầy Kinh doanh - Đầu tư", "Quầy Lao động - Xã hội", "Quầy Tư pháp - Nội vụ"),
        ),
    )


def centre_office() -> UnitTemplate:
    return UnitTemplate(
        "Phòng Hành chính - Tổng hợp",
        "Trưởng phòng",
        "Phó Trưởng phòng",
        ((GENERAL, 3), (CENTRE_HR, 1), (ACCOUNTANT, 1), (CLERK, 1), (GUARD, 0.8), (SUPPORT, 0.8)),
        1.0,
        required=(CENTRE_HR,),
    )


OPERATOR = PositionSpec("Kỹ sư vận hành hệ thống", is_duty_post=True)
EPIDEMIC_OFFICER = PositionSpec("Bác sĩ y học dự phòng", is_duty_post=True)


@dataclass(frozen=True)
class CentreSpec:
    code: str
    name: str
    units: tuple[UnitTemplate, ...]


# Public service units (đơn vị sự nghiệp công lập) under the departments; staffed mostly by viên chức.
CENTRES: tuple[CentreSpec, ...] = (
    CentreSpec("TTHCC", "Trung tâm Phục vụ hành chính công Thành phố", (
        centre_office(),
        UnitTemplate(
            "Phòng Tiếp nhận và Trả kết quả", "Trưởng phòng", "Phó Trưởng phòng", ((DESK_OFFICER, 6), (GUIDE, 1.5), (GENERAL, 1)), 1.8,
            required=(DESK_OFFICER,),
            desks=("Quầy Đầu tư - Kinh doanh", "Quầy Xây dựng - Quy hoạch", "Quầy Đất đai - Môi trường", "Quầy Tư pháp - Nội vụ", "Quầy Y tế - Giáo dục"),
        ),
        specialised("Phòng Số hóa và Công nghệ thông tin", kind="dossier", public=DIGITISER),
        specialised("Phòng Giám sát và Đánh giá chất lượng dịch vụ"),
    )),
    CentreSpec("TTCDS", "Trung tâm Chuyển đổi số Thành phố", (
        centre_office(),
        UnitTemplate(
            "Phòng Hạ tầng số", "Trưởng phòng", "Phó Trưởng phòng", ((OPERATOR, 3), (IT_OFFICER, 3)), 1.2, SPECIALISED_CHILDREN,
            required=(OPERATOR,), duty_posts=(("Trực vận hành Trung tâm dữ liệu", OPERATOR),),
        ),
        specialised("Phòng Dữ liệu số"), specialised("Phòng Phát triển ứng dụng"), specialised("Phòng An toàn thông tin"),
    )),
    CentreSpec("TTDVVL", "Trung tâm Dịch vụ việc làm Thành phố", (
        centre_office(),
        specialised("Phòng Tư vấn - Giới thiệu việc làm", kind="citizen", public=PositionSpec("Tư vấn viên việc làm", faces_citizens=True)),
        specialised("Phòng Bảo hiểm thất nghiệp", kind="dossier"), specialised("Phòng Thông tin thị trường lao động"),
    )),
    CentreSpec("HCDC", "Trung tâm Kiểm soát bệnh tật Thành phố", (
        centre_office(),
        UnitTemplate(
            "Khoa Phòng chống bệnh truyền nhiễm", "Trưởng khoa", "Phó Trưởng khoa", ((EPIDEMIC_OFFICER, 4), (GENERAL, 1)), 1.3, SPECIALISED_CHILDREN,
            required=(EPIDEMIC_OFFICER,), duty_posts=(("Trực đáp ứng dịch bệnh", EPIDEMIC_OFFICER),),
        ),
        specialised("Phòng Kế hoạch - Nghiệp vụ"),
        specialised("Khoa Tiêm chủng", kind="citizen", public=PositionSpec("Điều dưỡng tiêm chủng", faces_citizens=True)),
        specialised("Khoa Dinh dưỡng"),
    )),
    CentreSpec("TTLT", "Trung tâm Lưu trữ lịch sử Thành phố", (
        centre_office(),
        specialised("Phòng Thu thập - Chỉnh lý tài liệu"), specialised("Phòng Bảo quản tài liệu"),
        specialised("Phòng Phục vụ khai thác tài liệu", kind="citizen", public=PositionSpec("Viên chức phục vụ độc giả", faces_citizens=True)),
    )),
)  # fmt: skip

WORK_PLANS = (
    "Soạn thảo báo cáo sơ kết công tác quý",
    "Rà soát, góp ý dự thảo văn bản quy phạm pháp luật",
    "Tổng hợp số liệu thống kê chuyên ngành tháng",
    "Xây dựng dự thảo kế hoạch công tác năm sau",
    "Nghiên cứu, đề xuất phương án xử lý công việc tồn đọng",
    "Cập nhật cơ sở dữ liệu chuyên ngành",
    "Chuẩn bị tài liệu phục vụ cuộc họp giao ban",
    "Tổng hợp ý kiến góp ý của các đơn vị",
    "Soạn thảo tờ trình và dự thảo quyết định",
    "Theo dõi, đôn đốc thực hiện nhiệm vụ được giao trên hệ thống",
    "Biên tập tin bài cho cổng thông tin điện tử",
    "Rà soát quy trình nội bộ giải quyết công việc",
)
APPROVAL_COMMENTS = ("", "", "", "Đồng ý.", "Đồng ý, đề nghị cập nhật tiến độ hằng ngày trên hệ thống.", "Đồng ý theo kế hoạch công việc đã đăng ký.")
REJECTION_REASONS = (
    "Trong thời gian này đơn vị có đợt kiểm tra chuyên đề, đề nghị làm việc tại cơ quan.",
    "Kế hoạch công việc chưa nêu rõ sản phẩm và thời hạn hoàn thành.",
    "Trùng lịch tiếp công dân định kỳ của đơn vị.",
    "Đang trong thời gian tập huấn nghiệp vụ bắt buộc tại cơ quan.",
)
CHANGE_REQUESTS = (
    "Đề nghị chuyển ngày thứ Hai sang ngày khác vì thứ Hai đơn vị họp giao ban.",
    "Bổ sung kế hoạch công việc cụ thể cho từng ngày làm việc tại nhà.",
    "Đề nghị giảm còn 1 ngày mỗi tuần trong tháng cao điểm.",
)
REVOCATION_REASONS = (
    "Đơn vị cần tăng cường nhân sự tại cơ quan để hoàn thành báo cáo cuối năm.",
    "Không cập nhật tiến độ công việc trong các ngày làm việc tại nhà theo cam kết.",
    "Được cử tham gia tổ công tác liên ngành, phải có mặt tại cơ quan.",
)


# --- plans (in memory) ----------------------------------------------------------------------------------------


@dataclass(eq=False)
class AgencyPlan:
    code: str
    name: str
    kind: str
    budget: int
    templates: tuple[UnitTemplate, ...]
    leader: str
    deputy: str
    leadership_unit: str
    hr_position: PositionSpec
    staff_type: str
    email_tag: str
    administrative_code: str = ""
    in_pilot: bool = True
    minimum_units: int = 2
    instance: Agency | None = None
    positions: dict[PositionSpec, Position] = field(default_factory=dict)
    units: list[UnitPlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    leader_plan: PersonPlan | None = None
    hr_plan: PersonPlan | None = None

    @property
    def pk(self) -> int:
        assert self.instance is not None
        return int(self.instance.pk)


@dataclass(eq=False)
class UnitPlan:
    agency: AgencyPlan
    name: str
    code: str
    size: int
    template: UnitTemplate
    parent: UnitPlan | None = None
    is_leadership: bool = False
    instance: Unit | None = None
    members: list[PersonPlan] = field(default_factory=list)
    head: PersonPlan | None = None
    points: list[PointPlan] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    @property
    def pk(self) -> int:
        assert self.instance is not None
        return int(self.instance.pk)


@dataclass(eq=False)
class PersonPlan:
    code: str
    full_name: str
    unit: UnitPlan
    position: PositionSpec
    staff_type: str
    is_leader: bool
    phone: str
    email: str
    equipment: list[str]
    training_completed_on: dt.date | None = None
    disciplined_until: dt.date | None = None
    superior: PersonPlan | None = None
    role: str = Role.STAFF
    instance: Staff | None = None
    user: User | None = None

    @property
    def pk(self) -> int:
        assert self.instance is not None
        return int(self.instance.pk)

    @property
    def rank(self) -> int:
        return 0 if self.superior is None else self.superior.rank + 1


@dataclass(eq=False)
class PointPlan:
    unit: UnitPlan
    code: str
    name: str
    kind: str
    required_on_site: int
    qualified: list[PersonPlan]
    instance: ServicePoint | None = None


@dataclass(eq=False)
class RegistrationPlan:
    person: PersonPlan
    window: str  # "past" or "coming"
    starts_on: dt.date
    ends_on: dt.date
    mode: str
    weekdays: list[int]
    dates: list[dt.date]
    days: list[dt.date]
    status: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None = None
    decision_comment: str = ""
    revoked_at: dt.datetime | None = None
    revocation_reason: str = ""
    revoked_effective_on: dt.date | None = None
    notice_days: int = 0
    parameters: dict[str, Any] = field(default_factory=dict)
    eligibility_snapshot: dict[str, Any] = field(default_factory=dict)
    work_plan: str = ""
    instance: Registration | None = None


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    full_name: str
    post: str
    note: str


@dataclass
class DemoResult:
    """What ``build_demo_city`` made: the logins to print, how long each phase took, and the counts."""

    logins: list[DemoLogin]
    timings: list[tuple[str, float]]
    counts: dict[str, int]
    public_facing_share: dict[str, float]


# --- small helpers --------------------------------------------------------------------------------------------


def apportion(total: int, weights: Sequence[float], *, low: int = 0, high: int | None = None) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), each within [low, high]."""
    count = len(weights)
    if count == 0:
        return []
    sizes = [low] * count
    remaining = total - low * count
    active = [index for index in range(count) if high is None or sizes[index] < high]
    while remaining > 0 and active:
        weight_sum = sum(weights[index] for index in active) or float(len(active))
        shares = {index: remaining * (weights[index] or 1.0) / weight_sum for index in active}
        granted = 0
        for index in active:
            extra = math.floor(shares[index])
            if high is not None:
                extra = min(extra, high - sizes[index])
            sizes[index] += extra
            granted += extra
        remaining -= granted
        if remaining > 0:
            for index in sorted(active, key=lambda item: (-(shares[item] - math.floor(shares[item])), item)):
                if remaining == 0:
                    break
                if high is None or sizes[index] < high:
                    sizes[index] += 1
                    remaining -= 1
        active = [index for index in active if high is None or sizes[index] < high]
        if granted == 0 and remaining > 0 and not active:
            break
    return sizes


def ascii_slug(text: str) -> str:
    """Strip the diacritics, for e-mail addresses: "Nguyễn Thị Đào" → "nguyen thi dao"."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def load_ward_reference() -> list[dict[str, str]]:
    """HCMC's 168 wards, communes and special zone after the 1 July 2025 reorganisation: ``{code, name}``."""
    if not WARD_REFERENCE_FILE.exists():
        raise DemoSeedError(f"The list of HCMC wards is missing: {WARD_REFERENCE_FILE}")
    with WARD_REFERENCE_FILE.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return [{"code": str(item["code"]), "name": str(item["name"])} for item in data["ho_chi_minh_city_wards"]]


def _weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    return rng.choices([name for name, _ in options], weights=[weight for _, weight in options])[0]


def _aware(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _working_day_before(day: dt.date, count: int) -> dt.date:
    while count > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            count -= 1
    return day


@lru_cache(maxsize=4096)
def _working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    return calendar.working_days(start, end)


# --- planning the organisation --------------------------------------------------------------------------------


class _OrganisationPlanner:
    """Decides agencies, units, people and service points in memory, from one seeded stream per concern."""

    def __init__(self, *, staff: int, seed: int, today: dt.date) -> None:
        self.staff = staff
        self.today = today
        self.structure = random.Random(f"telework-demo:{seed}:structure")
        self.people_rng = random.Random(f"telework-demo:{seed}:people")
        self.agencies: list[AgencyPlan] = []
        self.emails: set[str] = set()

    def plan(self) -> list[AgencyPlan]:
        department_budget = round(self.staff * DEPARTMENT_SHARE)
        centre_budget = max(15, round(self.staff * PUBLIC_SERVICE_SHARE))
        ward_budget = self.staff - department_budget - centre_budget
        self._plan_departments(department_budget)
        self._plan_centres(centre_budget)
        self._plan_wards(ward_budget)
        for agency in self.agencies:
            self._plan_units(agency)
            for unit in agency.units:
                self._plan_people(unit)
            self._link(agency)
            for unit in agency.units:
                self._plan_points(unit)
        return self.agencies

    def _budgets(self, total: int, weights: list[float], minimum: int) -> list[int]:
        return apportion(total, weights, low=min(minimum, total // max(1, len(weights))))

    def _plan_departments(self, budget: int) -> None:
        count = min(len(DEPARTMENTS), max(3, budget // DEPARTMENT_MINIMUM))
        chosen = DEPARTMENTS[:count]
        budgets = self._budgets(budget, [spec.weight * self.structure.uniform(0.85, 1.15) for spec in chosen], DEPARTMENT_MINIMUM)
        for spec, size in zip(chosen, budgets, strict=True):
            templates = list(spec.specialised)
            # A small department keeps its office and its specialised phòng first; personnel and planning phòng
            # come once it is big enough (many merged them into the office in 2025).
            ordered = [department_office(spec.office), templates[0]]
            if len(templates) > 1:
                ordered.append(templates[1])
            ordered.append(PERSONNEL)
            ordered.extend(templates[2:3])
            ordered.append(PLANNING)
            ordered.extend(templates[3:])
            self.agencies.append(
                AgencyPlan(
                    spec.code,
                    spec.name,
                    AgencyKind.DEPARTMENT,
                    size,
                    tuple(ordered),
                    spec.leader,
                    spec.deputy,
                    spec.leadership_unit,
                    DEPARTMENT_HR,
                    StaffType.CONG_CHUC,
                    spec.code.lower(),
                )
            )

    def _plan_centres(self, budget: int) -> None:
        count = min(len(CENTRES), max(1, round(budget / 45)))
        chosen = CENTRES[:count]
        budgets = self._budgets(budget, [self.structure.uniform(0.8, 1.2) for _ in chosen], 15)
        for spec, size in zip(chosen, budgets, strict=True):
            self.agencies.append(
                AgencyPlan(
                    spec.code,
                    spec.name,
                    AgencyKind.PUBLIC_SERVICE_UNIT,
                    size,
                    spec.units,
                    "Giám đốc Trung tâm",
                    "Phó Giám đốc Trung tâm",
                    "Ban Giám đốc Trung tâm",
                    CENTRE_HR,
                    StaffType.VIEN_CHUC,
                    spec.code.lower(),
                )
            )

    def _plan_wards(self, budget: int) -> None:
        reference = load_ward_reference()
        count = min(len(reference), max(2, round(budget / WARD_SIZE)))
        chosen = sorted(self.structure.sample(reference, count), key=lambda ward: ward["code"])
        budgets = self._budgets(budget, [self.structure.lognormvariate(0, 0.25) for _ in chosen], 25)
        excluded_count = max(1, min(8, count // 10))
        excluded = {ward["code"] for ward in self.structure.sample(chosen, excluded_count)}
        for ward, size in zip(chosen, budgets, strict=True):
            name = ward["name"]
            prefix = "đặc khu" if name.startswith("Đặc khu") else "xã" if name.startswith("Xã") else "phường"
            letter = {"phường": "P", "xã": "X", "đặc khu": "DK"}[prefix]
            self.agencies.append(
                AgencyPlan(
                    f"{letter}{ward['code']}",
                    name,
                    AgencyKind.WARD_COMMITTEE,
                    size,
                    ward_templates(prefix),
                    f"Chủ tịch UBND {prefix}",
                    f"Phó Chủ tịch UBND {prefix}",
                    "Lãnh đạo UBND",
                    WARD_HR,
                    StaffType.CONG_CHUC,
                    f"{letter.lower()}{ward['code']}",
                    administrative_code=ward["code"],
                    in_pilot=ward["code"] not in excluded,
                    minimum_units=4,
                )
            )

    def _plan_units(self, agency: AgencyPlan) -> None:
        rng = self.structure
        deputies = 2 if agency.budget < 60 else 3 if agency.budget < 250 else 4
        if agency.kind == AgencyKind.PUBLIC_SERVICE_UNIT:
            deputies = 2
        if agency.kind == AgencyKind.WARD_COMMITTEE:
            deputies = 2 if agency.budget < 70 else 3
        leadership = UnitTemplate(agency.leadership_unit, agency.leader, agency.deputy)
        counter = iter(range(1, 10_000))
        agency.units.append(UnitPlan(agency, leadership.name, f"{agency.code}-{next(counter):02d}", 1 + deputies, leadership, is_leadership=True))
        remaining = agency.budget - 1 - deputies
        top_count = min(len(agency.templates), max(agency.minimum_units, round(remaining / 18)), max(1, remaining // 4))
        tops = agency.templates[:top_count]
        families = apportion(remaining, [template.weight * rng.lognormvariate(0, 0.5) for template in tops], low=min(4, remaining // top_count))
        for template, family in zip(tops, families, strict=True):
            # A phòng above about twenty people splits into tổ of about a dozen (its core keeps the leaders).
            children = 0 if family <= 20 else min(math.ceil(family / 14) - 1, max(len(template.children), math.ceil(family / 60) - 1))
            if not template.children and family <= 60:
                children = 0
            sizes = apportion(family, [1.5] + [rng.lognormvariate(0, 0.3) for _ in range(children)], low=min(3, family // (children + 1)), high=60)
            core = UnitPlan(agency, template.name, f"{agency.code}-{next(counter):02d}", sizes[0], template)
            agency.units.append(core)
            for index, size in enumerate(sizes[1:]):
                name = template.children[index] if index < len(template.children) else f"Tổ công tác số {index + 1}"
                child_template = UnitTemplate(name, "Tổ trưởng", "Tổ phó", template.members, children=())
                agency.units.append(UnitPlan(agency, name, f"{agency.code}-{next(counter):02d}", size, child_template, parent=core))

    def _plan_people(self, unit: UnitPlan) -> None:
        rng = self.structure
        template = unit.template
        if unit.is_leadership:
            deputies = unit.size - 1
        elif unit.parent is not None:
            deputies = 0 if unit.size < 8 else 1
        else:
            deputies = 0 if unit.size <= 4 else 1 if unit.size <= 12 else 2 if unit.size <= 30 else 3
        plain = unit.size - 1 - deputies
        specs = [spec for spec, _ in template.members]
        counts = apportion(plain, [weight * rng.uniform(0.75, 1.25) for _, weight in template.members]) if specs else []
        if unit.parent is None:
            for needed in template.required:
                index = specs.index(needed)
                if counts[index] == 0 and plain > 0:
                    donor = max(range(len(counts)), key=lambda item: (counts[item], -item))
                    if counts[donor] > 1 or donor == index:
                        counts[donor] -= 1
                        counts[index] += 1
        positions: list[PositionSpec] = [spec for spec, count in zip(specs, counts, strict=True) for _ in range(count)]
        rng.shuffle(positions)
        head = PositionSpec(template.head)
        deputy = PositionSpec(template.deputy)
        unit.head = self._person(unit, head, is_leader=True)
        unit.members.append(unit.head)
        for _ in range(deputies):
            unit.members.append(self._person(unit, deputy, is_leader=True))
        for spec in positions:
            unit.members.append(self._person(unit, spec, is_leader=False))
        unit.agency.people.extend(unit.members)

    def _person(self, unit: UnitPlan, position: PositionSpec, *, is_leader: bool) -> PersonPlan:
        rng = self.people_rng
        agency = unit.agency
        is_female = rng.random() < (0.42 if is_leader else 0.56)
        family = _weighted(rng, FAMILY_NAMES)
        if is_female:
            middle = _weighted(rng, FEMALE_MIDDLE)
            if middle == "Thị" and rng.random() < 0.25:
                middle = f"Thị {rng.choice(SECOND_FEMALE_MIDDLE)}"
            given = rng.choice(FEMALE_GIVEN)
        else:
            middle = _weighted(rng, MALE_MIDDLE)
            given = rng.choice(MALE_GIVEN)
        full_name = f"{family} {middle} {given}"
        initials = "".join(ascii_slug(part)[0] for part in f"{family} {middle}".split())
        local = f"{ascii_slug(given)}{initials}.{agency.email_tag}"
        email = f"{local}@tphcm.gov.vn"
        suffix = 2
        while email in self.emails:
            email = f"{ascii_slug(given)}{initials}{suffix}.{agency.email_tag}@tphcm.gov.vn"
            suffix += 1
        self.emails.add(email)
        draw = rng.random()
        equipment = ["computer", "internet", "phone", "printer"]
        if draw < 0.10:
            equipment.remove("printer")
        elif draw < 0.13:
            equipment.remove("computer")
        elif draw < 0.14:
            equipment.remove("internet")
        training = self.today - dt.timedelta(days=rng.randint(20, 200)) if rng.random() < 0.12 else None
        discipline = self.today + dt.timedelta(days=rng.randint(30, 240)) if rng.random() < 0.004 else None
        return PersonPlan(
            code=f"{agency.code}-{len(agency.people) + len(unit.members) + 1:03d}",
            full_name=full_name,
            unit=unit,
            position=position,
            staff_type=position.staff_type or agency.staff_type,
            is_leader=is_leader,
            phone=f"{rng.choice(PHONE_PREFIXES)}{rng.randint(0, 9_999_999):07d}",
            email=email,
            equipment=equipment,
            training_completed_on=training,
            disciplined_until=discipline,
        )

    def _link(self, agency: AgencyPlan) -> None:
        """Direct superiors and roles: staff → their unit's head; deputies → the head; a unit's head → the head of
        the unit above, or the agency leader; the agency leader is agency head; one HR officer per agency."""
        leadership = agency.units[0]
        assert leadership.head is not None
        agency.leader_plan = leadership.head
        leadership.head.role = Role.AGENCY_HEAD
        for unit in agency.units:
            assert unit.head is not None
            if unit.is_leadership:
                pass
            elif unit.parent is not None:
                unit.head.superior = unit.parent.head
                unit.head.role = Role.UNIT_HEAD
            else:
                unit.head.superior = leadership.head
                unit.head.role = Role.UNIT_HEAD
            for member in unit.members:
                if member is not unit.head:
                    member.superior = unit.head
        hr = next((person for person in agency.people if person.position == agency.hr_position), None)
        if hr is None:
            hr = next(person for person in agency.people if not person.is_leader and person.position.may_telework)
            hr.position = agency.hr_position
        hr.role = Role.AGENCY_HR
        agency.hr_plan = hr

    def _plan_points(self, unit: UnitPlan) -> None:
        """One-stop desks staffed by the unit's desk officers plus an occasional eligible backup; duty posts by the
        post's holders plus a backup. Each needs 1 or 2 on site, never more than its non-backup holders."""
        if unit.parent is not None:
            return
        rng = self.structure
        template = unit.template
        agency = unit.agency
        backups = [member for member in unit.members if not member.is_leader and member.position.may_telework and not member.position.is_duty_post]
        rng.shuffle(backups)
        officers = [member for member in unit.members if member.position.is_one_stop_desk]
        desk_count = min(len(template.desks), max(1, len(officers) // 2)) if officers else 0
        for index in range(desk_count):
            staffed = officers[index::desk_count]
            qualified = list(staffed)
            if backups and rng.random() < 0.6:
                qualified.append(backups.pop())
            required = 2 if len(staffed) >= 3 else 1
            code = f"{agency.code}-DV{sum(len(item.points) for item in agency.units) + 1:02d}"
            unit.points.append(PointPlan(unit, code, template.desks[index], ServicePointKind.ONE_STOP_DESK, required, qualified))
        for name, spec in template.duty_posts:
            holders = [member for member in unit.members if member.position == spec]
            if not holders:
                continue
            qualified = list(holders)
            if backups and rng.random() < 0.5:
                qualified.append(backups.pop())
            required = 2 if len(holders) >= 3 else 1
            code = f"{agency.code}-DV{sum(len(item.points) for item in agency.units) + 1:02d}"
            unit.points.append(PointPlan(unit, code, name, ServicePointKind.DUTY_POST, required, qualified))


# --- writing the organisation ---------------------------------------------------------------------------------


def _write_organisation(agencies: list[AgencyPlan], password_hash: str) -> None:
    """Insert everything planned, in dependency order, with bulk inserts only."""
    for agency in agencies:
        agency.instance = Agency(code=agency.code, name=agency.name, kind=agency.kind, administrative_code=agency.administrative_code)
    Agency.objects.bulk_create([agency.instance for agency in agencies if agency.instance is not None])
    positions: list[Position] = []
    for agency in agencies:
        for person in agency.people:
            if person.position not in agency.positions:
                spec = person.position
                position = Position(
                    agency=agency.instance,
                    code=f"VT{len(agency.positions) + 1:02d}",
                    name=spec.name,
                    faces_citizens=spec.faces_citizens,
                    handles_dossiers=spec.handles_dossiers,
                    is_one_stop_desk=spec.is_one_stop_desk,
                    is_duty_post=spec.is_duty_post,
                )
                agency.positions[spec] = position
                positions.append(position)
    Position.objects.bulk_create(positions)
    units = [unit for agency in agencies for unit in agency.units]
    for depth in sorted({unit.depth for unit in units}):
        level = [unit for unit in units if unit.depth == depth]
        for unit in level:
            unit.instance = Unit(agency=unit.agency.instance, parent=unit.parent.instance if unit.parent else None, code=unit.code, name=unit.name)
        Unit.objects.bulk_create([unit.instance for unit in level if unit.instance is not None])
        for unit in level:
            assert unit.instance is not None
            parent_path = unit.parent.instance.path if unit.parent and unit.parent.instance else "/"
            unit.instance.path = f"{parent_path}{unit.instance.pk}/"
    Unit.objects.bulk_update([unit.instance for unit in units if unit.instance is not None], ["path"], batch_size=500)
    people = [person for agency in agencies for person in agency.people]
    for person in people:
        person.user = User(username=person.code, email=person.email, first_name=person.full_name, role=person.role, password=password_hash, is_active=True)
    User.objects.bulk_create([person.user for person in people if person.user is not None], batch_size=2000)
    for rank in sorted({person.rank for person in people}):
        batch = [person for person in people if person.rank == rank]
        for person in batch:
            agency = person.unit.agency
            person.instance = Staff(
                code=person.code,
                full_name=person.full_name,
                staff_type=person.staff_type,
                unit=person.unit.instance,
                position=agency.positions[person.position],
                is_leader=person.is_leader,
                direct_superior_id=person.superior.pk if person.superior else None,
                phone=person.phone,
                email=person.email,
                equipment=person.equipment,
                training_completed_on=person.training_completed_on,
                disciplined_until=person.disciplined_until,
                user=person.user,
            )
        Staff.objects.bulk_create([person.instance for person in batch if person.instance is not None], batch_size=2000)
    points = [point for unit in units for point in unit.points]
    for point in points:
        point.instance = ServicePoint(unit=point.unit.instance, code=point.code, name=point.name, kind=point.kind, required_on_site=point.required_on_site)
    ServicePoint.objects.bulk_create([point.instance for point in points if point.instance is not None])
    through = ServicePoint.qualified_staff.through
    through.objects.bulk_create(
        [through(servicepoint_id=point.instance.pk, staff_id=person.pk) for point in points if point.instance is not None for person in point.qualified]
    )


def _named_users(password_hash: str, rng: random.Random) -> dict[str, User]:
    """The three city-wide logins that are not staff records of an agency."""
    accounts = (
        ("noivu", Role.HOME_AFFAIRS, False),
        ("lanhdao", Role.CITY_LEADERSHIP, False),
        ("quantri", Role.SYSTEM_ADMIN, True),
    )
    users: dict[str, User] = {}
    for username, role, is_admin in accounts:
        family, middle, given = _weighted(rng, FAMILY_NAMES), _weighted(rng, MALE_MIDDLE), rng.choice(MALE_GIVEN)
        users[username] = User(
            username=username,
            email=f"{username}@tphcm.gov.vn",
            first_name=f"{family} {middle} {given}",
            role=role,
            password=password_hash,
            is_staff=is_admin,
            is_superuser=is_admin,
        )
    User.objects.bulk_create(list(users.values()))
    return users


# --- pilot and policies (through the services) ----------------------------------------------------------------


@dataclass(frozen=True)
class PilotCalendar:
    """Phase 1 covers the weeks around today; phase 2 starts after a month's review (sơ kết)."""

    phase_one: tuple[dt.date, dt.date]
    phase_two: tuple[dt.date, dt.date]
    past: tuple[dt.date, dt.date]  # registrations already running or done: three weeks back to this Friday
    coming: tuple[dt.date, dt.date]  # the next four weeks

    @classmethod
    def around(cls, today: dt.date) -> PilotCalendar:
        monday = today - dt.timedelta(days=today.weekday())
        past = (monday - dt.timedelta(weeks=3), monday + dt.timedelta(days=4))
        coming = (monday + dt.timedelta(weeks=1), monday + dt.timedelta(weeks=4, days=4))
        phase_one_start = monday - dt.timedelta(weeks=10)
        phase_one_end = calendar.month_bounds(coming[1] + dt.timedelta(weeks=2))[1]
        review_month_end = calendar.month_bounds(phase_one_end + dt.timedelta(days=1))[1]
        phase_two_start = review_month_end + dt.timedelta(days=1)
        phase_two_end = calendar.month_bounds(phase_two_start + dt.timedelta(days=160))[1]
        return cls((phase_one_start, phase_one_end), (phase_two_start, phase_two_end), past, coming)


def _create_pilot_and_policies(agencies: list[AgencyPlan], actor: User, pilot_calendar: PilotCalendar) -> Pilot:
    """The HCMC preset city-wide, one tighter agency override and one unit override, both switches (off), and the
    running pilot over every department and centre and most wards."""
    start = pilot_calendar.phase_one[0]
    policy_apply_preset(actor=actor, preset="hcmc_pilot", effective_from=start, note="Kế hoạch thí điểm làm việc tại nhà của UBND Thành phố năm 2026.")
    finance = next(agency for agency in agencies if agency.code == "STC")
    policy_version_create(
        actor=actor,
        level=PolicyLevel.AGENCY,
        agency=finance.instance,
        parameters={"max_home_share": 0.2},
        effective_from=start,
        name="Sở Tài chính: tối đa 20% làm việc tại nhà (cao điểm quyết toán ngân sách)",
        note="Cao điểm quyết toán ngân sách cuối năm: giữ ít nhất 80% công chức tại cơ quan.",
    )
    home_affairs = next(agency for agency in agencies if agency.code == "SNV")
    office = next(unit for unit in home_affairs.units if not unit.is_leadership)
    policy_version_create(
        actor=actor,
        level=PolicyLevel.UNIT,
        unit=office.instance,
        parameters={"max_home_days_per_week": 1},
        effective_from=start,
        name=f"{office.name} {home_affairs.name}: tối đa 1 ngày mỗi tuần",
        note="Bộ phận tham mưu tổng hợp phục vụ điều hành thí điểm, cần có mặt tại cơ quan nhiều hơn.",
    )
    switches()
    return pilot_save(
        actor=actor,
        pilot=None,
        code=PILOT_CODE,
        name=PILOT_NAME,
        description=(
            "Thí điểm cho cán bộ, công chức, viên chức ở các vị trí không trực tiếp tiếp dân và không giải quyết thủ tục hành chính "
            "được làm việc tại nhà theo tỷ lệ phù hợp, luân phiên, có cam kết về tiến độ, khối lượng và chất lượng công việc."
        ),
        status=PilotStatus.RUNNING,
        agencies=[agency.instance for agency in agencies if agency.in_pilot and agency.instance is not None],
        units=[],
        positions=[],
        phases=[
            ("Giai đoạn 1: các sở, trung tâm và phường, xã được chọn", *pilot_calendar.phase_one),
            ("Giai đoạn 2: mở rộng sau sơ kết", *pilot_calendar.phase_two),
        ],
    )


# --- registrations ----------------------------------------------------------------------------------------------


class _RegistrationPlanner:
    """Registers eligible staff for home days, unit by unit, keeping the unit facts the caps need in memory.

    Each request is checked with ``caps.check_request`` against the days already approved (as the services do at
    submission and at approval); a request that would break a rule is redrawn with other weekdays, or dropped.
    """

    PAST_OUTCOMES = (("approved", 86.0), ("rejected", 8.0), ("revoked", 4.0), ("withdrawn", 2.0))
    COMING_OUTCOMES = (("approved", 55.0), ("submitted", 30.0), ("changes_requested", 7.0), ("rejected", 6.0), ("withdrawn", 2.0))

    def __init__(self, *, agencies: list[AgencyPlan], pilot: Pilot, seed: int, today: dt.date, pilot_calendar: PilotCalendar) -> None:
        self.agencies = agencies
        self.rng = random.Random(f"telework-demo:{seed}:registrations")
        self.today = today
        self.calendar = pilot_calendar
        self.pilot = pilot_facts(pilot)
        self.resolver = PolicyResolver()
        self.units_with_policy = set(Policy.objects.filter(level=PolicyLevel.UNIT).values_list("unit_id", flat=True))
        self.parameter_cache: dict[tuple[int, int, dt.date], PolicyParameters] = {}
        self.parameter_dicts: dict[PolicyParameters, dict[str, Any]] = {}
        self.rule_cache: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.eligible: dict[int, bool] = {}
        self.plans: list[RegistrationPlan] = []
        with translation.override("vi"):
            self.commitment = str(COMMITMENT_TEXT)

    def parameters(self, unit: UnitPlan, day: dt.date) -> PolicyParameters:
        # Units without a unit-level policy resolve like every other unit of their agency: one resolution serves them.
        unit_key = unit.pk if unit.pk in self.units_with_policy else 0
        key = (unit.agency.pk, unit_key, day)
        if key not in self.parameter_cache:
            assert unit.instance is not None
            self.parameter_cache[key] = self.resolver.resolve(unit.instance, day).parameters
        return self.parameter_cache[key]

    def parameter_dict(self, parameters: PolicyParameters) -> dict[str, Any]:
        """``parameters.as_dict()``, computed once per distinct rule set (the registrations' policy snapshot)."""
        if parameters not in self.parameter_dicts:
            self.parameter_dicts[parameters] = parameters.as_dict()
        return self.parameter_dicts[parameters]

    def facts(self, person: PersonPlan) -> eligibility.StaffFacts:
        unit = person.unit
        agency = unit.agency
        position = agency.positions[person.position]
        assert unit.instance is not None
        return eligibility.StaffFacts(
            code=person.code,
            full_name=person.full_name,
            is_active=True,
            agency_id=agency.pk,
            agency_name=agency.name,
            unit_ids=frozenset(int(part) for part in unit.instance.path.strip("/").split("/")),
            unit_name=unit.name,
            position=eligibility.PositionFacts(
                id=int(position.pk),
                name=position.name,
                faces_citizens=position.faces_citizens,
                handles_dossiers=position.handles_dossiers,
                is_one_stop_desk=position.is_one_stop_desk,
                is_duty_post=position.is_duty_post,
            ),
            equipment=frozenset(person.equipment),
            training_completed_on=person.training_completed_on,
            disciplined_until=person.disciplined_until,
        )

    def snapshot(self, decision: eligibility.EligibilityDecision) -> dict[str, Any]:
        """``decision.as_dict()``, with each rule's rendering shared between the many staff who get the same one."""
        rules = []
        for rule in decision.rules:
            key = (rule.code, rule.passed, rule.message, rule.parameter, tuple(sorted(rule.params.items())))
            if key not in self.rule_cache:
                self.rule_cache[key] = rule.as_dict()
            rules.append(self.rule_cache[key])
        return {"staff_code": decision.staff_code, "date": decision.on.isoformat(), "is_eligible": decision.is_eligible, "rules": rules}

    def plan(self) -> list[RegistrationPlan]:
        phase_start, phase_end = self.calendar.phase_one
        assert phase_start <= self.calendar.past[0], "registrations must fall inside phase 1"
        assert self.calendar.coming[1] <= phase_end, "registrations must fall inside phase 1"
        for agency in self.agencies:
            for unit in agency.units:
                self._plan_unit(unit)
        return self.plans

    def _plan_unit(self, unit: UnitPlan) -> None:
        rng = self.rng
        members = [person for person in unit.members if person.superior is not None]
        facts = caps.UnitFacts(
            unit_name=unit.name,
            staff_ids=frozenset(person.pk for person in unit.members),
            leader_ids=frozenset(person.pk for person in unit.members if person.is_leader),
            service_points=tuple(
                caps.ServicePointFacts(
                    id=int(point.instance.pk),
                    name=point.name,
                    kind=point.kind,
                    required_on_site=point.required_on_site,
                    qualified_staff_ids=frozenset(person.pk for person in point.qualified),
                )
                for point in unit.points
                if point.instance is not None
            ),
        )
        person_days: dict[int, set[dt.date]] = defaultdict(set)
        for window, (start, end), participation, outcomes in (
            ("past", self.calendar.past, 0.7, self.PAST_OUTCOMES),
            ("coming", self.calendar.coming, 0.75, self.COMING_OUTCOMES),
        ):
            first_day = _working_days(start, end)[0]
            candidates = []
            for person in members:
                if unit.is_leadership:
                    continue
                decision = eligibility.decide(staff=self.facts(person), pilot=self.pilot, parameters=self.parameters(unit, first_day), on=first_day)
                if window == "coming":
                    self.eligible[person.pk] = decision.is_eligible
                if decision.is_eligible and rng.random() < participation:
                    candidates.append((person, decision))
            rng.shuffle(candidates)
            for person, decision in candidates:
                status = _weighted(rng, outcomes)
                found = self._choose_days(person, unit, facts, person_days[person.pk], start, end)
                if found is None:
                    continue
                mode, weekdays, dates, days = found
                if days[0] != first_day:
                    # The snapshot records the verdict on the first requested day, as the submission service does.
                    decision = eligibility.decide(staff=self.facts(person), pilot=self.pilot, parameters=self.parameters(unit, days[0]), on=days[0])
                plan = RegistrationPlan(
                    person=person,
                    window=window,
                    starts_on=start,
                    ends_on=end,
                    mode=mode,
                    weekdays=weekdays,
                    dates=dates,
                    days=days,
                    status=status,
                    submitted_at=_aware(start, 8, 0),
                    parameters=self.parameter_dict(self.parameters(unit, days[0])),
                    eligibility_snapshot=self.snapshot(decision),
                    work_plan="; ".join(rng.sample(WORK_PLANS, 2)) + ".",
                )
                self._decide(plan, start)
                if status in {"approved", "revoked"}:
                    for day in days:
                        facts.home_by_day.setdefault(day, set()).add(person.pk)
                    person_days[person.pk].update(days)
                self.plans.append(plan)

    def _choose_days(
        self, person: PersonPlan, unit: UnitPlan, facts: caps.UnitFacts, approved: set[dt.date], start: dt.date, end: dt.date
    ) -> tuple[str, list[int], list[dt.date], list[dt.date]] | None:
        """A weekly pattern (or, for some, chosen dates) that passes every cap given what is approved; None if no
        attempt does."""
        rng = self.rng
        working = _working_days(max(start, self.calendar.phase_one[0]), end)
        wanted = 2 if rng.random() < 0.55 else 1
        for attempt in range(6):
            size = wanted if attempt < 3 else 1
            if rng.random() < 0.15:
                weeks: dict[dt.date, list[dt.date]] = defaultdict(list)
                for day in working:
                    weeks[calendar.iso_week_bounds(day)[0]].append(day)
                dates = sorted(day for monday in sorted(weeks) for day in rng.sample(weeks[monday], min(size, len(weeks[monday]))) if rng.random() < 0.8)
                mode, weekdays, days = RegistrationMode.DATES.value, [], dates
            else:
                weekdays = sorted(rng.sample(range(5), size))
                mode, dates = RegistrationMode.WEEKLY.value, []
                days = [day for day in working if day.weekday() in weekdays]
            if not days:
                continue
            violations = caps.check_request(
                staff_id=person.pk,
                days=days,
                unit=facts,
                person_home_days=approved,
                parameters_for=lambda day: self.parameters(unit, day),
                working_days_between=_working_days,
                week_bounds=calendar.iso_week_bounds,
                month_bounds=calendar.month_bounds,
            )
            if not violations:
                return mode, weekdays, dates, days
        return None

    def _decide(self, plan: RegistrationPlan, start: dt.date) -> None:
        """Timestamps and the decision: past registrations were submitted and decided before they started; coming
        ones in the last working days before today."""
        rng = self.rng
        if plan.window == "past":
            submitted_day = _working_day_before(start, rng.randint(3, 7))
            decided_day = calendar.add_working_days(submitted_day, rng.randint(1, 2))
        else:
            submitted_day = _working_day_before(self.today, rng.randint(1, 5))
            decided_day = min(calendar.add_working_days(submitted_day, rng.randint(0, 2)), _working_day_before(self.today, 1))
        plan.submitted_at = _aware(submitted_day, rng.randint(7, 15), rng.randint(0, 59))
        decided_at = _aware(decided_day, rng.randint(8, 16), rng.randint(0, 59))
        if decided_at <= plan.submitted_at:
            decided_at = plan.submitted_at + dt.timedelta(minutes=rng.randint(30, 180))
        if plan.status in {"submitted", "withdrawn"}:
            return
        plan.decided_at = decided_at
        if plan.status in {"approved", "revoked"}:
            plan.decision_comment = rng.choice(APPROVAL_COMMENTS)
        elif plan.status == "rejected":
            plan.decision_comment = rng.choice(REJECTION_REASONS)
        elif plan.status == "changes_requested":
            plan.decision_comment = rng.choice(CHANGE_REQUESTS)
        if plan.status == "revoked":
            revoked_on = max(decided_day, min(plan.days[0] + dt.timedelta(days=rng.randint(7, 12)), _working_day_before(self.today, 1)))
            plan.revoked_at = max(_aware(revoked_on, rng.randint(8, 16), rng.randint(0, 59)), decided_at + dt.timedelta(hours=1))
            plan.revocation_reason = rng.choice(REVOCATION_REASONS)
            # The service's own rule: the policy's notice, or the shorter one within the trial period after approval.
            probe = Registration(policy_snapshot=plan.parameters, approved_at=decided_at)
            plan.revoked_effective_on, plan.notice_days = revocation_effective_on(probe, timezone.localdate(plan.revoked_at))


def _snapshot(plan: RegistrationPlan, status: str) -> dict[str, Any]:
    """The shape ``registrations.services._snapshot`` writes to the audit trail."""
    return {
        "status": status,
        "starts_on": plan.starts_on.isoformat(),
        "ends_on": plan.ends_on.isoformat(),
        "days": [day.isoformat() for day in plan.days],
        "revoked_effective_on": plan.revoked_effective_on.isoformat() if status == RegistrationStatus.REVOKED and plan.revoked_effective_on else None,
    }


def _audit_events(plan: RegistrationPlan) -> list[AuditEvent]:
    """One row per action the registration went through, as the registration services write them."""
    registration = plan.instance
    assert registration is not None
    staff_user = plan.person.user
    decider = plan.person.superior.user if plan.person.superior else None

    def event(actor: User | None, action: str, before: dict[str, Any] | None, after: dict[str, Any], reason: str = "") -> AuditEvent:
        return AuditEvent(
            actor=actor,
            actor_label=(actor.get_full_name() or actor.username) if actor else "system",
            action=action,
            object_type=Registration._meta.label_lower,
            object_id=str(registration.pk),
            object_label=str(registration)[:300],
            agency_id=plan.person.unit.agency.pk,
            before=before,
            after=after,
            reason=reason,
        )

    submitted = _snapshot(plan, RegistrationStatus.SUBMITTED)
    events = [event(staff_user, "registration.submit", None, submitted)]
    if plan.status == RegistrationStatus.WITHDRAWN:
        events.append(event(staff_user, "registration.withdraw", submitted, _snapshot(plan, RegistrationStatus.WITHDRAWN)))
    elif plan.status in {RegistrationStatus.APPROVED, RegistrationStatus.REVOKED}:
        approved = _snapshot(plan, RegistrationStatus.APPROVED)
        events.append(event(decider, "registration.approve", submitted, approved, plan.decision_comment))
        if plan.status == RegistrationStatus.REVOKED:
            after = {**_snapshot(plan, RegistrationStatus.REVOKED), "notice_days": plan.notice_days}
            events.append(event(decider, "registration.revoke", approved, after, plan.revocation_reason))
    elif plan.status == RegistrationStatus.REJECTED:
        events.append(event(decider, "registration.reject", submitted, _snapshot(plan, RegistrationStatus.REJECTED), plan.decision_comment))
    elif plan.status == RegistrationStatus.CHANGES_REQUESTED:
        events.append(event(decider, "registration.request_changes", submitted, _snapshot(plan, RegistrationStatus.CHANGES_REQUESTED), plan.decision_comment))
    return events


def _notifications(plan: RegistrationPlan) -> list[Notification]:
    """What ``registrations.tasks.notify_registration_event`` would have sent for the recent events: the heads hear
    of pending requests, staff of decisions on the coming weeks and of revocations."""
    from django.utils.translation import gettext

    registration = plan.instance
    assert registration is not None
    url = f"/registrations/{registration.pk}/"
    person = plan.person
    with translation.override("vi"):
        if plan.status == RegistrationStatus.SUBMITTED and person.superior is not None and person.superior.user is not None:
            return [
                Notification(
                    user=person.superior.user,
                    title=gettext("%(name)s asks to work from home") % {"name": person.full_name},
                    body=str(registration),
                    url=url,
                    key=f"registration:{registration.pk}:submitted:{plan.submitted_at}",
                )
            ]
        titles = {
            RegistrationStatus.APPROVED: gettext("Your home-day registration was approved"),
            RegistrationStatus.REJECTED: gettext("Your home-day registration was rejected"),
            RegistrationStatus.CHANGES_REQUESTED: gettext("Changes requested to your home-day registration"),
            RegistrationStatus.REVOKED: gettext("Your home-day registration was revoked"),
        }
        recent = plan.window == "coming" or plan.status == RegistrationStatus.REVOKED
        if recent and plan.status in titles and person.user is not None:
            return [
                Notification(
                    user=person.user,
                    title=titles[RegistrationStatus(plan.status)],
                    body=registration.decision_comment,
                    url=url,
                    key=f"registration:{registration.pk}:{plan.status}:{registration.decided_at}",
                )
            ]
    return []


def _write_registrations(plans: list[RegistrationPlan], commitment_text: str) -> tuple[int, int]:
    """Insert the registrations, their days (counted while approved and not past a revocation), one audit row per
    action and the recent notifications. Returns the numbers of days and audit rows."""
    for plan in plans:
        person = plan.person
        decider = person.superior.user if person.superior else None
        is_approved = plan.status in {RegistrationStatus.APPROVED, RegistrationStatus.REVOKED}
        plan.instance = Registration(
            staff=person.instance,
            unit=person.unit.instance,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            mode=plan.mode,
            weekdays=plan.weekdays,
            requested_dates=[day.isoformat() for day in plan.dates],
            status=plan.status,
            equipment_attested=sorted(plan.parameters["required_equipment"]),
            commitment_accepted=True,
            commitment_text=commitment_text,
            work_plan=plan.work_plan,
            eligibility_snapshot=plan.eligibility_snapshot,
            policy_snapshot=plan.parameters,
            submitted_at=plan.submitted_at,
            # A revocation is the latest decision: the service overwrites who decided, when and why.
            decided_by=decider if plan.decided_at else None,
            decided_at=plan.revoked_at or plan.decided_at,
            decision_comment=plan.revocation_reason or plan.decision_comment,
            approved_at=plan.decided_at if is_approved else None,
            revoked_effective_on=plan.revoked_effective_on,
        )
    Registration.objects.bulk_create([plan.instance for plan in plans if plan.instance is not None], batch_size=1000)
    days: list[RegistrationDay] = []
    for plan in plans:
        for day in plan.days:
            counted = plan.status == RegistrationStatus.APPROVED or (
                plan.status == RegistrationStatus.REVOKED and plan.revoked_effective_on is not None and day <= plan.revoked_effective_on
            )
            days.append(RegistrationDay(registration=plan.instance, staff=plan.person.instance, unit=plan.person.unit.instance, day=day, is_counted=counted))
    RegistrationDay.objects.bulk_create(days, batch_size=2000)
    events = [event for plan in plans for event in _audit_events(plan)]
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    Notification.objects.bulk_create([notification for plan in plans for notification in _notifications(plan)], batch_size=2000)
    return len(days), len(events)


# --- the logins to print ----------------------------------------------------------------------------------------


def _post(person: PersonPlan) -> str:
    return f"{person.position.name}, {person.unit.name}, {person.unit.agency.name}"


def _login(role: str, person: PersonPlan, note: str) -> DemoLogin:
    return DemoLogin(role, person.code, person.full_name, _post(person), note)


def _choose_logins(agencies: list[AgencyPlan], plans: list[RegistrationPlan], eligible: dict[int, bool], named: dict[str, User]) -> list[DemoLogin]:
    """Real examples, one per role, from one agency where possible so the story connects: a unit head with requests
    waiting, an eligible member of that unit, a one-stop desk officer, the agency's head and HR officer."""
    pending: dict[int, int] = defaultdict(int)
    coming: set[int] = set()
    approved_before: set[int] = set()
    for plan in plans:
        if plan.status == RegistrationStatus.SUBMITTED and plan.person.superior is not None:
            pending[plan.person.superior.pk] += 1
        if plan.window == "coming":
            coming.add(plan.person.pk)
        elif plan.status == RegistrationStatus.APPROVED:
            approved_before.add(plan.person.pk)
    heads = [person for agency in agencies if agency.in_pilot for person in agency.people if person.role == Role.UNIT_HEAD and pending[person.pk] > 0]
    heads.sort(key=lambda person: (person.unit.agency.kind != AgencyKind.WARD_COMMITTEE, -pending[person.pk], person.code))
    logins: list[DemoLogin] = []
    everyone = [person for agency in agencies for person in agency.people]
    head = heads[0] if heads else None
    agency = head.unit.agency if head else next(item for item in agencies if item.in_pilot)

    def first(candidates: list[PersonPlan]) -> PersonPlan | None:
        return min(candidates, key=lambda person: person.code) if candidates else None

    on_duty = {person.pk for agency_plan in agencies for unit in agency_plan.units for point in unit.points for person in point.qualified}

    def is_free_and_eligible(person: PersonPlan) -> bool:
        # Free of desks and duty posts too, so no staffing minimum stands between the example and a home day.
        return (
            eligible.get(person.pk, False)
            and person.role == Role.STAFF
            and not person.is_leader
            and person.pk not in coming
            and person.pk not in on_duty
            and not person.position.is_duty_post
        )

    staff_member = (
        first([person for person in everyone if person.superior is head and is_free_and_eligible(person) and person.pk in approved_before])
        or first([person for person in everyone if person.superior is head and is_free_and_eligible(person)])
        or first([person for person in agency.people if is_free_and_eligible(person) and person.pk in approved_before])
        or first([person for person in agency.people if is_free_and_eligible(person)])
        or first([person for person in everyone if is_free_and_eligible(person)])
    )
    if staff_member is not None:
        history = "has approved home days in past weeks; " if staff_member.pk in approved_before else ""
        logins.append(_login("Staff member (eligible)", staff_member, f"{history}may register home days for the coming weeks"))
    desk = first([person for person in agency.people if person.position.is_one_stop_desk and person.role == Role.STAFF]) or first(
        [person for person in everyone if person.position.faces_citizens and person.role == Role.STAFF and not person.is_leader]
    )
    if desk is not None:
        logins.append(_login("Staff member (faces citizens)", desk, "not eligible: sees which rule keeps the post on site"))
    if head is not None:
        logins.append(_login("Unit head", head, f"{pending[head.pk]} registration(s) await approval in the inbox"))
    if agency.leader_plan is not None:
        logins.append(_login("Agency head", agency.leader_plan, f"sees all of {agency.name}"))
    if agency.hr_plan is not None:
        logins.append(_login("Agency HR officer", agency.hr_plan, f"manages the organisation data of {agency.name}"))
    outside = first(
        [
            person
            for item in agencies
            if not item.in_pilot
            for person in item.people
            if person.position.may_telework and person.role == Role.STAFF and not person.is_leader and len(person.equipment) == 4
        ]
    )
    if outside is not None:
        logins.append(_login("Staff member (outside the pilot)", outside, f"{outside.unit.agency.name} is not in the pilot: not in scope"))
    for username, role, note in (
        ("noivu", "Home Affairs coordinator", "pilots, policies and switches; city-wide reports and audit"),
        ("lanhdao", "City leadership", "reads everything city-wide, changes nothing"),
        ("quantri", "System administrator", "everything, including /django-admin/"),
    ):
        user = named[username]
        logins.append(DemoLogin(role, username, user.first_name, "Sở Nội vụ" if username == "noivu" else "UBND Thành phố", note))
    return logins


# --- entry points -----------------------------------------------------------------------------------------------


class DemoSeedError(RuntimeError):
    """The sample city cannot be built here: the database holds data or cannot be reset, or reference data is missing."""


def database_holds_data() -> bool:
    """Whether anything the seed would create already exists (a second seed would collide on codes)."""
    return Agency.objects.exists() or User.objects.exists() or Pilot.objects.exists() or Policy.objects.exists()


def reset_database() -> str:
    """Empty the database before a new seed, and say how.

    The audit trail refuses DELETE (model, queryset and database triggers), so rows cannot simply be deleted.
    SQLite: the database file is deleted and migrated again. PostgreSQL: ``flush`` empties every table with
    ``TRUNCATE`` (row triggers do not fire; the statement-level TRUNCATE guard is lifted inside the reset's
    transaction). Anything else is refused.
    """
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        from django.db import transaction

        # The audit trail refuses TRUNCATE too (core migration 0003); a demo reset lifts that for its own
        # transaction only, as the database owner it runs as.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_truncate")
            call_command("flush", interactive=False, verbosity=0)
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_truncate")
        return f"emptied database {connection.settings_dict['NAME']} with TRUNCATE"
    if connection.vendor == "sqlite":
        if getattr(connection, "is_in_memory_db")():  # noqa: B009 - only the SQLite wrapper has it
            raise DemoSeedError("An in-memory SQLite database cannot be reset by recreating it; start a new process instead.")
        path = Path(str(connection.settings_dict["NAME"]))
        existed = path.exists()
        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        return f"{'deleted' if existed else 'no file at'} {path}; migrated a new one"
    raise DemoSeedError(f"--reset supports SQLite and PostgreSQL, not {connection.vendor}.")


def build_demo_city(*, staff: int, seed: int, today: dt.date | None = None) -> DemoResult:
    """Build the sample city in one transaction: ``staff`` people, chosen by ``seed``, with registrations from three
    weeks before ``today``'s week to four weeks after it. The database must not hold an organisation yet."""
    if staff < MINIMUM_STAFF:
        raise DemoSeedError(f"The sample city needs at least {MINIMUM_STAFF} staff.")
    if database_holds_data():
        raise DemoSeedError("The database already holds an organisation or accounts; reset it first (seed_demo --reset).")
    today = today or clock.today()
    timings: list[tuple[str, float]] = []
    lap_started = [time.perf_counter()]

    def lap(label: str) -> None:
        now = time.perf_counter()
        timings.append((label, now - lap_started[0]))
        lap_started[0] = now

    pilot_calendar = PilotCalendar.around(today)
    with transaction.atomic():
        agencies = _OrganisationPlanner(staff=staff, seed=seed, today=today).plan()
        lap("plan the organisation")
        # One hash for every demo account: hashing 20,000 times would take minutes.
        password_hash = make_password(DEMO_PASSWORD)
        named = _named_users(password_hash, random.Random(f"telework-demo:{seed}:named"))
        _write_organisation(agencies, password_hash)
        lap("write agencies, units, positions, users, staff, desks")
        pilot = _create_pilot_and_policies(agencies, named["noivu"], pilot_calendar)
        lap("pilot, phases, policies, switches (services)")
        planner = _RegistrationPlanner(agencies=agencies, pilot=pilot, seed=seed, today=today, pilot_calendar=pilot_calendar)
        plans = planner.plan()
        lap("plan registrations (eligibility and caps in memory)")
        day_count, _event_count = _write_registrations(plans, planner.commitment)
        lap("write registrations, days, audit trail, notifications")
        counts = _counts(agencies, plans, day_count)
        AuditEvent.objects.create(
            actor_label="system",
            action="demo.seed",
            object_type="organization.city",
            object_id=f"seed-{seed}",
            object_label=f"Thành phố mẫu (seed {seed}, {staff} cán bộ)",
            after={"seed": seed, "staff": staff, "today": today.isoformat(), **counts},
            reason="manage.py seed_demo",
        )
    counts["audit events"] = AuditEvent.objects.count()
    logins = _choose_logins(agencies, plans, planner.eligible, named)
    _seed_finished_quarter(logins, today=today, seed=seed)
    lap("evaluate and publish the previous quarter (one agency)")
    return DemoResult(logins, timings, counts, _public_facing_share(agencies))


def _seed_finished_quarter(logins: list[DemoLogin], *, today: dt.date, seed: int) -> None:
    """A finished quarter to look at (issue 5): the example unit head's agency, evaluated, classified under the
    quota and published, so every login of that agency has a breakdown to read."""
    from telework.accounts.models import Role
    from telework.evaluations.builtin import install
    from telework.evaluations.demo import seed_demo_quarter
    from telework.evaluations.models import CriteriaSet

    # A reset on PostgreSQL empties every table with TRUNCATE, the built-in criteria sets (a data migration) included.
    install(CriteriaSet)
    usernames = [login.username for login in logins]
    head = Staff.objects.select_related("unit__agency").filter(user__username__in=usernames, user__role=Role.UNIT_HEAD).first()
    if head is not None:
        seed_demo_quarter(agency=head.unit.agency, today=today, seed=seed)


def _counts(agencies: list[AgencyPlan], plans: list[RegistrationPlan], day_count: int) -> dict[str, int]:
    counts: dict[str, int] = {
        "departments": sum(1 for agency in agencies if agency.kind == AgencyKind.DEPARTMENT),
        "wards and communes": sum(1 for agency in agencies if agency.kind == AgencyKind.WARD_COMMITTEE),
        "wards outside the pilot": sum(1 for agency in agencies if not agency.in_pilot),
        "public service units": sum(1 for agency in agencies if agency.kind == AgencyKind.PUBLIC_SERVICE_UNIT),
        "units": sum(len(agency.units) for agency in agencies),
        "positions": sum(len(agency.positions) for agency in agencies),
        "staff": sum(len(agency.people) for agency in agencies),
        "service points": sum(len(unit.points) for agency in agencies for unit in agency.units),
        "registrations": len(plans),
    }
    for status in RegistrationStatus:
        counts[f"registrations {status.value}"] = sum(1 for plan in plans if plan.status == status)
    counts["requested home days"] = day_count
    return counts


def _public_facing_share(agencies: list[AgencyPlan]) -> dict[str, float]:
    """Share of staff whose position faces citizens, handles dossiers or staffs a one-stop desk, per agency kind."""
    shares: dict[str, float] = {}
    for kind in AgencyKind:
        people = [person for agency in agencies if agency.kind == kind for person in agency.people]
        if people:
            shares[str(kind.label)] = sum(1 for person in people if not person.position.may_telework) / len(people)
    return shares
