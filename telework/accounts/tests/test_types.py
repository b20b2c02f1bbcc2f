"""``signed_in``: the one place that turns ``request.user`` (or the system's ``None``) into a user or nobody."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from telework.accounts.models import User
from telework.accounts.types import signed_in


@pytest.mark.django_db
def test_a_signed_in_user_is_themselves():
    user = User.objects.create_user(username="lan", password="x")
    assert signed_in(user) is user


def test_an_anonymous_visitor_is_nobody():
    assert signed_in(AnonymousUser()) is None


def test_the_system_acting_alone_is_nobody():
    assert signed_in(None) is None
