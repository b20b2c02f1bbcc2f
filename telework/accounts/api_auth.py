"""API authentication: bearer tokens for clients, the browser session for the web UI's own calls."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from telework.accounts.models import ApiToken


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionOrToken(APIKeyCookie):
    """The logged-in browser session (CSRF-checked by Ninja for unsafe methods)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated:
            return request.user
        return None
