"""The one-stop system's push API: a push-only token bound to an agency writes that agency's dossiers and ratings
through the import's rules (linked to officers and desk staff, re-runnable), and works nowhere else; other tokens and
sessions do not work on it."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from telework.accounts.models import ApiToken, Role, TokenScope
from telework.core.models import AuditEvent
from telework.dossiers.models import ApologyLetter, Dossier, DossierImport, DossierSource, Rating
from telework.dossiers.schemas import MAX_BATCH
from telework.dossiers.tests.factories import DossierFactory
from telework.dossiers.tests.test_imports import desk_roster, work_item  # noqa: F401 - the roster fixture
from telework.organization.tests.factories import ServicePointFactory, StaffFactory

HCMC = ZoneInfo("Asia/Ho_Chi_Minh")
PUSH = "/api/dossiers/push"
RATINGS = "/api/dossiers/ratings/push"


def push_key(city, agency=None) -> str:
    _token, key = ApiToken.issue(user=city.hr, name="Một cửa Quận 1", scope=TokenScope.DOSSIER_PUSH, agency_id=(agency or city.agency).pk)
    return key


def auth(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def dossiers(city) -> list[dict]:
    return [
        {
            "code": "HS-1",
            "procedure_code": "1.0001",
            "procedure_name": "Chứng thực bản sao",
            "legal_working_days": 3,
            "unit": city.unit.code,
            "desk": city.desk.code,
            "received_at": "2026-11-16T08:15:00+07:00",
            "returned_at": "2026-11-17T10:00:00+07:00",
            "online_level": "in_person",
            "channel": "desk",
            "status": "returned",
            "handler_codes": [city.clerk.code],
        },
        {
            "code": "HS-2",
            "procedure_code": "2.0002",
            "procedure_name": "Cấp giấy phép",
            "legal_working_days": 5,
            "unit": city.unit.name,
            "received_at": "2026-11-10T14:00:00",
            "due_at": "2026-11-17T17:00:00+07:00",
            "channel": "post",
            "handler_codes": [city.staff[0].code, "KHONG-CO"],
            "apology": {"issued_at": "2026-11-16T16:00:00+07:00", "new_due_at": "2026-11-24T17:00:00+07:00"},
        },
    ]


def post(client, path, body, key=None, **extra):
    headers = auth(key) if key else {}
    return client.post(path, json.dumps(body), content_type="application/json", **headers, **extra)


@pytest.mark.django_db
def test_a_push_creates_dossiers_linked_to_officers_desk_staff_and_work_items(city, client, desk_roster):  # noqa: F811
    item = work_item(city, "HS-1")

    response = post(client, PUSH, {"dossiers": dossiers(city)}, push_key(city))

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"], body["refused"], body["procedures_created"]) == (2, 0, 0, 0, 2)
    assert [(row["row"], row["code"], row["result"]) for row in body["rows"]] == [(1, "HS-1", "created"), (2, "HS-2", "created")]
    # An unknown officer is left out with a warning naming the pushed field, in Vietnamese.
    warning = body["rows"][1]["problems"][0]
    assert (warning["field"], warning["severity"], warning["code"]) == ("handler_codes", "warning", "unknown_handlers")
    assert "KHONG-CO" in warning["message"]
    assert "cán bộ" in warning["message"].lower()
    first, second = Dossier.objects.order_by("code")
    assert (first.unit, first.service_point, first.status, first.source) == (city.unit, city.desk, "returned", DossierSource.API)
    assert first.legal_due_at == dt.datetime(2026, 11, 19, 17, 0, tzinfo=HCMC)
    assert list(first.handlers.all()) == [city.clerk]
    assert list(first.desk_staff.all()) == [city.clerk]  # who staffed the desk that Monday in the published roster
    assert first.work_item == item
    assert list(second.handlers.all()) == [city.staff[0]]
    assert (second.channel, second.online_level, second.status) == ("post", "in_person", "in_progress")
    assert second.received_at == dt.datetime(2026, 11, 10, 14, 0, tzinfo=HCMC)  # no offset: the city's time
    assert second.due_at == dt.datetime(2026, 11, 24, 17, 0, tzinfo=HCMC)  # the apology letter's new date
    assert ApologyLetter.objects.get().dossier == second
    record = DossierImport.objects.get()
    event = AuditEvent.objects.get(action="dossier.push")
    assert (event.object_id, event.actor, event.after["created"], event.agency_id) == (str(record.pk), city.hr, 2, city.agency.pk)
    assert record.file_name.startswith("Đẩy qua API: Một cửa Quận 1")


@pytest.mark.django_db
def test_a_re_push_duplicates_nothing_and_a_changed_dossier_is_updated(city, client, desk_roster):  # noqa: F811
    key = push_key(city)
    post(client, PUSH, {"dossiers": dossiers(city)}, key)
    before = list(Dossier.objects.order_by("code").values_list("code", "updated_at"))

    again = post(client, PUSH, {"dossiers": dossiers(city)}, key).json()

    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert list(Dossier.objects.order_by("code").values_list("code", "updated_at")) == before
    assert (Dossier.handlers.through.objects.count(), Dossier.desk_staff.through.objects.count(), ApologyLetter.objects.count()) == (2, 1, 1)

    changed = dossiers(city)
    changed[1].update(returned_at="2026-11-18T08:00:00+07:00", status="returned", handler_codes=[city.staff[3].code])
    third = post(client, PUSH, {"dossiers": changed}, key).json()

    assert (third["created"], third["updated"], third["unchanged"]) == (0, 1, 1)
    updated = Dossier.objects.get(code="HS-2")
    assert (updated.status, list(updated.handlers.all())) == ("returned", [city.staff[3]])
    assert Dossier.objects.count() == 2
    assert AuditEvent.objects.filter(action="dossier.push").count() == 3


@pytest.mark.django_db
def test_a_row_for_another_agencys_unit_is_refused_on_its_row_and_the_others_written(city, client):
    rows = dossiers(city)
    rows[0]["unit"] = city.outsider.unit.code
    rows[0]["desk"] = ""
    future = {**rows[1], "code": "HS-3", "received_at": "2026-11-19T08:00:00+07:00"}

    body = post(client, PUSH, {"dossiers": [*rows, future]}, push_key(city)).json()

    assert [row["result"] for row in body["rows"]] == ["refused", "created", "refused"]
    refused = body["rows"][0]["problems"][0]
    assert (refused["field"], refused["code"]) == ("unit", "unknown_unit")
    assert city.outsider.unit.code in refused["message"]
    assert "đơn vị" in refused["message"].lower()
    assert body["rows"][2]["problems"][0]["field"] == "received_at"
    assert list(Dossier.objects.values_list("code", flat=True)) == ["HS-2"]


@pytest.mark.django_db
def test_a_code_held_by_another_agency_is_refused(city, client):
    DossierFactory(code="HS-1", service_point=ServicePointFactory(unit=city.outsider.unit))

    body = post(client, PUSH, {"dossiers": dossiers(city)[:1]}, push_key(city)).json()

    assert body["rows"][0]["result"] == "refused"
    assert body["rows"][0]["problems"][0]["code"] == "other_agency"
    assert Dossier.objects.get(code="HS-1").agency == city.outsider.unit.agency


@pytest.mark.django_db
def test_a_push_token_works_on_no_other_route(city, client):
    key = push_key(city)

    for method, path in (
        ("get", "/api/registrations"),
        ("get", "/api/me"),
        ("get", "/api/dossiers"),
        ("get", "/api/work/items"),
        ("post", "/api/staffing/rounds"),
    ):
        response = getattr(client, method)(path, **auth(key))
        assert response.status_code == 403, path
        body = response.json()
        assert (body["code"], body["rule"]) == ("not_permitted", "token_scope")
        assert body["message"].startswith("Mã truy cập này chỉ dùng để hệ thống một cửa đẩy hồ sơ")
    # The check-in, which reads tokens on its own: the push token checks nobody in.
    check_in = client.post("/api/attendance/check-in", {"mode": "office"}, content_type="application/json", **auth(key))
    assert check_in.status_code == 403
    assert check_in.json()["rule"] == "token_scope"


@pytest.mark.django_db
def test_a_full_token_or_a_session_cannot_push(city, client):
    _token, full = ApiToken.issue(user=city.hr, name="điện thoại")

    with_full = post(client, PUSH, {"dossiers": dossiers(city)}, full)
    assert with_full.status_code == 403
    assert with_full.json()["rule"] == "token_scope"

    client.force_login(city.hr)
    with_session = post(client, PUSH, {"dossiers": dossiers(city)})
    assert with_session.status_code == 401
    unknown = post(client, PUSH, {"dossiers": dossiers(city)}, "tw_khongtontai")
    assert unknown.status_code == 401
    assert Dossier.objects.count() == 0


@pytest.mark.django_db
def test_a_revoked_push_token_stops_working(city, client):
    key = push_key(city)
    ApiToken.objects.update(revoked_at=dt.datetime(2026, 11, 18, 8, 0, tzinfo=HCMC))

    assert post(client, PUSH, {"dossiers": dossiers(city)}, key).status_code == 401


@pytest.mark.django_db
def test_malformed_json_and_oversize_batches_are_refused_whole(city, client, settings):
    key = push_key(city)

    broken = client.post(PUSH, b'{"dossiers": [', content_type="application/json", **auth(key))
    assert broken.status_code == 400
    assert broken.json()["code"] == "malformed_request"

    wrong = dossiers(city)
    wrong[1]["received_at"] = "hôm qua"
    wrong[0]["online_level"] = "mức 5"
    bad = post(client, PUSH, {"dossiers": wrong}, key)
    assert bad.status_code == 422
    assert {detail["field"] for detail in bad.json()["details"]} == {"dossiers.1.received_at", "dossiers.0.online_level"}

    too_many = [{**dossiers(city)[0], "code": f"HS-{n}"} for n in range(MAX_BATCH + 1)]
    big = post(client, PUSH, {"dossiers": too_many}, key)
    assert big.status_code == 422
    assert big.json()["details"][0]["field"] == "dossiers"

    assert post(client, PUSH, {"dossiers": []}, key).status_code == 422
    assert post(client, PUSH, [dossiers(city)[0]], key).status_code == 422

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200
    huge = post(client, PUSH, {"dossiers": dossiers(city)}, key)
    assert huge.status_code == 413
    assert Dossier.objects.count() == 0
    assert not AuditEvent.objects.filter(action="dossier.push").exists()


@pytest.mark.django_db
def test_ratings_are_pushed_once_per_dossier(city, client):
    key = push_key(city)
    post(client, PUSH, {"dossiers": dossiers(city)}, key)
    ratings = [
        {"code": "HS-1", "level": "very_satisfied", "indicators": [2, 2, 2, 2, 1, 2, 2, None, 2], "rated_at": "2026-11-17T11:00:00+07:00"},
        {"code": "HS-9", "level": "satisfied", "indicators": [1] * 9, "rated_at": "2026-11-17T11:00:00+07:00"},
    ]

    body = post(client, RATINGS, {"ratings": ratings}, key).json()

    assert [row["result"] for row in body["rows"]] == ["created", "refused"]
    assert body["rows"][1]["problems"][0]["code"] == "unknown_dossier"
    rating = Rating.objects.get()
    assert (rating.dossier.code, rating.level, rating.scores, rating.source) == ("HS-1", "very_satisfied", [2, 2, 2, 2, 1, 2, 2, None, 2], "portal")
    again = post(client, RATINGS, {"ratings": ratings[:1]}, key).json()
    assert (again["created"], again["unchanged"]) == (0, 1)
    assert AuditEvent.objects.filter(action="rating.push").count() == 2
    bad_score = post(client, RATINGS, {"ratings": [{**ratings[0], "indicators": [3] * 9}]}, key)
    assert bad_score.status_code == 422


@pytest.mark.django_db
def test_people_read_the_dossiers_and_figures_of_their_scope(city, client):
    post(client, PUSH, {"dossiers": dossiers(city)}, push_key(city))
    DossierFactory(code="HS-KHAC", service_point=ServicePointFactory(unit=city.outsider.unit))
    _token, full = ApiToken.issue(user=city.head.user, name="máy tính")

    listed = client.get("/api/dossiers", **auth(full))
    assert listed.status_code == 200
    assert [item["code"] for item in listed.json()["items"]] == ["HS-1", "HS-2"]
    assert listed.json()["items"][0]["status_label"] == "Đã trả kết quả" or listed.json()["items"][0]["status"] == "returned"
    only_open = client.get("/api/dossiers?status=in_progress", **auth(full)).json()
    assert [item["code"] for item in only_open["items"]] == ["HS-2"]
    figures = client.get("/api/dossiers/quality?level=unit&period=month&day=2026-11-18", **auth(full))
    assert figures.status_code == 200
    assert [(row["name"], row["received"]) for row in figures.json()] == [(city.unit.name, 2)]


@pytest.mark.django_db
def test_home_affairs_issue_push_tokens_for_any_agency_and_hr_for_their_own(city, client):
    client.force_login(city.hr)
    page = client.get("/accounts/tokens/")
    assert [pk for pk, _name in page.context["push_agencies"]] == [city.agency.pk]
    refused = client.post("/accounts/tokens/", {"name": "Một cửa", "scope": "dossier_push", "agency": city.other_agency.pk})
    assert refused.status_code == 200
    assert not ApiToken.objects.exists()
    client.post("/accounts/tokens/", {"name": "Một cửa", "scope": "dossier_push", "agency": city.agency.pk})
    token = ApiToken.objects.get()
    assert (token.scope, token.agency) == (TokenScope.DOSSIER_PUSH, city.agency)
    listed = client.get("/accounts/tokens/").content.decode()
    assert "Chỉ đẩy hồ sơ" in listed
    assert city.agency.name in listed
    assert AuditEvent.objects.filter(action="api_token.issue", agency_id=city.agency.pk).exists()

    client.force_login(city.home_affairs)
    assert {pk for pk, _name in client.get("/accounts/tokens/").context["push_agencies"]} >= {city.agency.pk, city.other_agency.pk}

    clerk = StaffFactory(unit=city.unit, user__role=Role.STAFF).user
    client.force_login(clerk)
    assert client.get("/accounts/tokens/").context["push_agencies"] == []
    client.post("/accounts/tokens/", {"name": "lén", "scope": "dossier_push", "agency": city.agency.pk})
    assert not ApiToken.objects.filter(user=clerk).exists()


@pytest.mark.django_db
def test_a_push_token_stops_working_when_its_issuer_may_no_longer_issue_it(city, client):
    key = push_key(city)
    city.hr.role = Role.STAFF
    city.hr.save(update_fields=["role"])

    response = post(client, PUSH, {"dossiers": dossiers(city)}, key)

    assert response.status_code == 403
    assert response.json()["rule"] == "token_issuer"
    assert Dossier.objects.count() == 0
