"""The preferences page: a person chooses, per kind of message, whether e-mail brings it too."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from telework.core.models import NotificationCategory, NotificationPreferences
from telework.core.notifications import notify_user

URL = "/preferences/"


def test_the_page_is_for_people_who_are_logged_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_page_shows_every_category_with_the_defaults_in_vietnamese(client, city):
    member = city.staff[0]
    client.force_login(member.user)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tùy chọn thông báo" in page
    assert f"Thư điện tử được gửi tới <strong>{member.email}</strong>." in page
    for label in ("Đề nghị và quyết định", "Lịch phân công được công bố hoặc thay đổi", "Tài khoản và bảo mật", "Nhắc nhở chấm công"):
        assert label in page
    # Keys never reach the screen as text: only as form values.
    assert ">approvals<" not in page
    rows = {row.category: row for row in response.context["rows"]}
    assert [(cell.channel, cell.is_on) for cell in rows["approvals"].cells] == [("in_app", True), ("email", True)]
    assert [(cell.channel, cell.is_on) for cell in rows["rosters"].cells] == [("in_app", True), ("email", False)]
    assert 'value="approvals:email"' in page
    assert 'value="account:email"' in page


def test_saving_turns_email_off_for_approvals_and_on_for_rosters(client, city, django_capture_on_commit_callbacks):
    member = city.staff[0].user
    client.force_login(member)
    ticked = [f"{category}:email" for category in ("work_alerts", "attendance", "emergency", "general", "rosters")]
    response = client.post(URL, {"on": ticked, "language": "en"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Đã lưu tùy chọn thông báo của bạn." in response.content.decode()
    preferences = NotificationPreferences.objects.get(user=member)
    assert (preferences.channels, preferences.language) == ({"approvals": {"email": False}, "rosters": {"email": True}}, "en")

    with django_capture_on_commit_callbacks(execute=True):
        notify_user(member, key="decision", title="Đã duyệt", category=NotificationCategory.APPROVALS)
        notify_user(member, key="roster", title="Lịch tuần", category=NotificationCategory.ROSTERS)
    assert [message.subject for message in mail.outbox] == ["Lịch tuần"]


def test_account_messages_stay_on_even_when_the_form_leaves_them_out(client, city):
    member = city.staff[0].user
    client.force_login(member)
    client.post(URL, {"language": "vi"})
    preferences = NotificationPreferences.objects.get(user=member)
    assert "account" not in preferences.channels
    assert preferences.channels["approvals"] == {"email": False}


@pytest.mark.parametrize("language", ["fr", "<script>"])
def test_an_unknown_language_falls_back_to_the_systems(client, city, language):
    member = city.staff[0].user
    client.force_login(member)
    client.post(URL, {"on": ["approvals:email"], "language": language})
    assert NotificationPreferences.objects.get(user=member).language == ""


def test_the_notifications_page_links_to_the_preferences(client, city):
    client.force_login(city.staff[0].user)
    assert f'href="{URL}"' in client.get(reverse("core:notifications")).content.decode()
