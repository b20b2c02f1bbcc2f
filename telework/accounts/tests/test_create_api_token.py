"""``manage.py create_api_token USERNAME NAME``: the key is printed once and works."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from telework.accounts.models import ApiToken


def create(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


@pytest.mark.django_db
def test_prints_a_working_key_once(city, client):
    key, note = create(city.staff[0].code, "reporting script")
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.key_digest) == (city.staff[0].user, "reporting script", ApiToken.digest(key))
    assert note == f"Token “reporting script” ({token.prefix}…) created for {city.staff[0].code}. Copy it now: it will not be shown again."
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").json()["username"] == city.staff[0].code


@pytest.mark.django_db
def test_unknown_user_is_refused(db):
    with pytest.raises(CommandError, match="No user is named “ghost”."):
        create("ghost", "script")
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_deactivated_user_is_refused(city):
    user = city.staff[0].user
    user.is_active = False
    user.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="deactivated"):
        create(user.username, "script")
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_blank_name_is_refused(city):
    with pytest.raises(CommandError, match="1 to 100 characters"):
        create(city.staff[0].code, "   ")
    assert not ApiToken.objects.exists()
