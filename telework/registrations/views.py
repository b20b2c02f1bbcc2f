"""Pages for home-day registrations: my home days, register and edit, my eligibility, a registration and its
decisions, the approval inbox and the unit overview.

Views gather input, call a selector or a service and render; no rule lives here. A refusal from a service
(``DomainError``) is rendered with every rule it names (``core/rule_violation.html``), and nothing has changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from telework.accounts.models import Role, User
from telework.accounts.types import AuthenticatedHttpRequest, Viewer
from telework.assignments.selectors import home_days_workload
from telework.core import clock, ui
from telework.core.exceptions import DomainError, NotFound, ValidationFailed
from telework.core.ui import DATE_INPUT_FORMATS, WEEKDAY_NAMES, WEEKDAY_SHORT_NAMES
from telework.core.web import is_htmx, week_monday
from telework.organization import delegations, scope
from telework.organization.delegations import person_name
from telework.organization.models import Staff, Unit
from telework.organization.web import own_staff_or_403
from telework.policy import labels
from telework.policy.parameters import SPEC_BY_NAME, PolicyParameters
from telework.policy.selectors import PolicyResolver, ResolvedPolicy, Suspension, eligibility_for, pilot_for_staff, policy_for_unit
from telework.registrations import selectors, services
from telework.registrations.caps import scale_to_working_days, unit_home_limit
from telework.registrations.forms import EQUIPMENT_ATTESTATIONS, FIELD_FOR_RULE, DecisionForm, RegistrationForm
from telework.registrations.models import Registration, RegistrationMode, RegistrationStatus

# What the eligibility rules that are not policy parameters refer to (the policy's own are in ``policy.labels``).
OTHER_RULE_SOURCES = {
    "pilot": gettext_lazy("Pilot scope"),
    "pilot.agencies": gettext_lazy("Agencies in the pilot"),
    "pilot.units": gettext_lazy("Units in the pilot"),
    "pilot.positions": gettext_lazy("Positions in the pilot"),
    "pilot.phases": gettext_lazy("Pilot phases"),
    "position.is_one_stop_desk": gettext_lazy("One-stop desk post"),
    "": gettext_lazy("Staff record"),
}

SUCCESS_MESSAGES = {
    "approve": gettext_lazy("Registration approved."),
    "reject": gettext_lazy("Registration rejected."),
    "request_changes": gettext_lazy("Sent back to the staff member with your comment."),
    "revoke": gettext_lazy("Registration revoked."),
    "withdraw": gettext_lazy("Registration withdrawn."),
}
DECIDER_ACTIONS = ("approve", "reject", "request_changes", "revoke")
OWNER_ACTIONS = ("withdraw",)


# ----------------------------------------------------------------------------------------------- helpers


def _own_staff_or_403(user: Viewer) -> Staff:
    return own_staff_or_403(user, _("Only staff members have home days; your account is not linked to a staff record."))


def _get_registration_or_404(user: Viewer, pk: int) -> Registration:
    try:
        return selectors.registration_get(viewer=user, registration_id=pk)
    except NotFound as missing:
        raise Http404 from missing


def _parse_date(value: str | None) -> dt.date | None:
    for date_format in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime((value or "").strip(), date_format).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def describe_pattern(registration: Registration) -> str:
    """ "Monday, Thursday every week" or the chosen dates, for lists."""
    if registration.mode == RegistrationMode.WEEKLY:
        names = ", ".join(str(WEEKDAY_NAMES[day]) for day in registration.weekdays if 0 <= day < 7)
        pattern = _("%(days)s every week") % {"days": names}
        if registration.skipped_dates:
            left_out = ", ".join(dt.date.fromisoformat(day).strftime("%d/%m") for day in registration.skipped_dates)
            pattern = _("%(pattern)s, except %(days)s") % {"pattern": pattern, "days": left_out}
        return pattern
    dates = [dt.date.fromisoformat(day).strftime("%d/%m") for day in registration.requested_dates]
    shown = ", ".join(dates[:6])
    return shown + (" …" if len(dates) > 6 else "")


def parameter_label(name: str) -> str:
    """What a rule's parameter is called: the policy's label, or the pilot or record setting it refers to."""
    if name in SPEC_BY_NAME:
        return labels.label(name)
    return str(OTHER_RULE_SOURCES.get(name, ""))  # never the key itself


def format_parameter(name: str, parameters: PolicyParameters) -> str:
    """A policy parameter's value as a person reads it ("30 %", "2 ngày/tuần"); empty for anything else."""
    if name not in SPEC_BY_NAME:
        return ""
    return labels.format_value(name, getattr(parameters, name))


def holiday_week_rule(parameters: PolicyParameters) -> str:
    """How the weekly limits read in a week shortened by public holidays (``caps.scale_to_working_days``), with the
    figures for a week of four working days."""
    figures = []
    if parameters.max_home_days_per_week is not None:
        home = scale_to_working_days(parameters.max_home_days_per_week, working=4, full=5, favour="up")
        figures.append(_("at most %(count)s home days") % {"count": home})
    if parameters.min_office_days_per_week is not None:
        office = scale_to_working_days(parameters.min_office_days_per_week, working=4, full=5, favour="down")
        figures.append(_("at least %(count)s office days") % {"count": office})
    return _(
        "In a week or month shortened by public holidays these limits scale with its working days, rounded to the nearest day "
        "(a half in your favour): a week of four working days allows %(figures)s."
    ) % {"figures": _(" and ").join(str(figure) for figure in figures)}


def rules_summary(*, unit: Unit, resolved: ResolvedPolicy, headcount: int) -> list[str]:
    """The rules a staff member should know before registering: caps, notice, what to attest."""
    parameters = resolved.parameters
    limit = unit_home_limit(headcount, parameters)
    lines = [
        _("At most %(limit)s of the %(headcount)s staff of %(unit)s may be at home on one day (at most %(home)s %% at home, at least %(onsite)s %% on site).")
        % {
            "limit": limit,
            "headcount": headcount,
            "unit": unit.name,
            "home": round(parameters.max_home_share * 100),
            "onsite": round(parameters.min_onsite_share * 100),
        }
    ]
    if parameters.max_home_days_per_week is not None:
        lines.append(_("At most %(count)s home days per week.") % {"count": parameters.max_home_days_per_week})
    if parameters.min_office_days_per_week is not None:
        lines.append(_("At least %(count)s office days per week.") % {"count": parameters.min_office_days_per_week})
    if parameters.max_home_days_per_week is not None or parameters.min_office_days_per_week is not None:
        lines.append(holiday_week_rule(parameters))
    if parameters.max_home_days_per_month is not None:
        lines.append(_("At most %(count)s home days per month.") % {"count": parameters.max_home_days_per_month})
    if parameters.min_office_days_per_month is not None:
        lines.append(_("At least %(count)s office days per month.") % {"count": parameters.min_office_days_per_month})
    if parameters.leader_on_site_each_day:
        lines.append(_("A leader of the unit stays on site every day."))
    lines.append(
        _("One-stop desks keep %(desk)s and duty posts keep %(duty)s qualified staff on site.")
        % {"desk": parameters.desk_staff_on_site, "duty": parameters.duty_staff_on_site}
    )
    if parameters.trial_period_days and parameters.notice_days_during_trial != parameters.notice_days:
        lines.append(
            _("Home days can be ended with %(notice)s days' notice (%(trial_notice)s days during the first %(trial)s days after approval).")
            % {"notice": parameters.notice_days, "trial_notice": parameters.notice_days_during_trial, "trial": parameters.trial_period_days}
        )
    else:
        lines.append(_("Home days can be ended with %(notice)s days' notice.") % {"notice": parameters.notice_days})
    if parameters.required_equipment:
        # The item names the services use in their refusal ("Attest that you have: …"), so both read the same.
        lines.append(_("You attest that you have: %(items)s.") % {"items": ", ".join(_(item) for item in parameters.required_equipment)})
    if parameters.written_commitment_required:
        lines.append(_("You accept the written commitment below."))
    if parameters.telework_suspended:
        lines.append(_("Telework is suspended city-wide: only named exemptions may register."))
    return lines


def drop_suggestions(refusal: DomainError | None) -> list[dict[str, str]]:
    """The requested days whose removal would let the rest of a refused registration stand, each once (a weekly
    maximum and an office minimum often name the same day)."""
    seen: dict[str, dict[str, str]] = {}
    for detail in refusal.details if refusal is not None else []:
        for day in detail.get("drop") or []:
            seen.setdefault(day["date"], day)
    return [seen[key] for key in sorted(seen)]


def _attach_refusal_to_fields(form: RegistrationForm, refusal: DomainError) -> None:
    findings = refusal.details or [{"rule": refusal.rule, "message": str(refusal.message)}]
    for finding in findings:
        field = FIELD_FOR_RULE.get(finding.get("rule") or "")
        if field and field in form.fields:
            form.add_error(field, str(finding["message"]))


# ----------------------------------------------------------------------------------------------- my home days


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The staff member's registrations, newest first, and the way to register."""
    me = _own_staff_or_403(request.user)
    registrations = list(selectors.own_registrations(viewer=request.user))
    for registration in registrations:
        registration.pattern_label = describe_pattern(registration)  # type: ignore[attr-defined]
    # Distancing: the unit assigns home days (``registration_submit`` takes no request); the page says where to look.
    assigned = policy_for_unit(me.unit, clock.today()).parameters.home_days_assigned
    return render(request, "registrations/mine.html", {"registrations": registrations, "home_days_assigned": assigned})


# ----------------------------------------------------------------------------------------------- register / edit


def _form_context(staff: Staff, data: Any) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The policy in force for the staff member's unit on the requested start (today until one is given)."""
    today = clock.today()
    on = _parse_date(data.get("starts_on")) if data else None
    on = on if on and on >= today else today
    resolved = policy_for_unit(staff.unit, on)
    headcount = Staff.objects.filter(unit=staff.unit, is_active=True).count()
    decision = eligibility_for(staff, on)
    context = {
        "staff": staff,
        "policy_on": on,
        "resolved": resolved,
        "rules": rules_summary(unit=staff.unit, resolved=resolved, headcount=headcount),
        "decision": decision,
        "commitment_text": services.COMMITMENT_TEXT,
        "commitment_required": resolved.parameters.written_commitment_required,
        "today": today,
    }
    return context, resolved.parameters.required_equipment


def _initial_from(registration: Registration) -> dict[str, Any]:
    return {
        "starts_on": registration.starts_on,
        "ends_on": registration.ends_on,
        "mode": registration.mode,
        "weekdays": list(registration.weekdays),
        "dates": list(registration.requested_dates),
        "skip_dates": list(registration.skipped_dates),
        "equipment": list(registration.equipment_attested),
        "work_plan": registration.work_plan,
    }


def _editable_registration(request: AuthenticatedHttpRequest, pk: int) -> tuple[Staff, Registration]:
    me = _own_staff_or_403(request.user)
    registration = _get_registration_or_404(request.user, pk)
    editable = services.registration_action_check(registration=registration, actor=request.user, action="resubmit")
    if editable.refusal is not None:
        raise PermissionDenied(str(editable.refusal.message))
    return me, registration


def _save(request: AuthenticatedHttpRequest, staff: Staff, registration: Registration | None, form: RegistrationForm) -> Registration:
    if registration is None:
        return services.registration_submit(staff=staff, actor=request.user, **form.service_arguments())
    return services.registration_resubmit(registration=registration, actor=request.user, **form.service_arguments())


def _registration_form_page(request: AuthenticatedHttpRequest, *, staff: Staff, registration: Registration | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    context, required_equipment = _form_context(staff, data)
    initial = _initial_from(registration) if registration else {"mode": RegistrationMode.WEEKLY}
    form = RegistrationForm(data, initial=initial, required_equipment=required_equipment)
    refusal: DomainError | None = None
    if data is not None and form.is_valid():
        try:
            saved = _save(request, staff, registration, form)
        except DomainError as error:
            refusal = error
            _attach_refusal_to_fields(form, error)
        else:
            messages.success(request, _("Your registration was sent to your head for approval."))
            return redirect("registrations:detail", pk=saved.pk)
    context.update({"form": form, "error": refusal, "registration": registration, "drop_days": drop_suggestions(refusal)})
    return render(request, "registrations/form.html", context, status=refusal.http_status if refusal else 200)


def _check_response(request: AuthenticatedHttpRequest, *, staff: Staff, registration: Registration | None) -> HttpResponse:
    _context, required_equipment = _form_context(staff, request.POST)
    form = RegistrationForm(request.POST, required_equipment=required_equipment)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        checked = services.registration_check(staff=staff, actor=request.user, registration=registration, **form.service_arguments())
        if checked.refusal is not None:
            context["error"] = checked.refusal
            context["drop_days"] = drop_suggestions(checked.refusal)
        else:
            days = checked.value
            context["days"] = [{"day": day, "weekday": WEEKDAY_NAMES[day.weekday()]} for day in days]
            # Equivalent workload (MISSION item 5): warn, never refuse, when little work is planned on these days.
            context["workload"] = home_days_workload(staff=staff, days=days)
    # 200 even for a refusal: HTMX swaps only successful responses into the page.
    return render(request, "registrations/_check_result.html", context)


@login_required
def new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Register home days: the rules first, then the form; a refusal names every rule and keeps the input."""
    return _registration_form_page(request, staff=_own_staff_or_403(request.user), registration=None)


@login_required
@require_POST
def check(request: AuthenticatedHttpRequest) -> HttpResponse:
    """HTMX: check a new registration against every rule without saving it."""
    return _check_response(request, staff=_own_staff_or_403(request.user), registration=None)


@login_required
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Edit a registration the head sent back, and submit it again."""
    staff, registration = _editable_registration(request, pk)
    return _registration_form_page(request, staff=staff, registration=registration)


@login_required
@require_POST
def edit_check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """HTMX: check an edited registration against every rule without saving it."""
    staff, registration = _editable_registration(request, pk)
    return _check_response(request, staff=staff, registration=registration)


# ----------------------------------------------------------------------------------------------- eligibility


def _rule_source(parameter: str, resolved: ResolvedPolicy, pilot_name: str | None, position_name: str) -> str:
    if parameter in resolved.sources:
        return resolved.sources[parameter] or _("Built-in defaults (no city policy)")
    if parameter.startswith("pilot"):
        return _("Pilot “%(pilot)s”") % {"pilot": pilot_name} if pilot_name else _("No pilot covers this agency")
    if parameter.startswith("position."):
        return _("Job position record: %(position)s") % {"position": position_name}
    return _("Staff record")


@login_required
def eligibility(request: HttpRequest) -> HttpResponse:
    """Every eligibility rule for a date, passed or not, with its reason, its parameter and where that came from.
    Heads, HR and Home Affairs may look up anyone in their scope (``?staff=CODE``); a code outside it is a 404."""
    today = clock.today()
    on = _parse_date(request.GET.get("date")) or today
    code = request.GET.get("staff", "").strip()
    can_look_up = request.user.role != Role.STAFF or request.user.is_superuser  # type: ignore[union-attr]
    me = scope.own_staff(request.user)
    subject: Staff | None
    if code:
        subject = scope.visible_staff(request.user).select_related("unit__agency", "position").filter(code=code).first()
        if subject is None:
            raise Http404(_("No staff member with this code in your scope."))
    elif me is not None:
        subject = Staff.objects.select_related("unit__agency", "position").get(pk=me.pk)
    elif can_look_up:
        subject = None
    else:
        raise PermissionDenied(_("Your account is not linked to a staff record."))
    context: dict[str, Any] = {"on": on, "today": today, "subject": subject, "code": code, "can_look_up": can_look_up, "is_self": subject == me}
    if subject is not None:
        decision = eligibility_for(subject, on)
        resolved = policy_for_unit(subject.unit, on)
        pilot = pilot_for_staff(subject, on)
        context["decision"] = decision
        context["resolved"] = resolved
        context["pilot"] = pilot
        context["rows"] = [
            {
                "code": rule.code,
                "passed": rule.passed,
                "reason": rule.reason(),
                "parameter": rule.parameter,
                "parameter_label": parameter_label(rule.parameter),
                "value": format_parameter(rule.parameter, resolved.parameters),
                "source": _rule_source(rule.parameter, resolved, pilot.name if pilot else None, subject.position.name),
            }
            for rule in decision.rules
        ]
    return render(request, "registrations/eligibility.html", context)


# ----------------------------------------------------------------------------------------------- detail and decisions


def _day_rows(registration: Registration, today: dt.date, suspension: Suspension | None = None) -> list[dict[str, Any]]:
    rows = []
    suspended = selectors.is_suspended(registration, suspension)
    for day in registration.days.all():
        if day.is_counted and suspended and suspension is not None and suspension.suspends(registration.staff_id, day.day):
            state = "suspended"
        elif day.is_counted:
            state = "counted"
        elif registration.status == RegistrationStatus.REVOKED and registration.revoked_effective_on and day.day > registration.revoked_effective_on:
            state = "cancelled"
        elif registration.status in {RegistrationStatus.SUBMITTED, RegistrationStatus.CHANGES_REQUESTED}:
            state = "requested"
        else:
            state = "not_counted"
        rows.append({"day": day.day, "weekday": WEEKDAY_NAMES[day.day.weekday()], "state": state, "is_past": day.day < today})
    return rows


def _snapshot_rules(registration: Registration) -> list[dict[str, Any]]:
    language = "vi" if (translation.get_language() or "vi").startswith("vi") else "en"
    return [
        {
            "passed": rule.get("passed"),
            "reason": rule.get(f"reason_{language}") or rule.get("reason_en", ""),
            "parameter": rule.get("parameter", ""),
            "parameter_label": parameter_label(rule.get("parameter", "")),
        }
        for rule in (registration.eligibility_snapshot or {}).get("rules", [])
    ]


def _render_detail(request: AuthenticatedHttpRequest, registration: Registration, *, error: DomainError | None = None, status: int = 200) -> HttpResponse:
    today = clock.today()
    me = scope.own_staff(request.user)
    is_owner = me is not None and me.pk == registration.staff_id
    can_decide = scope.can_decide_for(request.user, registration.staff)

    def allowed(action: str) -> bool:
        return services.registration_action_check(registration=registration, actor=request.user, action=action).is_allowed

    actions = {action: allowed(action) for action in (OWNER_ACTIONS if is_owner else ())}
    actions["edit"] = is_owner and allowed("resubmit")
    for action in DECIDER_ACTIONS:
        actions[action] = can_decide and allowed(action)
    decider = registration.decided_by
    decider_staff = scope.own_staff(decider) if decider is not None else None
    context: dict[str, Any] = {
        "registration": registration,
        "decider_name": decider_staff.full_name if decider_staff else (decider.get_full_name() or decider.username if decider else ""),
        "on_behalf_of_name": person_name(registration.decided_on_behalf_of),
        "pattern": describe_pattern(registration),
        "days": _day_rows(registration, today, selectors.request_suspension(request)),
        "snapshot_rules": _snapshot_rules(registration),
        "equipment": [EQUIPMENT_ATTESTATIONS.get(item, item) for item in registration.equipment_attested],
        "is_owner": is_owner,
        "can_decide": can_decide,
        "actions": actions,
        "error": error,
        "today": today,
    }
    if actions["approve"]:
        # Both lists follow the prefetched days in order.
        context["loads"] = selectors.requested_day_loads([registration])[registration.pk]
        for row, load in zip(context["days"], context["loads"], strict=True):
            row["load"] = load
    if actions["revoke"]:
        effective_on, notice = services.revocation_effective_on(registration, today)
        context["revocation"] = {
            "effective_on": effective_on,
            "notice": notice,
            "cancelled": [row for row in context["days"] if row["day"] > effective_on and row["state"] == "counted"],
        }
    return render(request, "registrations/detail.html", context, status=status)


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One registration: its days, commitment, eligibility at submission, decisions, and the viewer's actions."""
    return _render_detail(request, _get_registration_or_404(request.user, pk))


def _perform(action: str, registration: Registration, actor: User, comment: str) -> Registration:
    if action == "approve":
        return services.registration_approve(registration=registration, actor=actor, comment=comment)
    if action == "reject":
        return services.registration_reject(registration=registration, actor=actor, reason=comment)
    if action == "request_changes":
        return services.registration_request_changes(registration=registration, actor=actor, comment=comment)
    if action == "revoke":
        return services.registration_revoke(registration=registration, actor=actor, reason=comment)
    if action == "withdraw":
        return services.registration_withdraw(registration=registration, actor=actor)
    raise Http404


@login_required
@require_POST
def act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve, reject, request changes, revoke or withdraw, from the detail page or the inbox (HTMX: the inbox
    row is replaced by its new state, or by the refusal with the rule named)."""
    if action not in SUCCESS_MESSAGES:
        raise Http404
    registration = _get_registration_or_404(request.user, pk)
    form = DecisionForm(request.POST)
    error: DomainError | None = None
    if not form.is_valid():
        error = ValidationFailed(_("The comment is too long (at most 2,000 characters)."), rule="comment")
    else:
        try:
            _perform(action, registration, request.user, form.cleaned_data["comment"])
        except DomainError as refusal:
            error = refusal
    from_inbox = request.POST.get("from") == "inbox"
    if from_inbox and is_htmx(request):
        fresh = _get_registration_or_404(request.user, pk)
        row = _inbox_row(fresh, selectors.requested_day_loads([fresh])[fresh.pk], error, selectors.requester_workloads([fresh]).get(fresh.pk))
        return render(request, "registrations/_inbox_row.html", {"row": row, "done": None if error else SUCCESS_MESSAGES[action]})
    if error is None:
        messages.success(request, SUCCESS_MESSAGES[action])
        return redirect("registrations:inbox") if from_inbox else redirect("registrations:detail", pk=pk)
    if from_inbox:
        return _render_inbox(request, errors={pk: error}, status=error.http_status)
    return _render_detail(request, _get_registration_or_404(request.user, pk), error=error, status=error.http_status)


# ----------------------------------------------------------------------------------------------- inbox


def workload_line(workload: selectors.RequesterWorkload | None) -> list[dict[str, Any]]:
    """A requester's workload for the days asked, as short phrases ("3 việc đang mở", "1 việc đến hạn 20/11",
    "kế hoạch 12/40 giờ", "Nghỉ phép năm 21/11"). ``tone`` marks what the head should weigh: "danger" for work due or
    a conflicting plan (leave, desk duty) on a day asked, "caution" for little planned work (``is_short``)."""
    if workload is None:
        return []
    parts: list[dict[str, Any]] = [
        {"text": ngettext("%(count)s open work item", "%(count)s open work items", workload.open_items) % {"count": workload.open_items}, "tone": ""}
    ]
    for day, count in workload.due_on_days:
        parts.append(
            {"text": ngettext("%(count)s item due %(date)s", "%(count)s items due %(date)s", count) % {"count": count, "date": f"{day:%d/%m}"}, "warn": True}
        )
    if workload.load.norm_hours:
        parts.append(
            {
                "text": _("work planned on these days: %(planned)s of %(norm)s hours")
                % {"planned": f"{workload.load.planned_hours:g}", "norm": f"{workload.load.norm_hours:g}"},
                "tone": "caution" if workload.load.status == "under" else "",
            }
        )
    for day, plan in workload.plans:
        parts.append({"text": f"{plan.label} {day:%d/%m}", "tone": "danger" if plan.is_conflict else ""})
    return parts


def _inbox_row(
    registration: Registration, loads: list[selectors.DayLoad], error: DomainError | None, workload: selectors.RequesterWorkload | None = None
) -> dict[str, Any]:
    days = [
        {"day": load.day, "weekday": WEEKDAY_SHORT_NAMES[load.day.weekday()], "approved": load.approved, "limit": load.limit, "is_full": load.is_full}
        for load in loads
    ]
    on_behalf_of = getattr(registration, "on_behalf_of", None)
    return {
        "registration": registration,
        "pattern": describe_pattern(registration),
        "days": days,
        "error": error,
        "workload": workload_line(workload),
        "on_behalf_of": person_name(on_behalf_of) if on_behalf_of is not None else "",
    }


def _delegation_notices(user: User) -> dict[str, list[dict[str, Any]]]:
    """The delegations in force or coming that concern the viewer: those they act under, and those they gave."""
    return delegations.notices_for(user)


def _render_inbox(
    request: AuthenticatedHttpRequest, *, errors: dict[int, DomainError] | None = None, bulk_error: DomainError | None = None, status: int = 200
) -> HttpResponse:
    errors = errors or {}
    registrations = selectors.approval_inbox(viewer=request.user)
    resolver = PolicyResolver()
    loads = selectors.requested_day_loads(registrations, resolver=resolver)
    workloads = selectors.requester_workloads(registrations, resolver=resolver)
    rows = [_inbox_row(registration, loads[registration.pk], errors.get(registration.pk), workloads.get(registration.pk)) for registration in registrations]
    user = request.user
    context = {
        "rows": rows,
        "bulk_error": bulk_error,
        "can_delegate": user.role in scope.DECIDING_ROLES and scope.own_staff(user) is not None,
        **_delegation_notices(user),
    }
    return render(request, "registrations/inbox.html", context, status=status)


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Registrations awaiting the viewer's decision, oldest first, each day with how full the unit already is and the
    requester's workload for the days asked; ticked ones are approved or rejected at once (``inbox_decide``)."""
    decides = services.decider_check(actor=request.user)
    if decides.refusal is not None:
        raise PermissionDenied(str(decides.refusal.message))
    return _render_inbox(request)


@login_required
@require_POST
def inbox_decide(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Approve, or reject with one reason, the registrations ticked in the inbox: each through the single decision's
    service in its own transaction (``services.registrations_decide_many``); the page then says which were decided
    and, for each refused one, the rule that refused it. A ticked id that is no longer waiting for the viewer (decided
    meanwhile, or never theirs) is counted, never shown."""
    decides = services.decider_check(actor=request.user)
    if decides.refusal is not None:
        raise PermissionDenied(str(decides.refusal.message))
    action = request.POST.get("action", "")
    form = DecisionForm(request.POST)
    ids = sorted({int(value) for value in request.POST.getlist("registration") if value.isdigit()})
    if action not in services.BULK_ACTIONS:
        raise Http404
    if not ids:
        return _render_inbox(request, bulk_error=ValidationFailed(_("Tick the registrations to decide first."), rule="registration"), status=422)
    if not form.is_valid():
        return _render_inbox(request, bulk_error=ValidationFailed(_("The comment is too long (at most 2,000 characters)."), rule="comment"), status=422)
    chosen = selectors.approval_inbox(viewer=request.user, ids=ids)
    on_behalf_of = {registration.pk: getattr(registration, "on_behalf_of", None) for registration in chosen}
    try:
        outcomes = services.registrations_decide_many(registrations=chosen, actor=request.user, action=action, comment=form.cleaned_data["comment"])
    except ValidationFailed as refusal:
        return _render_inbox(request, bulk_error=refusal, status=refusal.http_status)
    results = [
        {
            "registration": outcome.registration,
            "pattern": describe_pattern(outcome.registration),
            "refusal": outcome.refusal,
            "on_behalf_of": person_name(on_behalf_of.get(outcome.registration.pk)),
        }
        for outcome in outcomes
    ]
    context = {
        "action": action,
        "done": [result for result in results if result["refusal"] is None],
        "refused": [result for result in results if result["refusal"] is not None],
        "gone": len(ids) - len(chosen),
        "comment": form.cleaned_data["comment"],
    }
    return render(request, "registrations/inbox_result.html", context)


# ----------------------------------------------------------------------------------------------- unit overview


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """A unit's week: who is approved (green) or waiting (yellow) to be at home, per day against the limit."""
    if request.user.role == Role.STAFF and not request.user.is_superuser:  # type: ignore[union-attr]
        raise PermissionDenied(_("The unit overview is for heads, HR and Home Affairs."))
    units = scope.visible_units(request.user).select_related("agency").order_by("agency__name", "path")
    requested = request.GET.get("unit", "").strip()
    unit: Unit | None
    if requested:
        unit = units.filter(pk=int(requested)).first() if requested.isdigit() else None
        if unit is None:
            raise Http404(_("No such unit in your scope."))
    else:
        me = scope.own_staff(request.user)
        unit = (units.filter(pk=me.unit_id).first() if me else None) or units.first()
    today = clock.today()
    monday = week_monday(request.GET.get("week"), today)
    context: dict[str, Any] = {
        "units": list(units),
        "unit": unit,
        "monday": monday,
        "week": ui.week_label(monday),
        "previous_week": ui.week_label(monday - dt.timedelta(days=7)),
        "next_week": ui.week_label(monday + dt.timedelta(days=7)),
        "this_week": ui.week_label(today - dt.timedelta(days=today.weekday())),
        "today": today,
    }
    if unit is not None:
        grid = selectors.unit_week_overview(unit=unit, monday=monday)
        for column in grid["columns"]:
            column["weekday"] = WEEKDAY_SHORT_NAMES[column["day"].weekday()]
        context["grid"] = grid
    return render(request, "registrations/overview.html", context)
