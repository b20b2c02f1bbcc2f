"""The application's URLs plus the check-in benchmark's two references (``bench.checkin_settings`` only).

- ``/api/bench/trivial``: the cheapest response Django can give through the same middleware;
- ``/api/bench/insert``: one raw single-row INSERT (no ORM, no auth, no rule): the floor a check-in is compared with.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as application_urls

if settings.ROOT_URLCONF != "bench.checkin_urls":
    raise ImproperlyConfigured("bench.checkin_urls is only for bench.checkin_settings")

REFERENCE_TABLE = "bench_reference_insert"


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b'{"ok":true}', content_type="application/json")


INSERT_SQL = f"INSERT INTO {REFERENCE_TABLE} (token, note, created_at) VALUES (%s, %s, CURRENT_TIMESTAMP) RETURNING id"  # noqa: S608 - a constant table name


@csrf_exempt
def raw_insert(request: HttpRequest) -> HttpResponse:
    body = json.loads(request.body or b"{}")
    with connection.cursor() as cursor:
        cursor.execute(INSERT_SQL, [body.get("token", ""), body.get("note", "")])
        row = cursor.fetchone()
    return JsonResponse({"id": row[0] if row else None}, status=201)


# Before the API: each reference resolves as early as it can, as the check-in does (its router comes first in the API).
_api = next(index for index, pattern in enumerate(application_urls) if str(pattern.pattern) == "api/")
urlpatterns = [
    *application_urls[:_api],
    path("api/bench/trivial", trivial),
    path("api/bench/insert", raw_insert),
    *application_urls[_api:],
]
