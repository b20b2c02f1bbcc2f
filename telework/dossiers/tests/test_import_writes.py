"""The import's bulk writes: a first import's rows go straight in, and a dossier another import wrote in the meantime
still ends up updated, not duplicated and not an error."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from telework.core import clock
from telework.dossiers import imports
from telework.dossiers.models import Dossier
from telework.dossiers.tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


def _values(template: Dossier, code: str, digest: str) -> tuple[object, ...]:
    adapt = connection.ops.adapt_datetimefield_value
    moment = adapt(clock.now() - dt.timedelta(days=1))
    return (
        code,
        template.procedure_id,
        template.agency_id,
        template.unit_id,
        None,
        moment,
        moment,
        moment,
        None,
        "in_person",
        "desk",
        "in_progress",
        None,
        "import",
        digest,
        adapt(clock.now()),
        adapt(clock.now()),
    )


def _upsert(rows: list[tuple[object, ...]], *, all_new: bool) -> None:
    update = [name for name in imports.DOSSIER_COLUMNS if name not in ("code", "created_at")]
    imports._insert_rows(Dossier, imports.DOSSIER_COLUMNS, rows, conflict="code", update=update, all_new=all_new)


def test_rows_all_new_are_inserted():
    template = DossierFactory()
    _upsert([_values(template, "MOI-1", "a"), _values(template, "MOI-2", "b")], all_new=True)
    assert dict(Dossier.objects.filter(code__startswith="MOI-").values_list("code", "row_digest")) == {"MOI-1": "a", "MOI-2": "b"}


def test_a_row_written_meanwhile_is_updated_not_duplicated():
    template = DossierFactory()
    _upsert([_values(template, "CHEN-1", "old")], all_new=True)
    # The plan saw neither row, but another import wrote CHEN-1 in between: the straight insert gives way to the upsert.
    _upsert([_values(template, "CHEN-1", "new"), _values(template, "CHEN-2", "b")], all_new=True)
    assert dict(Dossier.objects.filter(code__startswith="CHEN-").values_list("code", "row_digest")) == {"CHEN-1": "new", "CHEN-2": "b"}
    assert Dossier.objects.filter(code="CHEN-1").count() == 1
