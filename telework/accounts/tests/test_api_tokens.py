"""API tokens expire (at most 90 days) and carry a scope enforced for every route: read (GET), check-in (the phone's
own day) or write; a check-in token cannot approve or decide anything. Requests are throttled per token and per
address, with 429 and Retry-After."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from telework.accounts.models import ApiToken, TokenScope
from telework.attendance.models import CheckIn
from telework.registrations.models import Registration

pytestmark = pytest.mark.django_db


def bearer(user, scope=TokenScope.WRITE, days=90):
    _token, key = ApiToken.issue(user=user, name="điện thoại", scope=scope, days=days)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def phone():
    return Client(enforce_csrf_checks=True)


def test_a_token_lives_ninety_days_by_default_and_never_longer(city):
    token, _key = ApiToken.issue(user=city.staff[0].user, name="điện thoại")
    assert abs(token.expires_at - token.created_at - dt.timedelta(days=90)) < dt.timedelta(seconds=1)
    with pytest.raises(ValueError, match="1 to 90 days"):
        ApiToken.issue(user=city.staff[0].user, name="điện thoại", days=91)


def test_an_expired_token_is_refused_with_the_date_it_expired(city, phone, clock):
    headers = bearer(city.staff[0].user, days=7)
    assert phone.get("/api/me", **headers).status_code == 200
    clock.shift(dt.timedelta(days=7, seconds=1))
    refused = phone.get("/api/me", **headers)
    assert refused.status_code == 401
    assert refused.json()["message"] == "Mã truy cập API này đã hết hạn lúc 25/11/2026 09:30. Hãy tạo mã mới trong Tài khoản → Mã truy cập API."
    check_in = phone.post("/api/attendance/check-in", {"mode": "office"}, content_type="application/json", **headers)
    assert check_in.status_code == 401
    assert "hết hạn" in check_in.json()["message"]
    assert not CheckIn.objects.exists()


def test_a_check_in_token_checks_in_but_cannot_read_approve_or_decide(city, phone):
    headers = bearer(city.head.user, scope=TokenScope.CHECK_IN)
    checked_in = phone.post("/api/attendance/check-in", {"mode": "office"}, content_type="application/json", **headers)
    assert checked_in.status_code == 201
    assert phone.post("/api/attendance/check-out", {"note": ""}, content_type="application/json", **headers).status_code == 200

    for method, path in [
        ("post", "/api/registrations/1/approve"),
        ("post", "/api/registrations/1/reject"),
        ("post", "/api/evaluations/1/decide"),
        ("post", "/api/registrations"),
        ("get", "/api/me"),
    ]:
        refused = getattr(phone, method)(path, {}, content_type="application/json", **headers) if method == "post" else phone.get(path, **headers)
        assert refused.status_code == 403, path
        body = refused.json()
        assert (body["code"], body["rule"]) == ("not_permitted", "token_scope")
        assert body["message"].startswith("Mã này chỉ dùng để chấm công")


def test_a_read_token_reads_but_changes_nothing(city, phone):
    headers = bearer(city.staff[0].user, scope=TokenScope.READ)
    assert phone.get("/api/me", **headers).status_code == 200
    refused = phone.post("/api/registrations", {}, content_type="application/json", **headers)
    assert refused.status_code == 403
    assert refused.json()["rule"] == "token_scope"
    check_in = phone.post("/api/attendance/check-in", {"mode": "office"}, content_type="application/json", **headers)
    assert check_in.status_code == 403
    assert not CheckIn.objects.exists()
    assert not Registration.objects.exists()


def test_a_write_token_and_an_older_full_token_do_what_their_user_may(city, phone):
    for scope in (TokenScope.WRITE, TokenScope.FULL):
        headers = bearer(city.staff[0].user, scope=scope)
        assert phone.get("/api/me", **headers).status_code == 200
        # Past the scope check: the body is judged (422), not the token.
        assert phone.post("/api/registrations", {}, content_type="application/json", **headers).status_code == 422


def test_the_tokens_page_shows_scope_and_expiry_and_bounds_the_lifetime(city, client):
    client.force_login(city.staff[0].user)
    created = client.post(reverse("accounts:tokens"), {"name": "Điện thoại", "scope": "check_in", "days": "30"})
    token = ApiToken.objects.get()
    assert token.scope == TokenScope.CHECK_IN
    assert abs(token.expires_at - token.created_at - dt.timedelta(days=30)) < dt.timedelta(seconds=1)
    page = created.content.decode()
    assert "Chỉ chấm công (điện thoại)" in page
    assert "18/12/2026" in page  # 30 days from the frozen 18/11/2026
    refused = client.post(reverse("accounts:tokens"), {"name": "Máy tính", "scope": "write", "days": "365"})
    assert "Mã truy cập có hiệu lực từ 1 đến 90 ngày." in refused.content.decode()
    full = client.post(reverse("accounts:tokens"), {"name": "Máy tính", "scope": "full"})
    assert "Bạn không được cấp mã truy cập với phạm vi này." in full.content.decode()
    assert ApiToken.objects.count() == 1


LIMITS = {"token": "3/min", "address": "5/min"}


@override_settings(API_THROTTLE_RATES=LIMITS)
def test_requests_beyond_the_rate_of_a_token_get_429_with_retry_after(city, phone):
    cache.clear()
    headers = bearer(city.staff[0].user, scope=TokenScope.READ)
    assert [phone.get("/api/me", **headers).status_code for _ in range(3)] == [200, 200, 200]
    refused = phone.get("/api/me", **headers)
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_requests"
    assert refused.json()["message"].startswith("Quá nhiều yêu cầu.")
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another token from another address is not held back by this one.
    other = bearer(city.staff[1].user, scope=TokenScope.READ)
    assert phone.get("/api/me", REMOTE_ADDR="10.0.0.9", **other).status_code == 200


@override_settings(API_THROTTLE_RATES=LIMITS)
def test_requests_beyond_the_rate_of_an_address_get_429_whatever_the_token(city, phone, clock):
    cache.clear()
    statuses = [phone.get("/api/me", REMOTE_ADDR="10.0.0.7", **bearer(member.user, scope=TokenScope.READ)).status_code for member in city.staff[:6]]
    assert statuses == [200, 200, 200, 200, 200, 429]
    # The check-in route (which reads its own token) is throttled too.
    check_in = phone.post("/api/attendance/check-in", {"mode": "office"}, content_type="application/json", REMOTE_ADDR="10.0.0.7", **bearer(city.head.user))
    assert check_in.status_code == 429
    assert "Retry-After" in check_in
    # A forged X-Forwarded-For does not open a new allowance (no trusted proxy is configured).
    forged = phone.get("/api/me", REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="203.0.113.5", **bearer(city.staff[6].user, scope=TokenScope.READ))
    assert forged.status_code == 429
    clock.shift(dt.timedelta(minutes=1))
    assert phone.get("/api/me", REMOTE_ADDR="10.0.0.7", **bearer(city.staff[7].user, scope=TokenScope.READ)).status_code == 200


@pytest.mark.redis
def test_the_rate_limits_hold_in_a_shared_redis_cache(city, phone, clock, redis_url):
    # Production shares the counts in Redis (TELEWORK_CACHE_URL); a window opens with its first request and the next
    # ones count on (RateLimit.count), for a token and for an address alike.
    redis_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    with override_settings(CACHES=redis_cache, API_THROTTLE_RATES=LIMITS):
        cache.clear()
        headers = bearer(city.staff[0].user, scope=TokenScope.READ)
        assert [phone.get("/api/me", REMOTE_ADDR="10.0.0.1", **headers).status_code for _ in range(4)] == [200, 200, 200, 429]
        statuses = [phone.get("/api/me", REMOTE_ADDR="10.0.0.7", **bearer(member.user, scope=TokenScope.READ)).status_code for member in city.staff[1:7]]
        assert statuses == [200, 200, 200, 200, 200, 429]
        check_in = phone.post("/api/attendance/check-in", {"mode": "office"}, content_type="application/json", REMOTE_ADDR="10.0.0.8", **bearer(city.head.user))
        assert check_in.status_code == 201
        clock.shift(dt.timedelta(minutes=1))
        assert phone.get("/api/me", REMOTE_ADDR="10.0.0.1", **headers).status_code == 200
        cache.clear()


@override_settings(
    API_THROTTLE_RATES=LIMITS,
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}},
)
def test_a_check_in_goes_through_while_the_shared_cache_of_the_rate_limits_is_down(city, phone):
    # Production counts the rate limits in Redis (TELEWORK_CACHE_URL); Redis restarting must not refuse check-ins.
    check_in = phone.post(
        "/api/attendance/check-in", {"mode": "office"}, content_type="application/json", **bearer(city.staff[0].user, scope=TokenScope.CHECK_IN)
    )
    assert check_in.status_code == 201
    assert CheckIn.objects.filter(staff=city.staff[0]).count() == 1
