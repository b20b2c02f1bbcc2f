"""The HTTP API: one NinjaAPI, a router per app, one error handler rendering domain errors as JSON."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from telework.accounts.api_auth import ApiKeyAuth, SessionOrToken
from telework.core.exceptions import DomainError

api = NinjaAPI(
    title="Telework API",
    version="1.0",
    description="Eligibility, home-day registrations and approvals. Authenticate with `Authorization: Bearer <token>`.",
    auth=[ApiKeyAuth(), SessionOrToken()],
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return api.create_response(request, error.as_dict(), status=error.http_status)


from telework.policy.api import router as policy_router  # noqa: E402
from telework.registrations.api import router as registrations_router  # noqa: E402

api.add_router("/", policy_router)
api.add_router("/registrations", registrations_router)
