"""The API's contract with any client: every component of the published schema is one class, every route answers
hostile input with a 4xx in the one error shape (never a 500), and every status it answers is documented.

The walk reads the routes from ``/api/openapi.json`` itself, so a new endpoint is covered the day it is added."""

from __future__ import annotations

import enum
import functools
import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, get_args

import pytest
from django.test import Client
from pydantic import BaseModel

from config.api import api

ERROR_KEYS = {"code", "rule", "message", "params", "details"}
NOT_JSON = object()
HUGE = 2**63  # one past PostgreSQL's bigint and SQLite's INTEGER
HOSTILE_IDS = [HUGE, -1, 0]
HOSTILE_QUERY = {"integer": ["-1", str(HUGE), "x"], "date": ["0", "1700000000", "99999-01-01", "2026-02-30"], "week": ["0001-W01", "9999-W52"]}


def _models_in(annotation: Any, seen: set[type]) -> Iterator[type]:
    """The schemas and enumerations (each a component of its own) reachable from an annotation."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        seen.add(annotation)
        yield annotation
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models_in(field.annotation, seen)
    for argument in get_args(annotation):
        yield from _models_in(argument, seen)


def _operations() -> Iterator[Any]:
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


@pytest.mark.django_db
def test_every_schema_component_is_defined_by_one_class(client):
    """Ninja names a component after its class and silently keeps the last of two classes with one name: the
    published schema then describes the wrong shape (work items once showed the rosters' StaffRefOut)."""
    components = client.get("/api/openapi.json").json()["components"]["schemas"]
    classes_by_name: dict[str, set[type]] = defaultdict(set)
    seen: set[type] = set()
    for operation in _operations():
        for model in [*operation.models, *operation.response_models.values()]:
            for found in _models_in(model, seen):
                classes_by_name[found.__name__].add(found)
    twice = {
        name: sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in classes)
        for name, classes in classes_by_name.items()
        if name in components and len(classes) > 1
    }
    assert twice == {}
    assert set(components) - set(classes_by_name) == set()


@functools.cache
def _schema() -> dict[str, Any]:
    return api.get_openapi_schema()


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].split("/")[-1]]
    if "allOf" in node and len(node["allOf"]) == 1:
        return _resolve(schema, node["allOf"][0])
    if "anyOf" in node:
        return _resolve(schema, next(option for option in node["anyOf"] if option.get("type") != "null"))
    return node


def _valid(schema: dict[str, Any], node: dict[str, Any]) -> Any:
    node = _resolve(schema, node)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "string":
        return "2026-11-23" if node.get("format") == "date" else "x"
    if kind in {"integer", "number"}:
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    return {name: _valid(schema, value) for name, value in node.get("properties", {}).items()}


def _hostile(schema: dict[str, Any], node: dict[str, Any]) -> list[Any]:
    node = _resolve(schema, node)
    kind = node.get("type")
    if kind == "integer":
        return [HUGE, -1]
    if kind == "number":
        return [1e308, -1]
    if kind == "string" and node.get("format") == "date":
        return [0, "0", "99999-01-01", "0001-01-01"]
    if kind == "string":
        return ["x" * 20_000, ["a list"]]
    if kind == "array":
        return [[value] for value in _hostile(schema, node.get("items", {}))] + [{"an": "object"}]
    if kind == "object":
        return [["a list"]]
    return []


def _fill(path: str, operation: dict[str, Any], value: Any = None) -> str:
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            is_integer = parameter["schema"].get("type") == "integer"
            filled = str(value) if value is not None and is_integer else "1" if is_integer else "2026-W48"
            path = path.replace("{" + parameter["name"] + "}", filled)
    return path


def hostile_requests() -> list[Any]:
    """(method, url, query, body) for every route: each id out of range, each query parameter out of range or of the
    wrong type, a list or a string where the body's object is expected, and each body field hostile in turn."""
    schema = _schema()
    cases = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            name = f"{method.upper()} {path}"
            parameters = operation.get("parameters", [])
            if any(parameter["in"] == "path" and parameter["schema"].get("type") == "integer" for parameter in parameters):
                for value in HOSTILE_IDS:
                    cases.append(pytest.param(path, method, _fill(path, operation, value), {}, None, id=f"{name} id={value}"))
            url = _fill(path, operation)
            for parameter in parameters:
                if parameter["in"] == "path" and parameter["name"] == "week":
                    for value in HOSTILE_QUERY["week"]:
                        cases.append(pytest.param(path, method, url.replace("2026-W48", value), {}, None, id=f"{name} week={value}"))
                if parameter["in"] != "query":
                    continue
                parameter_schema = _resolve(schema, parameter["schema"])
                if parameter_schema.get("type") == "array":
                    parameter_schema = _resolve(schema, parameter_schema.get("items", {}))
                kind = "date" if parameter_schema.get("format") == "date" else parameter_schema.get("type")
                if parameter["name"] == "page":
                    cases.append(pytest.param(path, method, url, {"page": str(10**12)}, None, id=f"{name} page=10**12"))
                for value in HOSTILE_QUERY.get(kind or "", []):
                    cases.append(pytest.param(path, method, url, {parameter["name"]: value}, None, id=f"{name} {parameter['name']}={value}"))
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body is None:
                continue
            cases.append(pytest.param(path, method, url, {}, NOT_JSON, id=f"{name} body not JSON"))
            for wrong in ([], "x", 7):
                cases.append(pytest.param(path, method, url, {}, wrong, id=f"{name} body={wrong!r}"))
            shape = _resolve(schema, body)
            good = _valid(schema, shape)
            for field, field_schema in shape.get("properties", {}).items():
                for value in _hostile(schema, field_schema):
                    cases.append(pytest.param(path, method, url, {}, {**good, field: value}, id=f"{name} {field}={str(value)[:20]}"))
    return cases


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "method", "url", "query", "body"), hostile_requests())
def test_hostile_input_answers_a_documented_4xx_in_the_error_shape(city, path, method, url, query, body):
    client = Client(raise_request_exception=False)
    client.force_login(city.admin)
    if method == "get":
        response = client.get(url, query)
    else:
        target = url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")
        response = getattr(client, method)(
            target, "{not json" if body is NOT_JSON else json.dumps(body) if body is not None else "{}", content_type="application/json"
        )
    assert 400 <= response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == ERROR_KEYS
    assert response.status_code in {int(status) for status in _schema()["paths"][path][method]["responses"]}


@pytest.mark.django_db
def test_an_unhandled_error_answers_500_in_the_error_shape_without_a_traceback(city, settings, monkeypatch):
    """A bug still answers the API's JSON (never Django's HTML page, never a traceback, even under DEBUG)."""
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    client.force_login(city.admin)
    from telework.assignments import selectors

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("a bug deep inside")

    monkeypatch.setattr(selectors, "work_item_list", broken)
    response = client.get("/api/work/items")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert (set(body), body["code"], body["rule"]) == (ERROR_KEYS, "server_error", "")
    assert "a bug deep inside" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_day_zero_is_refused_not_read_as_1970(city, client):
    client.force_login(city.admin)
    response = client.get("/api/rosters/today", {"day": "0"})
    body = response.json()
    assert (response.status_code, body["code"], body["details"][0]["field"], body["details"][0]["rule"]) == (422, "validation_failed", "day", "date_parsing")


@pytest.mark.django_db
def test_a_list_where_the_body_object_is_expected_is_refused_and_nothing_is_generated(city, client):
    from telework.rosters.models import Roster

    client.force_login(city.admin)
    response = client.post(f"/api/rosters/units/{city.unit.pk}/weeks/2026-W48/generate", "[]", content_type="application/json")
    assert (response.status_code, response.json()["code"], response.json()["details"][0]["rule"]) == (422, "validation_failed", "model_type")
    assert not Roster.objects.exists()


@pytest.mark.django_db
def test_a_page_beyond_the_last_possible_one_is_refused(city, client):
    client.force_login(city.admin)
    response = client.get("/api/work/items", {"page": str(2**63)})
    assert (response.status_code, response.json()["details"][0]["field"]) == (422, "page")


@pytest.mark.django_db
def test_an_unparseable_body_answers_400_in_the_error_shape(city, client):
    client.force_login(city.admin)
    response = client.post(f"/api/rosters/units/{city.unit.pk}/weeks/2026-W48/generate", "{not json", content_type="application/json")
    assert (response.status_code, response.json()["code"], response.json()["rule"]) == (400, "malformed_request", "body")


@pytest.mark.django_db
def test_a_body_over_the_size_limit_answers_413_in_the_error_shape(city, settings):
    client = Client(raise_request_exception=False)
    client.force_login(city.admin)
    body = json.dumps({"reason": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    response = client.post(f"/api/rosters/units/{city.unit.pk}/weeks/2026-W48/generate", body, content_type="application/json")
    assert (response.status_code, response.json()["code"], response.json()["rule"]) == (413, "request_too_large", "request_size")
    assert 413 in _schema()["paths"]["/api/rosters/units/{unit_id}/weeks/{week}/generate"]["post"]["responses"]


@pytest.mark.django_db
def test_more_files_than_any_request_may_carry_answers_400_in_the_error_shape(city, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client(raise_request_exception=False)
    client.force_login(city.admin)
    files = [SimpleUploadedFile(f"tep-{number}.pdf", b"%PDF-1.7") for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = client.post("/api/work/items/1/attachments", {"files": files})
    assert (response.status_code, response.json()["code"], response.json()["rule"]) == (400, "malformed_request", "request")


@pytest.mark.django_db
def test_djangos_permission_denied_inside_an_endpoint_answers_403_in_the_error_shape(city, monkeypatch):
    from django.core.exceptions import PermissionDenied

    from telework.assignments import selectors

    def refuses(**kwargs: Any) -> Any:
        raise PermissionDenied

    monkeypatch.setattr(selectors, "work_item_list", refuses)
    client = Client(raise_request_exception=False)
    client.force_login(city.admin)
    response = client.get("/api/work/items")
    assert (response.status_code, response.json()["code"]) == (403, "not_permitted")


@pytest.mark.django_db
def test_the_workload_of_more_days_than_a_quarter_is_refused(city, client):
    client.force_login(city.staff[0].user)
    days = [f"2027-01-{day:02d}" for day in range(1, 32)] * 3
    response = client.get("/api/work/workload", {"days": days})
    assert (response.status_code, response.json()["details"][0]["field"], response.json()["details"][0]["rule"]) == (422, "days", "too_long")
