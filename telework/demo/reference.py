"""Reference data of the sample city: names, positions, unit templates, the departments and public service units of
an HCMC-like city, and the words registrations are written in. Ward names and codes come from ``WARD_REFERENCE_FILE``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from telework.organization.models import StaffType

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
# Wards left outside the pilot's first phase: the comparison units of its matched design (at least eight at 2,000 staff).
WARDS_OUTSIDE_PILOT_SHARE = 0.4
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
