"""Health and readiness (issue 15, point 5): the load balancer's probes answer before the SSL redirect, the host
check, the login and the second factor, write no session, and name in words what is not ready."""

from __future__ import annotations

import pytest
from django.test import override_settings

from telework.accounts.models import Role
from telework.core.tests.replicas import closed_port, replica_alias
from telework.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_live_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_ready_lists_each_check_when_everything_answers(client):
    response = client.get("/health/ready/")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "checks": {"database": "ok", "cache": "ok"}}


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["telework.example.gov.vn"], SECOND_FACTOR_REQUIRED=True)
def test_probes_are_not_redirected_refused_or_sent_to_the_second_factor_and_write_no_session(client):
    # A load balancer probes the host's address over plain HTTP; a signed-in Home Affairs officer without a verified
    # second factor would be sent to enrolment from any other page.
    client.force_login(UserFactory(role=Role.HOME_AFFAIRS))
    other = client.get("/", HTTP_HOST="telework.example.gov.vn", secure=True)
    assert other.status_code == 302
    assert "/accounts/" in other["Location"]
    for path in ("/health/live/", "/health/ready/"):
        response = client.get(path, HTTP_HOST="10.0.0.5:8000")
        assert response.status_code == 200, path
        assert "sessionid" not in response.cookies
        assert "csrftoken" not in response.cookies
    # A plain page at that address is still redirected to HTTPS (the exemption is only the probes').
    assert client.get("/accounts/login/", HTTP_HOST="telework.example.gov.vn").status_code == 301


def test_a_cache_that_does_not_answer_makes_the_process_not_ready(client):
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}}
    with override_settings(CACHES=caches):
        response = client.get("/health/ready/")
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("the cache does not answer")


def test_a_configured_broker_that_does_not_answer_makes_the_process_not_ready(client):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/0"):
        response = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("the task broker does not answer")


@pytest.mark.redis
def test_a_broker_that_answers_is_ready(client, redis_url):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=redis_url):
        response = client.get("/health/ready/")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


def test_a_replica_that_does_not_answer_is_named_but_keeps_the_host_in_the_pool_unless_required(client):
    with replica_alias(broken=True):
        # The reports read the primary while the replica is down: the hosts stay in the pool, the probe says why.
        response = client.get("/health/ready/")
        assert response.status_code == 200
        assert response.json()["ready"] is True
        assert response.json()["checks"]["replica"].startswith("the read replica does not answer; the reports read the primary")
        with override_settings(READY_NEEDS_REPLICA=True):
            required = client.get("/health/ready/")
        assert required.status_code == 503
        assert required.json()["checks"]["replica"].startswith("the read replica does not answer (")


@pytest.mark.django_db(transaction=True)
def test_a_replica_that_answers_is_ready(client):
    with replica_alias():
        response = client.get("/health/ready/")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "replica": "ok", "cache": "ok"}
