"""Notifications reach people in the app at once, and by the channels they chose for each category once the action
that caused them has committed."""

from __future__ import annotations

import smtplib
import zoneinfo

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from telework.core import notifications
from telework.core.models import Notification, NotificationCategory, NotificationPreferences
from telework.core.notifications import EMAIL, IN_APP, notify_user

FROZEN_ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RecordingChannel:
    """A third channel as an operator would add one (SMS, Zalo): here it keeps what it was asked to send."""

    name = "sms"
    label = "SMS"
    default_categories = frozenset({NotificationCategory.EMERGENCY})

    def __init__(self):
        self.sent: list[tuple[str, str]] = []

    def deliver(self, notification, user):
        self.sent.append((user.username, notification.title))
        return True


@pytest.fixture
def member(city):
    person = city.staff[0]
    person.user.email = "le.van.0@example.gov.vn"
    person.user.save(update_fields=["email"])
    return person.user


def tell(user, category, key="k1"):
    return notify_user(user, key=key, title="Đơn đăng ký của bạn đã được duyệt", body="Đồng ý", url="/registrations/1/", category=category)


def test_a_decision_is_in_the_app_at_once_and_emailed_only_after_the_commit(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(member, NotificationCategory.APPROVALS)
        assert Notification.objects.filter(user=member).count() == 1
        assert mail.outbox == []
    assert [(message.to, message.subject) for message in mail.outbox] == [(["le.van.0@example.gov.vn"], "Đơn đăng ký của bạn đã được duyệt")]
    notification.refresh_from_db()
    assert notification.category == "approvals"
    assert set(notification.deliveries) == {EMAIL}
    assert notification.emailed_at.astimezone(FROZEN_ZONE).strftime("%Y-%m-%d %H:%M").startswith("2026-11-18 09:3")  # the clock ticks


def approve_then_fail(user):
    """An action that notifies, then fails before it commits."""
    with transaction.atomic():
        tell(user, NotificationCategory.APPROVALS)
        raise RuntimeError("the approval failed after notifying")


def test_a_rolled_back_action_sends_nothing(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        approve_then_fail(member)
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_the_email_is_in_vietnamese_by_default_with_an_absolute_link(member, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://telework.hochiminhcity.gov.vn"
    with django_capture_on_commit_callbacks(execute=True):
        tell(member, NotificationCategory.APPROVALS)
    assert mail.outbox[0].body == (
        "Đơn đăng ký của bạn đã được duyệt\n"
        "\n"
        "Đồng ý\n"
        "\n"
        "Mở trong hệ thống làm việc tại nhà: https://telework.hochiminhcity.gov.vn/registrations/1/\n"
        "\n"
        "-- \n"
        "Thư này do hệ thống làm việc tại nhà gửi.\n"
        "Chọn những thông báo được gửi qua thư điện tử: https://telework.hochiminhcity.gov.vn/preferences/\n"
    )


def test_the_email_speaks_the_language_the_person_chose(member, django_capture_on_commit_callbacks):
    NotificationPreferences.objects.create(user=member, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        tell(member, NotificationCategory.APPROVALS)
    body = mail.outbox[0].body
    assert "Open it in the telework system: http://127.0.0.1:8000/registrations/1/\n" in body
    assert "Choose which messages reach you by e-mail: http://127.0.0.1:8000/preferences/\n" in body


@pytest.mark.parametrize(
    ("category", "is_emailed"),
    [
        (NotificationCategory.APPROVALS, True),
        (NotificationCategory.WORK_ALERTS, True),
        (NotificationCategory.ATTENDANCE, True),
        (NotificationCategory.EMERGENCY, True),
        (NotificationCategory.ACCOUNT, True),
        (NotificationCategory.GENERAL, True),
        (NotificationCategory.ROSTERS, False),
        (NotificationCategory.COMMENTS, False),
    ],
)
def test_by_default_email_carries_decisions_and_alerts_and_rosters_and_comments_stay_in_the_app(
    member, django_capture_on_commit_callbacks, category, is_emailed
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(member, category)
    notification.refresh_from_db()
    assert (len(mail.outbox), EMAIL in notification.deliveries) == ((1, True) if is_emailed else (0, False))
    assert Notification.objects.filter(user=member, category=category).count() == 1


def test_a_person_who_turns_email_off_for_approvals_still_gets_alerts_by_email(member, django_capture_on_commit_callbacks):
    notifications.preferences_save(user=member, switched_on=[("work_alerts", EMAIL), ("rosters", EMAIL)], language="")
    with django_capture_on_commit_callbacks(execute=True):
        decision = tell(member, NotificationCategory.APPROVALS, key="decision")
        roster = tell(member, NotificationCategory.ROSTERS, key="roster")
        alert = tell(member, NotificationCategory.WORK_ALERTS, key="alert")
    assert len(mail.outbox) == 2
    assert {key: bool(Notification.objects.get(pk=item.pk).deliveries) for key, item in (("decision", decision), ("roster", roster), ("alert", alert))} == {
        "decision": False,
        "roster": True,
        "alert": True,
    }
    # Only the differences from the defaults are stored.
    assert NotificationPreferences.objects.get(user=member).channels == {
        "approvals": {EMAIL: False},
        "rosters": {EMAIL: True},
        "attendance": {EMAIL: False},
        "emergency": {EMAIL: False},
        "general": {EMAIL: False},
    }


def test_account_and_security_messages_cannot_be_switched_off(member, django_capture_on_commit_callbacks):
    notifications.preferences_save(user=member, switched_on=[], language="")
    with django_capture_on_commit_callbacks(execute=True):
        tell(member, NotificationCategory.ACCOUNT)
    assert len(mail.outbox) == 1
    account_row = next(row for row in notifications.preference_table(member) if row.category == "account")
    assert [(cell.channel, cell.is_on, cell.is_locked) for cell in account_row.cells] == [(IN_APP, True, True), (EMAIL, True, True)]


def test_without_an_account_address_the_email_goes_to_the_staff_record_address(city, django_capture_on_commit_callbacks):
    person = city.staff[1]
    assert (person.user.email, bool(person.email)) == ("", True)
    with django_capture_on_commit_callbacks(execute=True):
        tell(person.user, NotificationCategory.APPROVALS)
    assert [message.to for message in mail.outbox] == [[person.email]]


def test_without_any_address_the_message_stays_in_the_app(city, django_capture_on_commit_callbacks):
    person = city.staff[1]
    person.email = ""
    person.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(person.user, NotificationCategory.APPROVALS)
    notification.refresh_from_db()
    assert (mail.outbox, notification.deliveries) == ([], {})


def test_a_mail_server_that_is_down_fails_nothing_and_records_no_email(member, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "telework.core.tests.test_notifications.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(member, NotificationCategory.APPROVALS)
    notification.refresh_from_db()
    assert notification.deliveries == {}
    assert Notification.objects.filter(user=member).count() == 1


def test_email_switched_off_for_the_site_sends_nothing(member, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(member, NotificationCategory.APPROVALS)
    notification.refresh_from_db()
    assert notification.deliveries == {}


def test_a_delivery_handled_twice_emails_once(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(member, NotificationCategory.APPROVALS)
    assert notifications.deliver(notification.pk) == []
    assert len(mail.outbox) == 1


def test_the_same_key_twice_writes_one_row_and_sends_one_email(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell(member, NotificationCategory.APPROVALS)
        tell(member, NotificationCategory.APPROVALS)
    assert (Notification.objects.filter(user=member).count(), len(mail.outbox)) == (1, 1)


def test_an_inactive_account_gets_no_email(member, django_capture_on_commit_callbacks):
    member.is_active = False
    member.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        tell(member, NotificationCategory.APPROVALS)
    assert mail.outbox == []


def test_a_registered_channel_delivers_its_default_categories_and_appears_on_the_preferences(member, django_capture_on_commit_callbacks):
    sms = RecordingChannel()
    notifications.register_channel(sms)
    try:
        assert [channel.name for channel in notifications.channels()] == [IN_APP, EMAIL, "sms"]
        with django_capture_on_commit_callbacks(execute=True):
            switch = tell(member, NotificationCategory.EMERGENCY, key="switch")
            tell(member, NotificationCategory.APPROVALS, key="decision")
        assert sms.sent == [(member.username, "Đơn đăng ký của bạn đã được duyệt")]
        switch.refresh_from_db()
        assert set(switch.deliveries) == {EMAIL, "sms"}
        emergency = next(row for row in notifications.preference_table(member) if row.category == "emergency")
        assert [(cell.channel, cell.is_on) for cell in emergency.cells] == [(IN_APP, True), (EMAIL, True), ("sms", True)]
    finally:
        notifications.unregister_channel("sms")
    assert [channel.name for channel in notifications.channels()] == [IN_APP, EMAIL]


def test_the_registry_refuses_what_is_not_a_channel_and_keeps_the_built_ins():
    with pytest.raises(TypeError, match="not a notification channel"):
        notifications.register_channel(object())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cannot be removed"):
        notifications.unregister_channel(EMAIL)


def test_the_in_app_channel_is_always_on_whatever_is_stored():
    in_app, email = notifications.channels()
    stored = {"rosters": {IN_APP: False, EMAIL: True}}
    assert notifications.chosen(stored, in_app, "rosters") is True
    assert notifications.chosen(stored, email, "rosters") is True
    assert notifications.chosen({}, email, "rosters") is False
    assert notifications.chosen({"account": {EMAIL: False}}, email, "account") is True


def test_one_transaction_queues_one_delivery_for_all_its_notifications(city, django_capture_on_commit_callbacks):
    people = [member.user for member in city.staff[:3]]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for user in people:
            tell(user, NotificationCategory.APPROVALS)
    assert len(callbacks) == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(member.email for member in city.staff[:3])


def test_a_batch_rolled_back_does_not_swallow_the_next_transactions_notifications(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        approve_then_fail(member)
    with django_capture_on_commit_callbacks(execute=True):
        tell(member, NotificationCategory.APPROVALS, key="second")
    assert [message.to for message in mail.outbox] == [["le.van.0@example.gov.vn"]]
    with django_capture_on_commit_callbacks(execute=True):
        tell(member, NotificationCategory.APPROVALS, key="third")
    assert len(mail.outbox) == 2


def test_muted_deliveries_write_the_app_row_and_send_nothing(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, notifications.deliveries_muted():
        notification = tell(member, NotificationCategory.APPROVALS)
    assert (callbacks, mail.outbox) == ([], [])
    assert Notification.objects.get(pk=notification.pk).deliveries == {}


def test_the_notifications_page_marks_what_was_also_emailed(client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell(member, NotificationCategory.APPROVALS, key="emailed")
        tell(member, NotificationCategory.ROSTERS, key="in-app-only")
    client.force_login(member)
    page = client.get("/notifications/").content.decode()
    assert page.count("bi-envelope-check") == 1
    assert 'title="Đã gửi thêm qua thư điện tử lúc 18/11/2026 09:3' in page  # the clock ticks from 09:30


def test_long_background_work_emails_its_notices_only_when_it_is_done(member, city, django_capture_on_commit_callbacks):
    """A city-wide switch's follow-up notifies as it goes; the e-mails leave together once it ends, not beside it."""
    other = city.staff[1].user
    other.email = "tran.thi.1@example.gov.vn"
    other.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        with notifications.deliveries_deferred():
            tell(member, NotificationCategory.EMERGENCY, key="switch-1")
            tell(other, NotificationCategory.EMERGENCY, key="switch-1")
            assert Notification.objects.count() == 2
            assert transaction.get_connection().run_on_commit == []  # no delivery queued yet
        assert len(transaction.get_connection().run_on_commit) == 1  # one delivery for both, queued as the work ends
    assert sorted(message.to[0] for message in mail.outbox) == ["le.van.0@example.gov.vn", "tran.thi.1@example.gov.vn"]
