"""The two-step login leaves its trail on the person's account: set up, new recovery codes, a recovery code used, and a
reset by HR (a lost phone) — each read by those who may see the person, and by nobody else."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from telework.accounts.services import reset_second_factor
from telework.core.exceptions import DomainError
from telework.core.models import AuditEvent
from telework.portal.audit_views import audit_visible_events

pytestmark = pytest.mark.django_db
PASSWORD = "password123"


def log_in(user, address="10.7.7.7") -> Client:
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=address).status_code == 302
    return client


def enrol(client, user) -> list[str]:
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return client.post(reverse("accounts:two_factor"), {"code": f"{totp(device.bin_key):06d}"}).context["recovery_codes"]


def trail(user) -> list[tuple[str, dict]]:
    return [(row.action, row.after) for row in AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk)).order_by("id")]


def test_set_up_new_codes_and_a_recovery_code_used_are_on_the_persons_trail(city):
    member = city.staff[0].user
    client = log_in(member)
    codes = enrol(client, member)
    client.post(reverse("accounts:two_factor"), {"action": "recovery"})
    new_codes = list(StaticToken.objects.filter(device__user=member).values_list("token", flat=True))
    assert codes[0] not in new_codes

    other = log_in(member, address="10.7.7.8")
    assert other.post(reverse("accounts:verify"), {"code": new_codes[0], "next": "/"}).status_code == 302

    assert trail(member) == [
        ("account.second_factor_enrolled", {"recovery_codes": 10}),
        ("account.recovery_codes_issued", {"recovery_codes": 10}),
        ("account.recovery_code_used", {"recovery_codes_left": 9}),
    ]
    # Read by the agency's HR office, who may see the person; not by someone of another agency.
    rows = AuditEvent.objects.filter(object_id=str(member.pk), action__startswith="account.")
    assert set(audit_visible_events(viewer=city.hr).filter(pk__in=rows).values_list("action", flat=True)) == {
        "account.second_factor_enrolled",
        "account.recovery_codes_issued",
        "account.recovery_code_used",
    }
    assert not audit_visible_events(viewer=city.outsider.user).filter(pk__in=rows).exists()
    # The audit page names the actions in words.
    page = log_in(city.hr, address="10.7.7.9").get(reverse("portal:audit"), {"action": "account.recovery_code_used"})
    assert "Đăng nhập bằng mã khôi phục" in page.content.decode()


@override_settings(SECOND_FACTOR_REQUIRED=True)
def test_hr_resets_a_lost_phone_and_the_person_sets_it_up_again(city):
    staff = city.head
    person = staff.user
    person.role = "agency_head"
    person.save(update_fields=["role"])
    phone = log_in(person)
    enrol(phone, person)
    hr = log_in(city.hr, address="10.7.7.10")
    enrol(hr, city.hr)  # HR's own two-step login first: it is a privileged role too

    refused = hr.post(reverse("organization:account_reset_second_factor", args=[staff.pk]), {"reason": ""}, follow=True)
    assert "Hãy nêu lý do đặt lại đăng nhập hai bước." in refused.content.decode()
    assert TOTPDevice.objects.filter(user=person).exists()

    done = hr.post(reverse("organization:account_reset_second_factor", args=[staff.pk]), {"reason": "Mất điện thoại"}, follow=True)
    assert "người này sẽ cài đặt lại ở lần đăng nhập tới" in done.content.decode()
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticToken.objects.filter(device__user=person).exists()
    # The session of the lost phone has ended; the next login sets the two-step login up again.
    assert phone.get(reverse("portal:home"))["Location"].startswith(reverse("accounts:login"))
    assert log_in(person, address="10.7.7.11").get(reverse("portal:home"))["Location"].startswith(reverse("accounts:two_factor"))
    row = AuditEvent.objects.get(action="account.second_factor_reset")
    assert (row.actor_id, row.reason, row.after["authenticators_removed"], row.after["recovery_codes_removed"]) == (city.hr.pk, "Mất điện thoại", 1, 10)
    assert row.after["sessions_ended"] >= 1


def test_nobody_resets_their_own_second_factor_and_other_agencies_cannot_reach_it(city):
    with pytest.raises(DomainError):
        reset_second_factor(user=city.hr, actor=city.hr, reason="tự đặt lại")
    outsider_hr = city.outsider.user
    outsider_hr.role = "agency_hr"
    outsider_hr.save(update_fields=["role"])
    response = log_in(outsider_hr).post(reverse("organization:account_reset_second_factor", args=[city.staff[0].pk]), {"reason": "x"})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="account.second_factor_reset").exists()


def test_the_operator_resets_from_the_command_line(city):
    member = city.staff[1].user
    enrol(log_in(member), member)
    call_command("reset_second_factor", member.username, reason="Quản trị viên duy nhất mất điện thoại")
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert AuditEvent.objects.get(action="account.second_factor_reset").actor_id is None
    with pytest.raises(CommandError):
        call_command("reset_second_factor", "nobody-here", reason="x")
