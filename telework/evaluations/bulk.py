"""Bulk writes of a period run: 20,000 evaluations at once.

On PostgreSQL the rows are streamed with COPY into a temporary table, then merged with one
``INSERT … ON CONFLICT (period, staff) DO UPDATE`` (or one ``UPDATE … FROM``). Django's ``bulk_create`` and
``bulk_update`` build one large parameterised statement per batch from model instances, several times slower at this
size (``bench/evaluation.py``). Elsewhere (SQLite in development and tests) the Django calls are used; the result is
the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from psycopg.types.json import Jsonb

from telework.core import clock
from telework.evaluations.models import Evaluation

TABLE = Evaluation._meta.db_table


@dataclass
class RunRow:
    """What a period run computes for one person (the ``COMPUTED_FIELDS`` of an evaluation, plus the keys)."""

    period_id: int
    staff_id: int
    unit_id: int
    regime: str
    peer_group: str
    is_disciplined: bool
    worked_from_home: bool
    inputs: dict[str, Any]
    general_scores: dict[str, Any] | None = None
    score: Decimal | None = None
    proposed_level: str = ""
    rank_score: float = 0.0
    tie_score: float = 0.0


def _quote(name: str) -> str:
    return str(connection.ops.quote_name(name))


def _columns_and_defaults() -> list[tuple[str, str, Any]]:
    """(attribute, column, default) of every concrete column but the id."""
    result = []
    for model_field in Evaluation._meta.concrete_fields:
        if model_field.primary_key:
            continue
        result.append((model_field.attname, str(model_field.column), model_field.get_default()))
    return result


def _adapt(value: Any) -> Any:
    if isinstance(value, dict | list):
        return Jsonb(value)
    return value


def upsert(rows: Sequence[RunRow], update_fields: Sequence[str]) -> None:
    """Insert new evaluations and update ``update_fields`` of existing ones (matched on period and staff); every
    other column of an existing evaluation (self-assessment, the head's input, appeals) is left as it is."""
    if not rows:
        return
    now = clock.now()
    columns = _columns_and_defaults()
    if connection.vendor != "postgresql":
        instances = [Evaluation(**{name: getattr(row, name) for name in _row_fields()}) for row in rows]
        Evaluation.objects.bulk_create(
            instances, batch_size=500, update_conflicts=True, unique_fields=["period", "staff"], update_fields=[*update_fields, "updated_at"]
        )
        return
    stage = "evaluation_stage"
    column_list = ", ".join(_quote(column) for _name, column, _default in columns)
    present = _row_fields()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {stage}")
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} ON COMMIT DROP AS SELECT {column_list} FROM {TABLE} WITH NO DATA")  # noqa: S608 - names from the model
        fixed = {name: _adapt(default) for name, _column, default in columns if name not in present}
        fixed["updated_at"] = now
        with cursor.cursor.copy(f"COPY {stage} ({column_list}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([_adapt(getattr(row, name)) if name in present else fixed[name] for name, _column, _default in columns])
        updates = ", ".join(f"{_quote(column)} = EXCLUDED.{_quote(column)}" for column in [*(_column_of(name) for name in update_fields), "updated_at"])
        cursor.execute(f"INSERT INTO {TABLE} ({column_list}) SELECT {column_list} FROM {stage} ON CONFLICT (period_id, staff_id) DO UPDATE SET {updates}")  # noqa: S608
        cursor.execute(f"DROP TABLE {stage}")


def update_json(values: dict[int, dict[str, Any]], field_name: str) -> None:
    """Set the JSON field ``field_name`` of existing evaluations by id."""
    if not values:
        return
    if connection.vendor != "postgresql":
        instances = [Evaluation(pk=pk, **{field_name: value}) for pk, value in values.items()]
        Evaluation.objects.bulk_update(instances, [field_name], batch_size=500)
        return
    stage = "evaluation_json_stage"
    column = _column_of(field_name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {stage}")
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} (id bigint PRIMARY KEY, value jsonb) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY {stage} (id, value) FROM STDIN") as copy:
            for pk, value in values.items():
                copy.write_row([pk, Jsonb(value)])
        cursor.execute(f"UPDATE {TABLE} AS target SET {_quote(column)} = stage.value FROM {stage} AS stage WHERE target.id = stage.id")  # noqa: S608
        cursor.execute(f"DROP TABLE {stage}")


def _row_fields() -> set[str]:
    return set(RunRow.__dataclass_fields__)


def _column_of(name: str) -> str:
    model_field = Evaluation._meta.get_field(name)
    return str(getattr(model_field, "column", name))
