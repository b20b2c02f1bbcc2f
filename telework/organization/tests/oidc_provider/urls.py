import datetime as dt

from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from telework.organization.tests.oidc_provider import clock


def move_clock(request: HttpRequest) -> HttpResponse:
    """The tests keep the provider's clock on theirs (both frozen, ticking): ``/_clock/?at=<ISO date-time>``."""
    clock.move_to(dt.datetime.fromisoformat(request.GET["at"]))
    return HttpResponse("ok")


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("login/", LoginView.as_view(template_name="provider_login.html"), name="login"),
    path("_clock/", move_clock),
]
