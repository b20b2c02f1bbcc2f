"""First password, password policy, forgotten password and deactivation.

A printed code and an e-mailed link each work once, until ``ACCOUNT_ACTIVATION_DAYS`` (14 days in tests) have
passed, and never once a password is set; a password must pass the policy (at least 12 characters, not like the
username or name, not common, not only digits); "forgot password" answers the same for any address; closing an
account ends its sessions, tokens and codes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from telework.accounts import services
from telework.accounts.models import ActivationCode, ApiToken, Role, User
from telework.core.exceptions import InvalidTransition, ValidationFailed
from telework.core.models import AuditEvent

GOOD_PASSWORD = "mây-trắng-bay-2026"  # noqa: S105


@pytest.fixture
def newcomer(db: None) -> User:
    """An account just created for a staff member: no usable password yet."""
    user = User(username="CB90001", first_name="Nguyễn Văn Mới", email="moi@phuong.gov.vn", role=Role.STAFF)
    user.set_unusable_password()
    user.save()
    return user


def issue_code(user: User, monkeypatch: pytest.MonkeyPatch, code: str = "KXR7-M2QD") -> str:
    monkeypatch.setattr(services, "generate_code", lambda: code)
    [issued] = services.activation_codes_issue(users=[user], actor=None)
    return issued.code


def activate(client: Client, username: str, code: str, password: str = GOOD_PASSWORD, again: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:activate"), {"username": username, "code": code, "new_password1": password, "new_password2": again or password})


# --- Printed codes ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_printed_code_sets_the_first_password_and_logs_the_person_in(client, newcomer, monkeypatch):
    code = issue_code(newcomer, monkeypatch)

    response = activate(client, "CB90001", code.lower().replace("-", " "))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    newcomer.refresh_from_db()
    assert newcomer.check_password(GOOD_PASSWORD)
    assert client.session["_auth_user_id"] == str(newcomer.pk)
    assert ActivationCode.objects.get().used_at is not None
    row = AuditEvent.objects.get(action="account.activated")
    assert (row.actor, row.object_id, row.after) == (newcomer, str(newcomer.pk), {"by": "code"})


@pytest.mark.django_db
def test_a_code_works_only_once(client, newcomer, monkeypatch):
    code = issue_code(newcomer, monkeypatch)
    activate(client, "CB90001", code)
    Client().post(reverse("accounts:logout"))

    response = activate(Client(), "CB90001", code, password="một-mật-khẩu-khác-99")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Tên đăng nhập hoặc mã kích hoạt không đúng, hoặc mã đã hết hạn. Hãy kiểm tra lại, hoặc đề nghị bộ phận tổ chức cán bộ cấp mã mới."
    ]
    newcomer.refresh_from_db()
    assert newcomer.check_password(GOOD_PASSWORD)


@pytest.mark.django_db
def test_a_code_expires_after_the_activation_days(client, newcomer, monkeypatch, clock):
    code = issue_code(newcomer, monkeypatch)
    clock.move_to(dt.datetime(2026, 12, 2, 9, 31, tzinfo=dt.timezone(dt.timedelta(hours=7))))

    response = activate(client, "CB90001", code)

    assert response.status_code == 200
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    assert ActivationCode.objects.get().used_at is None


@pytest.mark.django_db
def test_a_code_still_works_on_its_last_day(client, newcomer, monkeypatch, clock):
    code = issue_code(newcomer, monkeypatch)
    clock.move_to(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))))

    assert activate(client, "CB90001", code).status_code == 302


@pytest.mark.django_db
def test_five_wrong_codes_lock_the_code(client, newcomer, monkeypatch):
    code = issue_code(newcomer, monkeypatch)
    for _attempt in range(ActivationCode.MAX_ATTEMPTS):
        activate(client, "CB90001", "AAAA-AAAA")

    response = activate(client, "CB90001", code)

    assert response.status_code == 200
    assert ActivationCode.objects.get().failed_attempts == 5
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


@pytest.mark.django_db
def test_a_new_code_replaces_the_previous_one(client, newcomer, monkeypatch):
    first = issue_code(newcomer, monkeypatch, "AAAA-BBBB")
    second = issue_code(newcomer, monkeypatch, "CCCC-DDDD")

    assert activate(client, "CB90001", first).status_code == 200
    assert activate(client, "CB90001", second).status_code == 302


@pytest.mark.django_db
def test_an_unknown_username_gets_the_same_answer_as_a_wrong_code(client, newcomer, monkeypatch):
    issue_code(newcomer, monkeypatch)

    unknown = activate(client, "KHONGCO", "KXR7-M2QD")
    wrong = activate(client, "CB90001", "ZZZZ-ZZZZ")

    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()


@pytest.mark.django_db
def test_codes_are_issued_only_to_accounts_awaiting_activation(city, newcomer):
    closed = User.objects.create_user(username="dong", password="old-password-1")
    closed.is_active = False
    closed.save()

    issued = services.activation_codes_issue(users=[newcomer, city.staff[0].user, closed], actor=city.hr)

    assert [item.user for item in issued] == [newcomer]
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", issued[0].code)
    assert ActivationCode.objects.get().code_digest == services.code_digest(newcomer.pk, issued[0].code)


# --- E-mailed links ---------------------------------------------------------------------------------------------


def link_path(user: User) -> str:
    return services.activation_link(user, "http://testserver").removeprefix("http://testserver")


@pytest.mark.django_db
def test_an_emailed_link_sets_the_first_password_then_stops_working(client, newcomer):
    path = link_path(newcomer)

    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    newcomer.refresh_from_db()
    assert newcomer.check_password(GOOD_PASSWORD)
    assert client.session["_auth_user_id"] == str(newcomer.pk)
    assert AuditEvent.objects.get(action="account.activated").after == {"by": "link"}
    again = Client().get(path, follow=True)
    assert again.context["validlink"] is False
    assert "Đường dẫn này không còn dùng được" in again.content.decode()


@pytest.mark.django_db
def test_an_emailed_link_expires_after_the_activation_days(client, newcomer, clock):
    path = link_path(newcomer)
    clock.shift(dt.timedelta(days=14, minutes=1))

    assert client.get(path, follow=True).context["validlink"] is False


@pytest.mark.django_db
def test_an_emailed_link_outlives_djangos_three_day_reset_timeout(client, newcomer, clock):
    path = link_path(newcomer)
    clock.shift(dt.timedelta(days=13))

    assert client.get(path, follow=True).context["validlink"] is True


@pytest.mark.django_db
def test_an_emailed_link_dies_once_a_printed_code_set_the_password(client, newcomer, monkeypatch):
    path = link_path(newcomer)
    activate(Client(), "CB90001", issue_code(newcomer, monkeypatch))

    assert client.get(path, follow=True).context["validlink"] is False


@pytest.mark.django_db
def test_links_are_emailed_in_vietnamese_after_the_commit(city, newcomer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.activation_links_send(users=[newcomer, city.staff[0].user], actor=city.hr, base_url="https://telework.example.vn")

    assert sent == [newcomer]
    [message] = mail.outbox
    assert (message.to, message.subject) == (["moi@phuong.gov.vn"], "Kích hoạt tài khoản làm việc tại nhà")
    assert "Kính gửi Nguyễn Văn Mới," in message.body
    assert "Tên đăng nhập: CB90001" in message.body
    assert "hết hạn sau 14 ngày" in message.body
    link = re.search(r"https://telework\.example\.vn/accounts/activate/\S+/\S+/", message.body)
    assert link is not None
    assert Client().get(link.group(0).removeprefix("https://telework.example.vn"), follow=True).context["validlink"] is True


# --- Password policy --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("ngan-qua", "Mật khẩu quá ngắn: cần ít nhất 12 ký tự."),
        ("12345678901234", "Mật khẩu này hoàn toàn là số."),
        ("cb90001-2026", "Mật khẩu quá giống với Tên đăng nhập."),
        ("nguyễn văn mới!", "Mật khẩu quá giống với Tên."),
        ("password1234", "Mật khẩu này quá phổ biến."),
    ],
)
@pytest.mark.django_db
def test_activation_refuses_a_weak_password_in_vietnamese_and_keeps_the_code(client, newcomer, monkeypatch, password, message):
    code = issue_code(newcomer, monkeypatch)

    response = activate(client, "CB90001", code, password=password)

    assert response.status_code == 200
    assert message in response.context["form"].errors["new_password1"]
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    assert ActivationCode.objects.get().used_at is None
    assert ActivationCode.objects.get().failed_attempts == 0


@pytest.mark.django_db
def test_activation_refuses_two_different_passwords(client, newcomer, monkeypatch):
    response = activate(client, "CB90001", issue_code(newcomer, monkeypatch), again="khac-hoan-toan-2026")

    assert response.context["form"].errors["new_password2"] == ["Hai mật khẩu không giống nhau."]


@pytest.mark.django_db
def test_changing_the_password_applies_the_policy(city, client):
    user = city.staff[0].user
    client.force_login(user)
    url = reverse("accounts:password_change")

    refused = client.post(url, {"old_password": "password123", "new_password1": "1234567890", "new_password2": "1234567890"})
    assert refused.status_code == 200
    user.refresh_from_db()
    assert user.check_password("password123")

    changed = client.post(url, {"old_password": "password123", "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert changed["Location"] == reverse("portal:home")
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)
    assert client.get(reverse("portal:home")).status_code == 200  # still logged in on this device


@pytest.mark.django_db
def test_the_change_password_page_is_linked_from_every_page(city, client):
    client.force_login(city.staff[0].user)

    assert reverse("accounts:password_change") in client.get(reverse("portal:home")).content.decode()


# --- Forgotten password -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_forgot_password_emails_a_vietnamese_link_that_resets_the_password(city, client):
    user = city.staff[0].user
    user.email = "le.van.0@example.gov.vn"
    user.save()

    response = client.post(reverse("accounts:password_reset"), {"email": "le.van.0@example.gov.vn"})

    assert response["Location"] == reverse("accounts:password_reset_done")
    [message] = mail.outbox
    assert message.subject == "Đặt lại mật khẩu làm việc tại nhà"
    assert f"Tên đăng nhập: {user.username}" in message.body
    path = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", message.body).group(1)  # type: ignore[union-attr]
    form_page = client.get(path, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)


@pytest.mark.django_db
def test_forgot_password_answers_the_same_for_an_unknown_address(city, client):
    known = client.post(reverse("accounts:password_reset"), {"email": city.staff[0].user.email or "x@example.gov.vn"}, follow=True)
    mail.outbox.clear()

    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.gov.vn"}, follow=True)

    assert mail.outbox == []
    assert unknown.redirect_chain == known.redirect_chain
    assert "Nếu địa chỉ này thuộc một tài khoản đang hoạt động" in unknown.content.decode()


@pytest.mark.django_db
def test_the_login_page_leads_to_forgot_password_and_activation(client):
    text = client.get(reverse("accounts:login")).content.decode()

    assert reverse("accounts:password_reset") in text
    assert reverse("accounts:activate") in text
    assert "Quên mật khẩu?" in text


# --- Deactivation -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_closing_an_account_ends_its_sessions_tokens_and_codes(city, client, newcomer, monkeypatch):
    user = city.staff[0].user
    client.login(username=user.username, password="password123")
    other_device = Client()
    other_device.login(username=user.username, password="password123")
    bystander = Client()
    bystander.force_login(city.staff[1].user)
    _token, key = ApiToken.issue(user=user, name="điện thoại")
    issue_code(newcomer, monkeypatch)

    services.deactivate_account(user=user, actor=city.hr, reason="Nghỉ hưu")

    user.refresh_from_db()
    assert user.is_active is False
    assert client.get(reverse("portal:home"))["Location"].startswith(reverse("accounts:login"))
    assert other_device.get(reverse("portal:home")).status_code == 302
    assert bystander.get(reverse("portal:home")).status_code == 200
    assert Session.objects.count() == 1
    assert ApiToken.objects.get().revoked_at is not None
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert ActivationCode.objects.get(user=newcomer).revoked_at is None  # someone else's code is untouched
    row = AuditEvent.objects.get(action="account.deactivate")
    assert (row.actor, row.reason, row.after) == (city.hr, "Nghỉ hưu", {"is_active": False, "sessions_ended": 2, "tokens_revoked": 1})


@pytest.mark.django_db
def test_a_closed_account_cannot_log_in(city, client):
    user = city.staff[0].user
    services.deactivate_account(user=user, actor=city.hr, reason="Chuyển công tác")

    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "password123"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_session_left_behind_by_an_inactive_user_is_logged_out(city, client):
    """Should a session survive (another session store, a race), the authentication middleware still refuses an
    inactive user: ModelBackend.get_user checks is_active on every request."""
    user = city.staff[0].user
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = client.get(reverse("portal:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_closing_an_account_needs_a_reason_and_never_ones_own(city):
    user = city.staff[0].user
    with pytest.raises(ValidationFailed):
        services.deactivate_account(user=user, actor=city.hr, reason="  ")
    with pytest.raises(InvalidTransition):
        services.deactivate_account(user=city.hr, actor=city.hr, reason="Thử")
    user.refresh_from_db()
    city.hr.refresh_from_db()
    assert (user.is_active, city.hr.is_active) == (True, True)
    assert not AuditEvent.objects.filter(action="account.deactivate").exists()


@pytest.mark.django_db
def test_a_closed_account_reopens_with_its_old_password(city, client):
    user = city.staff[0].user
    services.deactivate_account(user=user, actor=city.hr, reason="Nghỉ việc")

    services.reactivate_account(user=user, actor=city.hr, reason="Được tiếp nhận lại")

    assert client.login(username=user.username, password="password123")
    assert list(AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True).order_by("pk")) == [
        "account.deactivate",
        "account.reactivate",
    ]


@pytest.mark.django_db
def test_the_password_rules_are_shown_in_the_readers_language(client):
    assert "Mật khẩu của bạn phải chứa ít nhất 12 ký tự." in client.get(reverse("accounts:activate")).content.decode()

    client.cookies["django_language"] = "en"
    assert "Your password must contain at least 12 characters." in client.get(reverse("accounts:activate")).content.decode()


@pytest.mark.django_db
def test_closing_an_account_awaiting_activation_kills_its_printed_code(city, client, newcomer, monkeypatch):
    code = issue_code(newcomer, monkeypatch)

    services.deactivate_account(user=newcomer, actor=city.hr, reason="Không nhận công tác")

    assert ActivationCode.objects.get().revoked_at is not None
    assert activate(client, "CB90001", code).status_code == 200
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
