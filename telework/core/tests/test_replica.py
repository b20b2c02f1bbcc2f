"""The read replica (issue 15, point 5): dashboards, the outcome panel's screens and the exports read
``reporting_alias()`` — the replica when one is configured and answers, else the primary — and nothing that writes or
decides reads it. The replica here is the test database under a second connection (Django's TEST MIRROR), so these
tests commit (``transaction=True``): a replica sees committed rows only."""

from __future__ import annotations

import io
import logging

import pytest
from django.db import connections, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from telework.assessment.tests.dashboard_data import launched_city
from telework.core import audit_chain, db
from telework.core.audit import audit_record
from telework.core.models import AuditEvent
from telework.core.tests.replicas import replica_alias
from telework.organization.models import Staff


def test_without_a_replica_everything_reads_the_primary():
    assert db.replica_configured() is False
    assert db.reporting_alias() == "default"
    with db.reporting_reads() as alias:
        assert alias == "default"


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_reads_the_replica_and_shows_the_same_figures(client):
    city = launched_city()
    client.force_login(city.world.leadership)
    on_primary = client.get("/assessment/")
    assert on_primary.status_code == 200
    with replica_alias():
        assert db.reporting_alias() == "replica"
        with CaptureQueriesContext(connections["replica"]) as replica_reads, CaptureQueriesContext(connections["default"]) as primary_reads:
            on_replica = client.get("/assessment/")
        assert on_replica.status_code == 200
    assert len(replica_reads) > 5
    # The primary still serves the session and the login; the figures came from the replica.
    assert not any("outcomes_outcomevalue" in query["sql"] for query in primary_reads)
    assert any("outcomes_outcomevalue" in query["sql"] for query in replica_reads)
    assert [(row.label, row.arm) for row in on_replica.context["board"].breakdown] == [(row.label, row.arm) for row in on_primary.context["board"].breakdown]
    assert on_replica.context["board"].trend.chart(on_replica.context["board"].markers) == on_primary.context["board"].trend.chart(
        on_primary.context["board"].markers
    )


@pytest.mark.django_db(transaction=True)
def test_an_export_reads_the_replica(client):
    city = launched_city()
    client.force_login(city.world.leadership)
    with replica_alias(), CaptureQueriesContext(connections["replica"]) as replica_reads:
        response = client.get(reverse("assessment:dashboard_excel"))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames
    assert any("outcomes_outcomevalue" in query["sql"] for query in replica_reads)


@pytest.mark.django_db(transaction=True)
def test_writes_and_reads_inside_a_transaction_stay_on_the_primary():
    staff_count = Staff.objects.count()
    with replica_alias(), db.reporting_reads() as alias, CaptureQueriesContext(connections["replica"]) as replica_reads:
        assert alias == "replica"
        assert Staff.objects.count() == staff_count  # read on the replica
        with transaction.atomic():
            # The audit chain's last hash is read inside the append's transaction: on the primary, never stale.
            event = audit_record(actor=None, action="switch.set", target=AuditEvent(pk=1), reason="test")
        assert AuditEvent.objects.using("default").filter(pk=event.pk).exists()
    assert len(replica_reads) == 1
    assert audit_chain.verify(AuditEvent.objects.order_by("id").iterator()).ok


@pytest.mark.django_db
def test_a_replica_that_does_not_answer_is_left_for_the_primary(client, caplog):
    city = launched_city()
    client.force_login(city.world.leadership)
    with replica_alias(broken=True), caplog.at_level(logging.WARNING, logger="telework.core.db"):
        assert db.reporting_alias() == "default"
        # The verdict is kept a few seconds: the next report does not wait for the broken replica again.
        assert db.reporting_alias() == "default"
        assert sum("does not answer" in message for message in caplog.messages) == 1
        response = client.get("/assessment/")
        assert response.status_code == 200
        assert response.context["board"].breakdown


@pytest.mark.django_db(transaction=True)
def test_a_replica_behind_by_more_than_the_limit_is_left_for_the_primary():
    with replica_alias():
        assert db.replica_lag_seconds() == 0.0  # the mirror is the primary itself
        with override_settings(REPLICA_MAX_LAG_SECONDS=-1):  # any lag is too much
            db.forget_replica_state()
            assert db.reporting_alias() == "default"
