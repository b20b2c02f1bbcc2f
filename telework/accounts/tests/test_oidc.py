"""What single sign-on decides without a provider: whether an ID token asserts a second factor, and which half
configurations stop start-up."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import oidc_check
from telework.accounts.oidc import asserts_second_factor

NO_ENDPOINTS = {"authorization_endpoint": "", "token_endpoint": "", "userinfo_endpoint": "", "jwks_uri": "", "end_session_endpoint": ""}


@pytest.mark.parametrize(
    ("claims", "acr_values", "amr_values", "asserted"),
    [
        ({"amr": ["pwd", "otp"]}, [], ["otp"], True),
        ({"amr": "otp"}, [], ["otp"], True),
        ({"amr": ["pwd"]}, [], ["otp", "mfa"], False),
        ({"acr": "urn:tinh:loa:3"}, ["urn:tinh:loa:3"], [], True),
        ({"acr": "urn:tinh:loa:1"}, ["urn:tinh:loa:3"], [], False),
        # Nothing is trusted until the province says what its values mean.
        ({"acr": "urn:tinh:loa:3", "amr": ["mfa"]}, [], [], False),
        ({"amr": [{"method": "otp"}]}, [], ["otp"], False),
    ],
)
def test_a_second_factor_is_asserted_only_by_configured_acr_or_amr_values(claims, acr_values, amr_values, asserted):
    assert asserts_second_factor(claims, acr_values=acr_values, amr_values=amr_values) is asserted


@pytest.mark.parametrize(
    ("issuer", "client_id", "secret", "endpoints", "scopes", "problem"),
    [
        ("", "telework", "", NO_ENDPOINTS, "openid", "without TELEWORK_OIDC_ISSUER"),
        ("https://id.tinh.gov.vn", "", "", NO_ENDPOINTS, "openid", "needs TELEWORK_OIDC_CLIENT_ID"),
        ("id.tinh.gov.vn", "telework", "s", NO_ENDPOINTS, "openid", "must start with https://"),
        ("https://id.tinh.gov.vn", "telework", "s", NO_ENDPOINTS, "profile", "must include openid"),
        ("https://id.tinh.gov.vn", "telework", "s", {**NO_ENDPOINTS, "token_endpoint": "ftp://x"}, "openid", "TELEWORK_OIDC_TOKEN_ENDPOINT"),
    ],
)
def test_a_half_configured_single_sign_on_stops_start_up(issuer, client_id, secret, endpoints, scopes, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        oidc_check(issuer, client_id, secret, endpoints, scopes, "staff_code", 10)


def test_single_sign_on_stays_off_without_an_issuer_and_passes_when_complete():
    oidc_check("", "", "", NO_ENDPOINTS, "openid", "staff_code", 10)
    oidc_check("https://id.tinh.gov.vn", "telework", "s", NO_ENDPOINTS, "openid staff", "staff_code", 10)
