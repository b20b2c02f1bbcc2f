"""Single sign-on with the province's identity provider, against a real OpenID Connect provider (django-oauth-toolkit
in a subprocess, RS256 key generated at its start): the authorization-code flow over real HTTP, the person matched by
staff code, refusals in words, tampered and expired tokens, the second factor and the provider's logout."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from telework.accounts import oidc
from telework.accounts.models import Role, User
from telework.accounts.services import deactivate_account
from telework.core.models import AuditEvent
from telework.organization.audit_subjects import visible_accounts
from telework.organization.tests.factories import StaffFactory, UserFactory
from telework.organization.tests.oidc_provider.provider import Provider, log_in_at_provider, running_provider

pytestmark = pytest.mark.django_db
BACK = "http://testserver/accounts/sso/callback/"
PEOPLE = {
    "079100000001": {"password": "provider-pass-1", "staff_code": "SSO-AN", "email": "an@so.gov.vn", "email_verified": True},
    "079100000002": {"password": "provider-pass-2", "staff_code": "SSO-NOBODY"},
    "079100000003": {"password": "provider-pass-3", "staff_code": "SSO-CHI"},
    "079100000004": {"password": "provider-pass-4", "staff_code": "SSO-DUNG", "acr": "urn:tinh:loa:3", "amr": ["pwd", "otp"]},
    "079100000005": {"password": "provider-pass-5", "email": "em@so.gov.vn", "email_verified": True},
}


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider(people=PEOPLE, redirect_uris=[BACK], post_logout_redirect_uris=["http://testserver/accounts/login/"]) as started:
        yield started


@pytest.fixture
def sso(provider: Provider, clock) -> Iterator[Provider]:
    """Single sign-on on, pointed at the test provider (its endpoints from its discovery document)."""
    provider.sync_clock()
    oidc.forget_discovery()
    with override_settings(**provider.settings()):
        yield provider
    oidc.forget_discovery()


def sign_in(client: Client, username: str, *, before_callback=None):
    """The whole flow as a browser does it: our button, the provider's login over HTTP, back to our callback."""
    start = client.get(reverse("sso:login"))
    assert start.status_code == 302
    back = log_in_at_provider(start["Location"], username=username, password=PEOPLE[username]["password"], back_to=BACK)
    if before_callback is not None:
        before_callback()
    return client.get(back, follow=True)


def page_text(response) -> str:
    return response.content.decode()


def test_the_login_page_offers_single_sign_on_only_when_it_is_configured(client, sso):
    assert "Đăng nhập bằng tài khoản một cửa/định danh của tỉnh" in page_text(client.get(reverse("accounts:login")))
    with override_settings(OIDC_ENABLED=False):
        assert "định danh của tỉnh" not in page_text(client.get(reverse("accounts:login")))
        assert client.get(reverse("sso:login")).status_code == 404
        assert client.get(reverse("sso:callback"), {"code": "x", "state": "y"}).status_code == 404


def test_a_known_staff_code_signs_in_as_that_staff_member(client, sso):
    member = StaffFactory(code="SSO-AN", full_name="Trần Thị An")
    response = sign_in(client, "079100000001")
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert int(client.session["_auth_user_id"]) == member.user.pk
    row = AuditEvent.objects.get(action="account.sso_login")
    assert row.object_id == str(member.user.pk)
    assert row.after["matched_by"] == "staff_code"
    assert row.after["staff_code"] == "SSO-AN"
    assert row.after["provider_mfa"] is False
    # Read by those who may see the person, as the account's other rows.
    assert visible_accounts(member.user).filter(pk=member.user.pk).exists()


def test_an_unknown_staff_code_is_refused_in_words_and_audited(client, sso):
    StaffFactory(code="SSO-AN")
    response = sign_in(client, "079100000002")
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "Cổng định danh của tỉnh gửi mã cán bộ “SSO-NOBODY”, mã này không có trong danh sách cán bộ" in page_text(response)
    assert "_auth_user_id" not in client.session
    row = AuditEvent.objects.get(action="account.sso_refused")
    assert row.after == {"refusal": "unknown_code", "code": "SSO-NOBODY"}
    assert row.object_id == "0"  # no account: read only by the roles that read the whole trail
    # The city-wide trail lists it, in words.
    admin = UserFactory(username="quantri", role=Role.SYSTEM_ADMIN)
    reader = Client()
    reader.force_login(admin)
    page = page_text(reader.get(reverse("portal:audit"), {"action": "account.sso_refused"}))
    assert "Từ chối đăng nhập qua cổng định danh của tỉnh" in page
    assert "mã cán bộ không có trong hệ thống" in page


def test_a_closed_account_is_refused_and_the_refusal_is_on_its_trail(client, sso):
    member = StaffFactory(code="SSO-CHI", full_name="Lê Văn Chí")
    deactivate_account(user=member.user, actor=None, reason="Mất điện thoại")
    response = sign_in(client, "079100000003")
    assert "Tài khoản của Lê Văn Chí đã bị đóng" in page_text(response)
    assert "_auth_user_id" not in client.session
    row = AuditEvent.objects.get(action="account.sso_refused")
    assert (row.object_id, row.after["refusal"]) == (str(member.user.pk), "closed")


def test_a_staff_member_who_left_is_refused(client, sso):
    member = StaffFactory(code="SSO-CHI", full_name="Lê Văn Chí", is_active=False)
    response = sign_in(client, "079100000003")
    assert "Lê Văn Chí đã thôi công tác" in page_text(response)
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.get(action="account.sso_refused").object_id == str(member.user.pk)


def test_accounts_are_never_created_for_a_staff_member_without_one(client, sso):
    StaffFactory(code="SSO-AN", full_name="Trần Thị An", user=None)
    response = sign_in(client, "079100000001")
    assert "Trần Thị An chưa có tài khoản" in page_text(response)
    assert not User.objects.filter(username__startswith="SSO").exists()


@contextmanager
def loopback_http_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """``handler`` served on a free loopback port in a thread; yields its base address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def tampering_proxy(sso: Provider) -> Iterator[str]:
    """A man in the middle of the token exchange, on loopback: it rewrites the ID token's staff code to SSO-AN and
    keeps the provider's signature, as an attacker would to become someone else."""
    token_endpoint = oidc.discovery_document(sso.issuer)["token_endpoint"]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            upstream = requests.post(token_endpoint, data=body, headers={"Content-Type": self.headers["Content-Type"]}, timeout=10)
            answer = upstream.json()
            header, payload, signature = answer["id_token"].split(".")
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            claims["staff_code"] = "SSO-AN"
            forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
            answer["id_token"] = f"{header}.{forged}.{signature}"
            data = json.dumps(answer).encode()
            self.send_response(upstream.status_code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    with loopback_http_server(Handler) as base:
        yield f"{base}/token/"


def test_a_tampered_token_is_refused(client, sso, tampering_proxy):
    StaffFactory(code="SSO-AN")
    with override_settings(OIDC_OP_TOKEN_ENDPOINT=tampering_proxy):
        response = sign_in(client, "079100000002")
    assert "không xác minh được" in page_text(response)
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.get(action="account.sso_refused").after == {"refusal": "invalid_token"}
    assert not AuditEvent.objects.filter(action="account.sso_login").exists()


def test_an_expired_token_is_refused(client, sso, clock):
    StaffFactory(code="SSO-AN")
    # The provider's answers live five minutes; ours reads it ten minutes later.
    response = sign_in(client, "079100000001", before_callback=lambda: clock.shift(dt.timedelta(minutes=10)))
    assert "đã hết hạn" in page_text(response)
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.get(action="account.sso_refused").after == {"refusal": "expired_token"}


def test_a_callback_without_the_sign_in_it_answers_is_refused(client, sso):
    response = client.get(reverse("sso:callback"), {"code": "stolen", "state": "guessed"}, follow=True)
    assert "Hãy bắt đầu lại" in page_text(response)
    assert "_auth_user_id" not in client.session


@override_settings(SECOND_FACTOR_REQUIRED=True)
def test_a_privileged_role_still_needs_the_second_factor_unless_the_provider_asserted_one(sso):
    head = StaffFactory(code="SSO-DUNG", user=UserFactory(username="SSO-DUNG", role=Role.AGENCY_HEAD))
    first = Client()
    response = sign_in(first, "079100000004")
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor"))
    # The province's provider is trusted to have checked a second factor when its amr says "otp".
    with override_settings(OIDC_MFA_AMR=["otp"]):
        second = Client()
        response = sign_in(second, "079100000004")
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert int(second.session["_auth_user_id"]) == head.user.pk
    assert AuditEvent.objects.filter(action="account.sso_login").order_by("id").last().after["provider_mfa"] is True


def test_logout_ends_the_session_here_and_at_the_provider(client, sso):
    StaffFactory(code="SSO-AN")
    sign_in(client, "079100000001")
    response = client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session
    end_session = urlparse(response["Location"])
    assert f"{end_session.scheme}://{end_session.netloc}{end_session.path}" == oidc.discovery_document(sso.issuer)["end_session_endpoint"]
    query = parse_qs(end_session.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    # The provider accepts the hint and sends the browser back to our login page.
    back = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert back.headers["Location"] == "http://testserver/accounts/login/"


def test_e_mail_matches_only_when_configured(sso):
    member = StaffFactory(code="SSO-EM", email="em@so.gov.vn")
    refused = sign_in(Client(), "079100000005")
    assert "không gửi mã cán bộ" in page_text(refused)
    with override_settings(OIDC_EMAIL_FALLBACK=True):
        client = Client()
        sign_in(client, "079100000005")
    assert int(client.session["_auth_user_id"]) == member.user.pk
    assert AuditEvent.objects.get(action="account.sso_login").after["matched_by"] == "email"


def test_a_sign_in_the_provider_refused_is_said_once_and_audited(client, sso):
    start = client.get(reverse("sso:login"))
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    response = client.get(reverse("sso:callback"), {"error": "access_denied", "state": state}, follow=True)
    assert page_text(response).count("Cổng định danh của tỉnh không cho bạn đăng nhập") == 1
    assert "không xác minh được" not in page_text(response)
    assert AuditEvent.objects.get(action="account.sso_refused").after == {"refusal": "provider_error"}
    # The state is spent: the same answer cannot be replayed.
    assert state not in client.session.get("oidc_states", {})


@pytest.fixture
def counted_jwks(sso: Provider) -> Iterator[tuple[str, list[str]]]:
    """The provider's JWKS endpoint behind a loopback proxy that notes each fetch."""
    jwks_endpoint = oidc.discovery_document(sso.issuer)["jwks_uri"]
    fetches: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            fetches.append(self.path)
            upstream = requests.get(jwks_endpoint, timeout=10)
            data = upstream.content
            self.send_response(upstream.status_code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    with loopback_http_server(Handler) as base:
        yield f"{base}/jwks/", fetches


def test_the_providers_keys_are_fetched_once_for_many_sign_ins_and_again_when_it_rotates_them(sso, counted_jwks):
    endpoint, fetches = counted_jwks
    StaffFactory(code="SSO-AN", full_name="Trần Thị An", user=UserFactory(username="an"))
    with override_settings(OIDC_OP_JWKS_ENDPOINT=endpoint):
        for _attempt in range(3):
            client = Client()
            sign_in(client, "079100000001")
            assert client.session["_auth_user_id"] == str(User.objects.get(username="an").pk)
        assert len(fetches) == 1
        # The kept keys no longer hold the one the provider signs with (it rotated): one fresh fetch, and the sign-in works.
        cache_key = "telework:sso:jwks:" + hashlib.sha256(endpoint.encode()).hexdigest()
        cache.set(cache_key, {"keys": [{"kty": "RSA", "kid": "retired-key", "n": "AQAB", "e": "AQAB"}]})
        client = Client()
        sign_in(client, "079100000001")
        assert "_auth_user_id" in client.session
        assert len(fetches) == 2
