"""Log in and out; first password (activation by printed code or e-mailed link), change and forgotten password; API
tokens for the user's own clients."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from telework.accounts import oidc, push_tokens, second_factor, services
from telework.accounts.forms import ActivationCodeForm
from telework.accounts.models import TOKEN_MAX_DAYS, ApiToken, TokenScope, User
from telework.accounts.types import AuthenticatedHttpRequest
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import ValidationFailed

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = oidc.is_enabled()
        return context


class LogoutView(auth_views.LogoutView):
    """Ends the local session; after a single sign-on, the browser then goes to the provider's end-session endpoint
    (when it advertises one) to end the provider's session too, and comes back to the login page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = str(request.session.get(oidc.ID_TOKEN_KEY, "")) if request.session.get(oidc.SSO_LOGIN_KEY) else ""
        response = super().post(request, *args, **kwargs)
        provider_logout = oidc.provider_logout_url(request, id_token)
        return redirect(provider_logout) if provider_logout else response


# The scopes a person chooses from on the tokens page, the narrowest first (``full`` is kept for older tokens).
PAGE_SCOPES = (TokenScope.CHECK_IN, TokenScope.READ, TokenScope.WRITE)


@login_required
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's tokens. A new one is check-in only, read only or read and write — or (for those ``push_tokens``
    allows) push-only for an agency — and lives 1 to 90 days (90 unless chosen)."""
    new_key = None
    push_agencies = push_tokens.issuable_agencies(request.user)
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100]
        scope = request.POST.get("scope", TokenScope.WRITE)
        raw_days = request.POST.get("days", "").strip() or str(TOKEN_MAX_DAYS)
        days = int(raw_days) if raw_days.isdigit() and len(raw_days) <= 3 else 0
        agency_id = None
        if scope == TokenScope.DOSSIER_PUSH:
            raw_agency = request.POST.get("agency", "")
            agency_id = next((pk for pk, _name in push_agencies if str(pk) == raw_agency), None)
        if not name:
            messages.error(request, _("Give the token a name, such as the phone or program that will use it."))
        elif scope not in {*PAGE_SCOPES, TokenScope.DOSSIER_PUSH} or (scope == TokenScope.DOSSIER_PUSH and not push_agencies):
            messages.error(request, _("You may not issue a token with this scope."))
        elif scope == TokenScope.DOSSIER_PUSH and agency_id is None:
            messages.error(request, _("Choose the agency whose dossiers the one-stop system will push with this token."))
        elif not 1 <= days <= TOKEN_MAX_DAYS:
            messages.error(request, _("A token lives from 1 to %(days)s days.") % {"days": TOKEN_MAX_DAYS})
        else:
            token, new_key = ApiToken.issue(user=request.user, name=name, scope=scope, agency_id=agency_id, days=days)
            audit_record(
                actor=request.user,
                action="api_token.issue",
                target=token,
                after={
                    "name": token.name,
                    "prefix": token.prefix,
                    "scope": token.scope,
                    "agency": dict(push_agencies).get(agency_id or 0, ""),
                    "expires_at": token.expires_at.isoformat(),
                },
                agency_id=agency_id,
            )
    items = ApiToken.objects.filter(user_id=request.user.pk).select_related("agency").order_by("-created_at")
    scopes = [(value, label) for value, label in TokenScope.choices if value in PAGE_SCOPES]
    scopes.sort(key=lambda choice: PAGE_SCOPES.index(TokenScope(choice[0])))
    if push_agencies:
        scopes.append((TokenScope.DOSSIER_PUSH.value, TokenScope.DOSSIER_PUSH.label))
    context = {"items": items, "new_key": new_key, "push_agencies": push_agencies, "scopes": scopes, "max_days": TOKEN_MAX_DAYS, "now": clock.now()}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")


# --- First password ----------------------------------------------------------------------------------------


@sensitive_post_parameters("code", "new_password1", "new_password2")
@never_cache
def activate(request: HttpRequest) -> HttpResponse:
    """A person with a printed code sets their first password, and is logged in and taken home."""
    form = ActivationCodeForm(request.POST or None, initial={"username": request.GET.get("username", "")})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.activate_with_code(
                username=form.cleaned_data["username"], code=form.cleaned_data["code"], password=form.cleaned_data["new_password1"]
            )
        except ValidationFailed as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            auth_login(request, user, backend=MODEL_BACKEND)
            messages.success(request, _("Your account is active. Welcome!"))
            return redirect("portal:home")
    return render(request, "accounts/activate.html", {"form": form, "days": services.activation_days()})


class ReadersLanguageRules:
    """Django builds the password rules' help text once, at import, in whatever language was active then: build it
    again for each form, in the reader's language."""

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)  # type: ignore[misc]
        if "new_password1" in form.fields:
            form.fields["new_password1"].help_text = password_validators_help_text_html()
        return form


class ActivationLinkView(ReadersLanguageRules, auth_views.PasswordResetConfirmView):
    """The e-mailed link: the same single-use token mechanism as a password reset, for an account that has no
    password yet; the person chooses one and is logged in."""

    token_generator = services.activation_tokens
    template_name = "accounts/activate_link.html"
    post_reset_login = True
    post_reset_login_backend = MODEL_BACKEND
    success_url = reverse_lazy("portal:home")
    title = gettext_lazy("Activate your account")

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        if user is None or not user.is_active or services.is_activated(user):
            return None
        return user

    def form_valid(self, form: Any) -> HttpResponse:
        # The password and its audit row land together.
        with transaction.atomic():
            response = super().form_valid(form)
            services.account_activated_by_link(user=form.user)
        messages.success(self.request, _("Your account is active. Welcome!"))
        return response


# --- Change and forgotten password -------------------------------------------------------------------------


class PasswordChangeView(ReadersLanguageRules, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("portal:home")
    title = gettext_lazy("Change password")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


@method_decorator(never_cache, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """ "Forgot password": the same answer whether or not the address is known (nobody learns who has an account)."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    title = gettext_lazy("Forgot your password?")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    title = gettext_lazy("Check your e-mail")


class PasswordResetConfirmView(ReadersLanguageRules, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    title = gettext_lazy("Choose a new password")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    title = gettext_lazy("Password changed")


# --- Second factor -----------------------------------------------------------------------------------------

RECOVERY_CODES = 10


@login_required
def two_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code, receive ten recovery
    codes shown once. A person already enrolled (and verified this session) may issue new recovery codes."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed is not None and not user.is_verified():  # type: ignore[attr-defined]
        return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': request.get_full_path()})}")
    recovery_codes: list[str] = []
    error = ""
    if confirmed is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name=_("Authenticator app"), confirmed=False
        )
        if request.method == "POST":
            code = request.POST.get("code", "").strip().replace(" ", "")[:8]
            if code.isdigit() and device.verify_token(code):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)
                request.session[second_factor.ENROLLED_KEY] = True
                recovery_codes = _new_recovery_codes(user)
                services.audit_accounts(actor=user, action="account.second_factor_enrolled", users=[user], after={"recovery_codes": len(recovery_codes)})
                confirmed = device
            else:
                error = _("The code is not right. Check the phone's clock and enter the six digits shown now.")
    elif request.method == "POST" and request.POST.get("action") == "recovery":
        recovery_codes = _new_recovery_codes(user)
        services.audit_accounts(actor=user, action="account.recovery_codes_issued", users=[user], after={"recovery_codes": len(recovery_codes)})
    context: dict[str, object] = {"enrolled": confirmed is not None, "recovery_codes": recovery_codes, "error": error}
    if confirmed is None:
        context["qr_svg"] = mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code for the authenticator app")))  # noqa: S308 - segno's own SVG of our URL
        context["secret"] = b32encode(device.bin_key).decode()
    context["next"] = second_factor.safe_next(request, "")
    return render(request, "accounts/two_factor.html", context)


def _new_recovery_codes(user: User) -> list[str]:
    """Ten new single-use codes, replacing any earlier ones."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@login_required
@sensitive_post_parameters("code")
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The step after the password: the authenticator's six digits, or one recovery code."""
    next_url = second_factor.safe_next(request, reverse("portal:home"))
    if request.user.is_verified():  # type: ignore[attr-defined]
        return redirect(next_url)
    error = ""
    if request.method == "POST":
        code = request.POST.get("code", "").strip().replace(" ", "")[:16]
        device = match_token(request.user, code) if code else None
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                services.audit_accounts(actor=request.user, action="account.recovery_code_used", users=[request.user], after={"recovery_codes_left": left})
                messages.warning(request, _("You used a recovery code; each works once. Issue new ones on the two-step login page if few remain."))
            return redirect(next_url)
        error = _("The code is not right. Enter the six digits your authenticator app shows now, or a recovery code.")
    return render(request, "accounts/verify.html", {"error": error, "next": next_url})
