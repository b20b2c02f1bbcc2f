"""The PostgreSQL run really runs on PostgreSQL, in UTF-8, where Vietnamese names are found whatever their case.

A cluster created without a locale (a bare CI shell has no LANG) would be SQL_ASCII: ``make test-postgres`` passes
``--locale=C.UTF-8`` to pg_virtualenv, and these tests would catch the day it stops doing so.
"""

from __future__ import annotations

import pytest
from django.db import connection

from telework.organization.models import Staff

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_suite_runs_on_a_utf8_postgresql_test_database():
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"] == "telework_test"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone() == ("UTF8",)
        cursor.execute("SELECT upper(%s), lower(%s)", ["Lê Văn Đức", "PHƯỜNG SÀI GÒN"])
        assert cursor.fetchone() == ("LÊ VĂN ĐỨC", "phường sài gòn")


def test_searching_staff_ignores_the_case_of_vietnamese_letters(city):
    # Home Affairs and HR type names as they come: "lê văn", "LÊ VĂN", "Phạm thị một cửa".
    assert Staff.objects.filter(full_name__icontains="LÊ VĂN 1").count() == 1
    assert list(Staff.objects.filter(full_name__icontains="phạm thị một cửa").values_list("pk", flat=True)) == [city.clerk.pk]
    assert list(Staff.objects.filter(full_name__iexact="trần thị trưởng").values_list("pk", flat=True)) == [city.head.pk]
