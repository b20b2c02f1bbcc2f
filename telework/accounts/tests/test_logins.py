"""Logins resist guessing: lockout by account and by address (site and admin), 12-character passwords, and a
second factor (TOTP with recovery codes) required of the privileged roles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db
PASSWORD = "password123"  # every user of the city fixture
LOCKED = "Đăng nhập sai quá nhiều lần với tài khoản này hoặc từ địa chỉ này. Hãy chờ 15 phút rồi thử lại."


def log_in(client, username, password, address="10.1.1.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(city, client, clock):
    user = city.staff[0].user
    for _attempt in range(4):
        assert log_in(client, user.username, "sai-mat-khau").status_code == 200
    locked = log_in(client, user.username, "sai-mat-khau")
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    # The right password, even from another address, is refused while the account is locked.
    right = log_in(Client(), user.username, PASSWORD, address="10.9.9.9")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # After the cool-off the right password works again.
    clock.shift(dt.timedelta(minutes=16))
    assert log_in(Client(), user.username, PASSWORD).status_code == 302


def test_an_address_guessing_many_accounts_is_locked(city, client):
    for member in city.staff[:5]:
        log_in(client, member.user.username, "123456789012", address="10.2.2.2")
    refused = log_in(client, city.staff[6].user.username, PASSWORD, address="10.2.2.2")
    assert refused.status_code == 429
    # A forged X-Forwarded-For does not escape the address's lockout.
    forged = client.post(
        reverse("accounts:login"),
        {"username": city.staff[6].user.username, "password": PASSWORD},
        REMOTE_ADDR="10.2.2.2",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert forged.status_code == 429
    # Other offices are not held back.
    assert log_in(Client(), city.staff[6].user.username, PASSWORD, address="10.3.3.3").status_code == 302


def test_the_admin_login_is_locked_too(city, client):
    admin = city.admin
    for _attempt in range(5):
        client.post("/django-admin/login/", {"username": admin.username, "password": "wrong-password"}, REMOTE_ADDR="10.4.4.4")
    refused = client.post("/django-admin/login/", {"username": admin.username, "password": PASSWORD}, REMOTE_ADDR="10.4.4.4")
    assert refused.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in refused.content.decode()


def test_a_password_of_eleven_characters_is_refused(city, client):
    client.force_login(city.staff[0].user)
    response = client.post(reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": "may-trang-26", "new_password2": "may-trang-26"})
    assert response.status_code == 302  # 12 characters: accepted
    client.force_login(city.staff[1].user)
    refused = client.post(reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": "may-trang-2", "new_password2": "may-trang-2"})
    assert refused.status_code == 200
    assert "ít nhất 12 ký tự" in refused.content.decode()


def privileged(city):
    return {
        "system_admin": city.admin,
        "home_affairs": city.home_affairs,
        "city_leadership": city.leadership,
        "agency_hr": city.hr,
    }


def enrol(client, user):
    """Through the enrolment page, as a person does: the key shown, the app's code typed back."""
    page = client.get(reverse("accounts:two_factor"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(reverse("accounts:two_factor"), {"code": f"{totp(device.bin_key):06d}"})
    return device, done.context["recovery_codes"]


@override_settings(SECOND_FACTOR_REQUIRED=True)
@pytest.mark.parametrize("role", ["system_admin", "home_affairs", "city_leadership", "agency_hr", "agency_head"])
def test_each_privileged_role_must_enrol_then_verify_after_the_password(city, role, clock):
    user = city.head.user if role == "agency_head" else privileged(city)[role]
    if role == "agency_head":
        user.role = "agency_head"
        user.save(update_fields=["role"])
    client = Client()
    assert log_in(client, user.username, PASSWORD).status_code == 302
    home = client.get(reverse("portal:home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:two_factor"))
    # The session cannot use the API either until the second step.
    api = client.get("/api/me")
    assert (api.status_code, api.json()["code"]) == (403, "second_factor_required")

    _device, codes = enrol(client, user)
    assert len(codes) == 10
    assert client.get(reverse("portal:home")).status_code == 200

    # Next login: the password alone is not enough.
    client = Client()
    log_in(client, user.username, PASSWORD)
    asked = client.get(reverse("portal:home"))
    assert asked["Location"].startswith(reverse("accounts:verify"))
    wrong = client.post(reverse("accounts:verify"), {"code": "000000", "next": "/"})
    assert "Mã không đúng" in wrong.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    # Half a minute on (a wrong code slows the next try; the code used at enrolment cannot be replayed): the app's code.
    clock.shift(dt.timedelta(seconds=31))
    verified = client.post(reverse("accounts:verify"), {"code": f"{totp(device.bin_key):06d}", "next": "/"})
    assert verified.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


@override_settings(SECOND_FACTOR_REQUIRED=True)
def test_a_recovery_code_lets_a_person_in_once(city):
    user = city.home_affairs
    client = Client()
    log_in(client, user.username, PASSWORD)
    _device, codes = enrol(client, user)

    for attempt in range(2):
        other = Client()
        log_in(other, user.username, PASSWORD, address=f"10.5.5.{attempt}")
        answer = other.post(reverse("accounts:verify"), {"code": codes[0], "next": "/"})
        if attempt == 0:
            assert answer.status_code == 302
            assert other.get(reverse("portal:home")).status_code == 200
        else:
            assert "Mã không đúng" in answer.content.decode()
    assert StaticToken.objects.filter(device__user=user).count() == 9


@override_settings(SECOND_FACTOR_REQUIRED=True)
def test_staff_need_no_second_factor_but_may_choose_one(city):
    member = city.staff[0].user
    client = Client()
    log_in(client, member.username, PASSWORD)
    assert client.get(reverse("portal:home")).status_code == 200
    enrol(client, member)
    again = Client()
    log_in(again, member.username, PASSWORD)
    assert again.get(reverse("portal:home"))["Location"].startswith(reverse("accounts:verify"))


def test_without_the_setting_privileged_logins_pass_with_the_password_as_in_the_demo(city):
    client = Client()
    log_in(client, city.admin.username, PASSWORD)
    assert client.get(reverse("portal:home")).status_code == 200
