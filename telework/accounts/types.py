"""How the rest of the house names a person at the keyboard.

``Viewer`` is what ``request.user`` is: a signed-in ``User`` or Django's ``AnonymousUser``. Reads (selectors,
permissions, scope) take a ``Viewer`` and check ``viewer.is_authenticated`` before anything else, which narrows
it to ``User`` for the type checker. Writes (services) take ``actor: User`` — a service is only ever called for
someone signed in (or with ``None`` where the system itself acts, e.g. a management command). A view behind
``login_required`` annotates its request as ``AuthenticatedHttpRequest`` so that ``request.user`` is a ``User``.
An API route reads its user with ``telework.accounts.api_auth.api_user(request)``. ``telework.core`` cannot import
this app: its audit, workflow and notifications take ``django.contrib.auth``'s ``AbstractUser``.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from telework.accounts.models import User

Viewer: TypeAlias = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """A request that passed ``login_required`` (or the API's token/session check): its user is signed in."""

    user: User


def signed_in(viewer: Viewer | None) -> User | None:
    """The user when signed in, else ``None`` (anonymous visitor, or no one: the system acting on its own)."""
    if viewer is None or not viewer.is_authenticated:
        return None
    return viewer
