"""Structured logs (issue 15, point 5): a request id from the proxy (bounded, sanitised) or made here, returned to
the client and on every record; TELEWORK_LOG_FORMAT=json gives one JSON object per line with the request's fields;
no password, token or phone number is written."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings

from telework.core import logs
from telework.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """The records of the ``telework`` and ``django`` loggers as the JSON handler writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.RequestContextFilter())
    loggers = [logging.getLogger(name) for name in ("telework", "django.request")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


def test_the_proxys_request_id_is_kept_and_returned(client):
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-7f3a.92:1")["X-Request-ID"] == "lb-7f3a.92:1"


@pytest.mark.parametrize("given", [None, "", "a b", "<script>", "x" * 65, "id\r\nSet-Cookie: a=b"])
def test_a_missing_or_unsafe_request_id_is_replaced_by_a_new_one(client, given):
    headers = {} if given is None else {"HTTP_X_REQUEST_ID": given}
    returned = client.get("/accounts/login/", **headers)["X-Request-ID"]
    assert returned != given
    assert len(returned) == 32
    assert int(returned, 16) >= 0


def test_each_request_writes_one_json_record_with_its_fields(client, json_lines):
    user = UserFactory()
    client.force_login(user)
    client.get("/preferences/", HTTP_X_REQUEST_ID="req-42")
    (record,) = [line for line in json_lines() if line["logger"] == "telework.request"]
    assert record["request_id"] == "req-42"
    assert record["method"] == "GET"
    assert record["path"] == "/preferences/"
    assert record["status"] == 200
    assert record["user_id"] == user.pk
    assert record["duration_ms"] >= 0
    assert record["level"] == "INFO"
    assert record["time"].endswith("Z")


def test_records_written_during_the_request_carry_its_id(client, json_lines):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    records = json_lines()
    assert {line["request_id"] for line in records} == {"req-404"}
    assert {line["logger"] for line in records} >= {"django.request", "telework.request"}


def test_secret_parts_of_a_path_and_the_query_string_are_not_written(client, json_lines):
    client.get("/accounts/password/reset/MTIz/c0ffee-5ecret-t0ken/?next=/x&token=abc")
    (record,) = [line for line in json_lines() if line["logger"] == "telework.request"]
    assert "5ecret" not in json.dumps(record)
    assert "MTIz" not in record["path"]
    assert "token=abc" not in json.dumps(record)


def test_passwords_tokens_and_phone_numbers_are_masked_in_every_record(json_lines):
    logging.getLogger("telework.core").warning(
        "login password=Hunter2-secret for 0912 345 678, +84 912345678; Authorization: Bearer abcdef0123456789abcdef; token: zz99zz99zz"
    )
    message = json_lines()[-1]["message"]
    for secret in ("Hunter2", "0912 345 678", "912345678", "abcdef0123456789abcdef", "zz99zz99zz"):
        assert secret not in message
    assert "[phone]" in message
    assert "[redacted]" in message


def test_a_login_attempt_writes_no_password(client, json_lines):
    client.post("/accounts/login/", {"username": "someone", "password": "Very-Secret-Pass-1"})
    assert "Very-Secret-Pass-1" not in json.dumps(json_lines())


def run_settings_with(**environment: str) -> subprocess.CompletedProcess[str]:
    """Log through the settings' LOGGING in a fresh interpreter, as a server started with ``environment`` would."""
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('telework.request').info('GET /x 200'); "
        "logging.getLogger('telework.core').warning('phone 0912345678 then done')"
    )
    clean = {key: value for key, value in os.environ.items() if not key.startswith("TELEWORK_")}
    return subprocess.run(  # noqa: S603 - our own interpreter on our own code
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.local", **environment},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )


@pytest.mark.own_process
def test_json_format_writes_one_object_per_line_and_text_stays_the_default():
    as_json = run_settings_with(TELEWORK_LOG_FORMAT="json").stderr.splitlines()
    records = [json.loads(line) for line in as_json]
    assert [(record["logger"], record["level"]) for record in records] == [("telework.request", "INFO"), ("telework.core", "WARNING")]
    assert records[1]["message"] == "phone [phone] then done"
    as_text = run_settings_with().stderr.splitlines()
    assert as_text == ["phone 0912345678 then done"]  # plain lines, requests not logged: as before this change
