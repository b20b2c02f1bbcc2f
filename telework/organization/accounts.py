"""An account for everyone on the staff: created with the record, activated by its owner, closed when they leave.

``provide_accounts`` gives every active staff member without one a login (username = staff code, no usable password,
the role their record implies); the import calls it, and so does every screen that creates a person. HR then sends
one-time links by e-mail or prints one-time codes (a sheet per unit) from the agency's accounts page; the person
sets a password at ``/accounts/activate/`` (``telework.accounts.services``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from telework.accounts import services as account_services
from telework.accounts.models import ActivationCode, Role, User
from telework.accounts.types import Viewer
from telework.core import clock
from telework.core.exceptions import NotPermitted
from telework.core.models import AuditEvent
from telework.organization import scope
from telework.organization.models import Agency, Staff, Unit

# Roles the staff record implies, lowest first: an account is moved up this ladder, never down, and an account
# holding any other role (HR, Home Affairs...) keeps it.
RECORD_ROLES = (Role.STAFF, Role.UNIT_HEAD, Role.AGENCY_HEAD)
# A top-level unit whose name starts like this is the agency's leadership (Ban Giám đốc Sở, Lãnh đạo UBND...).
LEADERSHIP_UNIT_PREFIXES = ("ban giam doc", "ban lanh dao", "lanh dao", "thuong truc", "ban thuong truc", "ban chu nhiem", "ban giam hieu")
BATCH_SIZE = 500


def plain(text: str) -> str:
    """Lower case without diacritics ("Ban Giám đốc" → "ban giam doc")."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(character for character in decomposed if not unicodedata.combining(character)).lower().split())


def is_leadership_unit(name: str, *, is_top_level: bool, only_top_level: bool) -> bool:
    """Whether a unit is its agency's leadership: the agency's single top-level unit, or a top-level unit named
    like a leadership board."""
    if not is_top_level:
        return False
    return only_top_level or plain(name).startswith(LEADERSHIP_UNIT_PREFIXES)


def role_for(*, is_leader: bool, is_deputy: bool, leads_agency: bool) -> Role:
    """The role a staff record implies: the head (not a deputy) of the agency's leadership is agency head; the head of
    any other unit is unit head; deputies and everyone else are staff (a deputy acts for a head by delegation)."""
    if not is_leader or is_deputy:
        return Role.STAFF
    return Role.AGENCY_HEAD if leads_agency else Role.UNIT_HEAD


def _leadership_unit_ids(agency_ids: set[int]) -> set[int]:
    tops = list(Unit.objects.filter(agency_id__in=agency_ids, parent__isnull=True).values_list("pk", "agency_id", "name"))
    top_count: dict[int, int] = {}
    for _pk, agency_id, _name in tops:
        top_count[agency_id] = top_count.get(agency_id, 0) + 1
    return {pk for pk, agency_id, name in tops if is_leadership_unit(name, is_top_level=True, only_top_level=top_count[agency_id] == 1)}


def _free_username(code: str, taken: set[str]) -> str:
    """The staff code, or — when an unrelated account already holds it — the code with a number ("CB001-2"): an
    existing login is never handed to someone else."""
    if code not in taken:
        return code
    number = 2
    while f"{code}-{number}" in taken:
        number += 1
    return f"{code}-{number}"


def provide_accounts(*, staff: Iterable[Staff], actor: User | None) -> list[User]:
    """Give each active staff member without an account a login, and move linked accounts up to the role their
    record now implies (never down). Idempotent; a whole import's people in a fixed handful of queries.

    A new account's username is the staff code, its name and e-mail come from the record, and it has no usable
    password until its owner activates it. Audited: ``account.create`` per account created, ``account.role`` per
    account promoted. Returns the accounts created."""
    people = [person for person in staff if person.is_active]
    if not people:
        return []
    units = {unit.pk: unit for unit in Unit.objects.filter(pk__in={person.unit_id for person in people}).only("pk", "agency_id")}
    leadership = _leadership_unit_ids({unit.agency_id for unit in units.values()})
    # Re-read: the caller's objects may predate a link made meanwhile (two imports, a screen and an import).
    current = dict(Staff.objects.filter(pk__in=[person.pk for person in people]).values_list("pk", "user_id"))
    without = [person for person in people if current.get(person.pk) is None]
    linked_ids = {user_id for user_id in current.values() if user_id is not None}
    created: list[User] = []
    with transaction.atomic():
        taken = set(User.objects.filter(username__in=[person.code for person in without]).values_list("username", flat=True))
        if taken:
            taken |= set(User.objects.filter(_username_variants(taken)).values_list("username", flat=True))
        for person in without:
            username = _free_username(person.code, taken)
            taken.add(username)
            role = role_for(is_leader=person.is_leader, is_deputy=person.is_deputy, leads_agency=person.unit_id in leadership)
            user = User(username=username, first_name=person.full_name[:150], email=person.email, role=role, is_active=True)
            user.set_unusable_password()
            created.append(user)
        User.objects.bulk_create(created, batch_size=BATCH_SIZE)
        if any(user.pk is None for user in created):  # backends without RETURNING: read the ids back
            ids = dict(User.objects.filter(username__in=[user.username for user in created]).values_list("username", "pk"))
            for user in created:
                user.pk = ids[user.username]
        for person, user in zip(without, created, strict=True):
            person.user = user
        Staff.objects.bulk_update(without, ["user"], batch_size=BATCH_SIZE)
        agency_of = {user.pk: units[person.unit_id].agency_id for person, user in zip(without, created, strict=True)}
        account_services.audit_accounts(actor=actor, action="account.create", users=created, after={"activated": False}, agency_ids=agency_of)
        _promote(people, current, linked_ids, leadership, units, actor)
    return created


def _username_variants(taken: set[str]) -> Q:
    condition = Q(pk__in=[])
    for username in taken:
        condition |= Q(username__startswith=f"{username}-")
    return condition


def _promote(
    people: list[Staff], current: Mapping[int, int | None], linked_ids: set[int], leadership: set[int], units: dict[int, Unit], actor: User | None
) -> None:
    if not linked_ids:
        return
    accounts = {user.pk: user for user in User.objects.filter(pk__in=linked_ids, role__in=RECORD_ROLES)}
    promoted: list[tuple[User, str]] = []
    for person in people:
        user = accounts.get(current.get(person.pk) or 0)
        if user is None:
            continue
        wanted = role_for(is_leader=person.is_leader, is_deputy=person.is_deputy, leads_agency=person.unit_id in leadership)
        if RECORD_ROLES.index(wanted) > RECORD_ROLES.index(Role(user.role)):
            promoted.append((user, user.role))
            user.role = wanted
    if not promoted:
        return
    User.objects.bulk_update([user for user, _before in promoted], ["role"], batch_size=BATCH_SIZE)
    agency_of = {person.user_id: units[person.unit_id].agency_id for person in people if person.user_id}
    for user, before in promoted:
        AuditEvent.objects.create(
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=(actor.get_full_name() or actor.get_username()) if actor is not None and actor.is_authenticated else "system",
            action="account.role",
            object_type=User._meta.label_lower,
            object_id=str(user.pk),
            object_label=str(user)[:300],
            agency_id=agency_of.get(user.pk),
            before={"role": before},
            after={"role": user.role},
        )


# --- Where each person's account stands ---------------------------------------------------------------------


class AccountStatus:
    """Where a staff member's login stands, as HR reads it on the accounts page."""

    NONE = "none"
    PENDING = "pending"
    ACTIVE = "active"
    CLOSED = "closed"

    LABELS = {
        NONE: _("No account"),
        PENDING: _("Not activated"),
        ACTIVE: _("Activated"),
        CLOSED: _("Deactivated"),
    }
    ORDER = (NONE, PENDING, ACTIVE, CLOSED)


def status_of(staff: Staff) -> str:
    user = staff.user
    if user is None:
        return AccountStatus.NONE
    if not user.is_active:
        return AccountStatus.CLOSED
    return AccountStatus.ACTIVE if user.has_usable_password() else AccountStatus.PENDING


# Django marks an unusable password with a leading "!" (django.contrib.auth.hashers.UNUSABLE_PASSWORD_PREFIX).
_UNUSABLE = Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
_PENDING = Q(user__is_active=True) & _UNUSABLE
STATUS_FILTERS = {
    AccountStatus.NONE: Q(user__isnull=True),
    AccountStatus.PENDING: _PENDING,
    AccountStatus.ACTIVE: Q(user__is_active=True) & ~_UNUSABLE,
    AccountStatus.CLOSED: Q(user__is_active=False),
}


def may_manage_accounts(viewer: Viewer, agency: Agency) -> bool:
    """Who runs an agency's accounts: its HR office, Home Affairs and system administrators (as for its staff list)."""
    return scope.can_manage_organisation(viewer, agency)


def _check(viewer: Viewer, agency: Agency) -> None:
    if not may_manage_accounts(viewer, agency):
        raise NotPermitted(_("Only the agency's HR office, Home Affairs or a system administrator may manage its accounts."), rule="can_manage_organisation")


def import_staff_ids(*, agency: Agency, audit_id: int) -> QuerySet[AuditEvent, str]:
    """The staff ids an import (its ``organization.import`` audit row) created or updated: the import writes their
    rows after its summary row, before the agency's next import."""
    following = (
        AuditEvent.objects.filter(action="organization.import", agency_id=agency.pk, pk__gt=audit_id).order_by("pk").values_list("pk", flat=True).first()
    )
    rows = AuditEvent.objects.filter(object_type="organization.staff", action__in=["staff.create", "staff.update"], agency_id=agency.pk, pk__gt=audit_id)
    if following is not None:
        rows = rows.filter(pk__lt=following)
    return rows.values_list("object_id", flat=True)


@dataclass(frozen=True)
class AccountFilters:
    unit: Unit | None = None
    status: str = ""
    import_audit_id: int | None = None
    search: str = ""


def account_rows(*, viewer: Viewer, agency: Agency, filters: AccountFilters) -> QuerySet[Staff]:
    """The agency's active staff (and those who left but still hold an open account) matching ``filters``, with
    their account and unit; for the accounts page and its bulk actions."""
    _check(viewer, agency)
    rows = Staff.objects.filter(unit__agency=agency).filter(Q(is_active=True) | Q(user__is_active=True))
    if filters.unit is not None:
        rows = rows.filter(unit__path__startswith=filters.unit.path)
    if filters.status in STATUS_FILTERS:
        rows = rows.filter(STATUS_FILTERS[filters.status])
    if filters.import_audit_id is not None:
        rows = rows.filter(pk__in=[int(pk) for pk in import_staff_ids(agency=agency, audit_id=filters.import_audit_id) if pk.isdigit()])
    if filters.search:
        rows = rows.filter(Q(full_name__icontains=filters.search) | Q(code__icontains=filters.search) | Q(user__username__icontains=filters.search))
    return rows.select_related("user", "unit").order_by("unit__path", "-is_leader", "is_deputy", "full_name", "pk")


def status_counts(rows: QuerySet[Staff]) -> dict[str, int]:
    """How many of ``rows`` stand at each status (one query)."""
    from django.db.models import Count

    aggregates = {status: Count("pk", filter=condition) for status, condition in STATUS_FILTERS.items()}
    return rows.order_by().aggregate(**aggregates)


def account_status_counts(*, viewer: Viewer, agency: Agency) -> dict[str, int]:
    """How many of the agency's people have no account, have not activated it, have, or are closed (HR's home page)."""
    return status_counts(account_rows(viewer=viewer, agency=agency, filters=AccountFilters()))


def with_open_codes(rows: QuerySet[Staff]) -> QuerySet[Staff]:
    """``rows`` annotated with whether an unused, unexpired activation code is out for the person (``has_code``) and
    whether they set up a two-step login (``has_second_factor``)."""
    open_codes = ActivationCode.objects.filter(user_id=OuterRef("user_id"), used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=clock.now())
    authenticators = TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)
    return rows.annotate(has_code=Exists(open_codes), has_second_factor=Exists(authenticators))


# --- HR's bulk actions --------------------------------------------------------------------------------------


def accounts_create(*, actor: User, agency: Agency, staff: Iterable[Staff]) -> list[User]:
    """HR's "create missing accounts" on a selection of the agency's staff."""
    _check(actor, agency)
    return provide_accounts(staff=[person for person in staff if person.unit.agency_id == agency.pk], actor=actor)


def _with_accounts(staff: Iterable[Staff], agency: Agency, actor: User) -> list[Staff]:
    """The chosen people of ``agency``, each with an account: "everyone without an active account" is one action, so
    the missing accounts are created first."""
    people = [person for person in staff if person.unit.agency_id == agency.pk]
    missing = [person for person in people if person.user_id is None and person.is_active]
    if not missing:
        return people
    provide_accounts(staff=missing, actor=actor)
    return list(Staff.objects.filter(pk__in=[person.pk for person in people]).select_related("user", "unit"))


def accounts_send_links(*, actor: User, agency: Agency, staff: Iterable[Staff], base_url: str) -> tuple[list[User], list[Staff]]:
    """E-mail activation links to the chosen people whose account awaits activation (creating the accounts missing).
    Returns the accounts written to and the people skipped for lack of an e-mail address (they need a printed code)."""
    _check(actor, agency)
    waiting = [person for person in _with_accounts(staff, agency, actor) if status_of(person) == AccountStatus.PENDING]
    sent = account_services.activation_links_send(
        users=[person.user for person in waiting if person.user is not None],
        actor=actor,
        base_url=base_url,
        agency_ids={person.user_id: agency.pk for person in waiting if person.user_id},
    )
    return sent, [person for person in waiting if person.user is not None and not person.user.email]


@dataclass
class CodeSheet:
    """One unit's page of activation codes."""

    unit: Unit
    people: list[tuple[Staff, str]] = field(default_factory=list)


@dataclass(frozen=True)
class PrintedCodes:
    agency: Agency
    sheets: list[CodeSheet]
    expires_at: Any
    activate_url: str

    @property
    def count(self) -> int:
        return sum(len(sheet.people) for sheet in self.sheets)


def accounts_print_codes(*, actor: User, agency: Agency, staff: Iterable[Staff], activate_url: str) -> PrintedCodes:
    """Issue one-time codes to the chosen people whose account awaits activation, creating the accounts missing
    (earlier codes stop working), and arrange them a sheet per unit, in the unit's order. ``activate_url`` is the activation page's full address."""
    _check(actor, agency)
    waiting = [person for person in _with_accounts(staff, agency, actor) if status_of(person) == AccountStatus.PENDING]
    issued = account_services.activation_codes_issue(
        users=[person.user for person in waiting if person.user is not None],
        actor=actor,
        agency_ids={person.user_id: agency.pk for person in waiting if person.user_id},
    )
    codes = {item.user.pk: item.code for item in issued}
    sheets: dict[int, CodeSheet] = {}
    for person in sorted(waiting, key=lambda item: (item.unit.path, item.full_name)):
        if person.user_id in codes:
            sheets.setdefault(person.unit_id, CodeSheet(unit=person.unit)).people.append((person, codes[person.user_id]))
    expires_at = issued[0].expires_at if issued else None
    return PrintedCodes(agency=agency, sheets=list(sheets.values()), expires_at=expires_at, activate_url=activate_url)


def activation_sheets_html(printed: PrintedCodes, *, language: str = "vi") -> str:
    """The HTML the code sheets are printed from: a page per unit, a cut-out slip per person with the instructions."""
    with translation.override(language):
        expires = formats.date_format(timezone.localtime(printed.expires_at), "d/m/Y") if printed.expires_at else ""
        return render_to_string("organization/accounts/code_sheets.html", {"printed": printed, "expires": expires, "language": language})


def activation_sheets_pdf(printed: PrintedCodes, *, language: str = "vi") -> bytes:
    """The code sheets as an A4 PDF (WeasyPrint)."""
    from weasyprint import HTML

    return HTML(string=activation_sheets_html(printed, language=language)).write_pdf()  # type: ignore[no-any-return]


def staff_account_deactivate(*, actor: User, staff: Staff, reason: str) -> User | None:
    """Close a staff member's account from HR's screens (``telework.accounts.services.deactivate_account``)."""
    _check(actor, staff.unit.agency)
    if staff.user is None:
        return None
    return account_services.deactivate_account(user=staff.user, actor=actor, reason=reason, agency_id=staff.unit.agency_id)


def staff_account_reactivate(*, actor: User, staff: Staff, reason: str = "") -> User | None:
    """Open a closed account again for a person on the staff."""
    _check(actor, staff.unit.agency)
    if staff.user is None or not staff.is_active:
        return None
    return account_services.reactivate_account(user=staff.user, actor=actor, reason=reason, agency_id=staff.unit.agency_id)


def staff_account_reset_second_factor(*, actor: User, staff: Staff, reason: str) -> int:
    """HR resets a person's two-step login (a lost phone): ``telework.accounts.services.reset_second_factor``."""
    _check(actor, staff.unit.agency)
    if staff.user is None:
        return 0
    return account_services.reset_second_factor(user=staff.user, actor=actor, reason=reason, agency_id=staff.unit.agency_id)


def selected_staff(rows: QuerySet[Staff], ids: Sequence[str]) -> list[Staff]:
    """The ticked people among ``rows`` (ids the viewer may not act on are ignored)."""
    wanted = [int(value) for value in ids if str(value).isdigit()]
    return list(rows.filter(pk__in=wanted)) if wanted else []
