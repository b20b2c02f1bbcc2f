"""The survey screens: the public citizen survey (login-free, one answer per device, throttled per address), the
staff page with the pulse form, and Home Affairs' and agency heads' campaign and wave pages with their results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from telework.accounts.types import AuthenticatedHttpRequest
from telework.core import clock
from telework.core.exceptions import DomainError, RuleViolation
from telework.dossiers import cards
from telework.organization import scope
from telework.surveys import permissions, selectors, services, throttle
from telework.surveys.forms import CampaignForm, CitizenSurveyForm, PulseForm, WaveForm
from telework.surveys.models import Campaign, CampaignAgency

ANSWERED_COOKIE_SALT = "telework.surveys.answered"
ANSWERED_COOKIE_AGE = 60 * 60 * 24 * 400  # longer than any campaign


def _answered_cookie(campaign: Campaign) -> str:
    return f"survey_{campaign.pk}"


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _public(request: HttpRequest, context: dict[str, object], status: int = 200) -> HttpResponse:
    return render(request, "surveys/public_survey.html", context, status=status)


@require_http_methods(["GET", "POST"])
def public_survey(request: HttpRequest, token: str) -> HttpResponse:
    """The page an agency's link or QR code opens: ten statements on the five SIPAS factors, nothing personal."""
    try:
        place = services.open_place(token)
    except DomainError as error:
        return _public(request, {"error": error, "place": None}, status=error.http_status)
    context: dict[str, object] = {"place": place}
    if request.get_signed_cookie(_answered_cookie(place.campaign), default=None, salt=ANSWERED_COOKIE_SALT):
        context["error"] = RuleViolation(_("This device has already answered this survey. Thank you."), rule="survey_once")
        return _public(request, context, status=409 if request.method == "POST" else 200)
    if request.method == "GET":
        return _public(request, context | {"form": CitizenSurveyForm()})
    form = CitizenSurveyForm(request.POST)
    context["form"] = form
    try:
        throttle.check_and_count(_address(request))
    except DomainError as error:
        return _public(request, context | {"error": error}, status=429)
    if not form.is_valid():
        return _public(request, context, status=400)
    try:
        services.citizen_response_submit(token=token, answers=form.answers())
    except DomainError as error:
        return _public(request, context | {"error": error}, status=error.http_status)
    response = render(request, "surveys/public_thanks.html", {"place": place})
    response.set_signed_cookie(_answered_cookie(place.campaign), "1", salt=ANSWERED_COOKIE_SALT, max_age=ANSWERED_COOKIE_AGE, httponly=True, samesite="Lax")
    return response


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """``/surveys/``: the staff member's open pulse surveys, and for Home Affairs and agency heads the results."""
    waves = [{"wave": wave, "answered": services.has_answered(request.user, wave)} for wave in services.waves_for(request.user)]
    readers = permissions.can_read_results(request.user)
    context = {
        "waves": waves,
        "can_run": permissions.can_run_surveys(request.user),
        "campaigns": selectors.visible_campaigns(request.user) if readers else [],
        "result_waves": selectors.visible_waves(request.user) if readers else [],
        "can_read": readers,
        "is_staff_member": scope.own_staff(request.user) is not None,
    }
    return render(request, "surveys/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pulse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    wave = next((wave for wave in services.waves_for(request.user) if wave.pk == pk), None)
    if wave is None:
        raise Http404
    if services.has_answered(request.user, wave):
        messages.info(request, _("You have already answered this survey. Thank you."))
        return redirect("surveys:home")
    form = PulseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pulse_submit(actor=request.user, wave=wave, answers=form.answers())
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Thank you. Your answers were recorded without your name."))
        return redirect("surveys:home")
    return render(request, "surveys/pulse.html", {"wave": wave, "form": form}, status=400 if form.errors else 200)


def _round_form(request: AuthenticatedHttpRequest, form_class: type[CampaignForm] | type[WaveForm], kind: str) -> HttpResponse:
    if not permissions.can_run_surveys(request.user):
        raise Http404
    form = form_class(request.POST or None, initial={"opens_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "actor": request.user,
            "title": data["title"],
            "phase": data["phase"],
            "opens_on": data["opens_on"],
            "closes_on": data["closes_on"],
            "agencies": data["agencies"],
        }
        try:
            if kind == "campaign":
                campaign = services.campaign_create(**common, target_responses=data["target_responses"])
                return redirect("surveys:campaign", campaign.pk)
            wave = services.wave_create(**common)
            return redirect("surveys:wave", wave.pk)
        except DomainError as error:
            form.add_error(None, str(error.message))
    return render(request, "surveys/round_form.html", {"form": form, "kind": kind}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _round_form(request, CampaignForm, "campaign")


@login_required
@require_http_methods(["GET", "POST"])
def wave_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _round_form(request, WaveForm, "wave")


def _campaign(request: AuthenticatedHttpRequest, pk: int) -> Campaign:
    campaign = next((campaign for campaign in selectors.visible_campaigns(request.user) if campaign.pk == pk), None)
    if campaign is None:
        raise Http404
    return campaign


@login_required
@require_GET
def campaign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A campaign's results per agency and factor, its links and QR codes, and the comparison with a before-the-pilot
    campaign (``?compare=``, the latest one by default)."""
    campaign = _campaign(request, pk)
    comparable = selectors.comparable_campaigns(campaign)
    compare_with = comparable[0] if comparable else None
    if request.GET.get("compare", "").isdigit():
        compare_with = next((other for other in comparable if other.pk == int(request.GET["compare"])), compare_with)
    results = selectors.campaign_results(viewer=request.user, campaign=campaign, compare_with=compare_with)
    base = _public_base(request)
    rows = [(result, base + reverse("surveys:public", args=[result.place.token])) for result in results]
    context = {
        "campaign": campaign,
        "results": rows,
        "compare_with": compare_with,
        "comparable": comparable,
        "can_run": permissions.can_run_surveys(request.user),
    }
    return render(request, "surveys/campaign.html", context)


def _public_base(request: HttpRequest) -> str:
    """Where people's phones reach the survey: ``TELEWORK_PUBLIC_URL`` or, unset, the address in use."""
    return cards.public_base(request.build_absolute_uri("/"))


@login_required
@require_POST
def campaign_target(request: AuthenticatedHttpRequest, pk: int, place_pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    place = CampaignAgency.objects.filter(campaign=campaign, pk=place_pk).first()
    if place is None or not permissions.can_run_surveys(request.user):
        raise Http404
    raw = request.POST.get("target_responses", "")
    try:
        services.campaign_target_set(actor=request.user, place=place, target_responses=int(raw) if raw.isdigit() else 0)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Target sample size saved."))
    return redirect("surveys:campaign", campaign.pk)


@login_required
@require_GET
def campaign_qr(request: AuthenticatedHttpRequest, pk: int, place_pk: int) -> HttpResponse:
    """A printable A6 poster with the agency's QR code and link."""
    import segno
    from weasyprint import HTML

    campaign = _campaign(request, pk)
    place = CampaignAgency.objects.filter(campaign=campaign, pk=place_pk, agency__in=permissions.result_agencies(request.user)).select_related("agency").first()
    if place is None:
        raise Http404
    url = _public_base(request) + reverse("surveys:public", args=[place.token])
    qr = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    with translation.override(request.LANGUAGE_CODE):
        html = render_to_string("surveys/print/poster.html", {"campaign": campaign, "place": place, "url": url, "qr": qr})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="khao-sat-{place.agency.code}.pdf"'
    return response


@login_required
@require_GET
def wave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    wave = next((wave for wave in selectors.visible_waves(request.user) if wave.pk == pk), None)
    if wave is None:
        raise Http404
    comparable = selectors.comparable_waves(wave)
    compare_with = comparable[0] if comparable else None
    if request.GET.get("compare", "").isdigit():
        compare_with = next((other for other in comparable if other.pk == int(request.GET["compare"])), compare_with)
    results = selectors.pulse_results(viewer=request.user, wave=wave, compare_with=compare_with)
    context = {"wave": wave, "results": results, "minimum": selectors.min_group(), "comparable": comparable, "compare_with": compare_with}
    return render(request, "surveys/wave.html", context)
