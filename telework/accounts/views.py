"""Log in and out; API tokens for the user's own clients."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from telework.accounts.models import ApiToken
from telework.core import clock


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    new_key = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100]
        if not name:
            messages.error(request, _("Give the token a name, such as the phone or program that will use it."))
        else:
            _token, new_key = ApiToken.issue(user=request.user, name=name)  # type: ignore[arg-type]
    items = ApiToken.objects.filter(user_id=request.user.pk or 0).order_by("-created_at")
    return render(request, "accounts/tokens.html", {"items": items, "new_key": new_key})


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
