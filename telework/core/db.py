"""Cursors for the few statements on the hot path (the morning check-in): prepared once per connection.

Django's PostgreSQL cursors bind parameters on the client and send each statement as text, so PostgreSQL plans it
at every execution. For the check-in's read that planning took longer than running it (0.29 ms of 0.55 ms,
measured with EXPLAIN ANALYZE on the benchmark's data). ``hot_cursor`` gives a cursor that binds on the server,
which psycopg turns into a prepared statement on first use (``prepare_threshold`` is set to 0 for PostgreSQL in
``config.settings.base`` unless ``TELEWORK_DB_PREPARED_STATEMENTS=0``), wrapped by Django as any cursor: its errors
are Django's (``IntegrityError``…), tests count its queries, and the connection's transaction state is shared.

SQLite and a PostgreSQL connection without prepared statements get Django's ordinary cursor.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections


class _LoggedStatement:
    """What Django's query log reads from a psycopg cursor (``cursor._query.query``, see
    ``DatabaseOperations.last_executed_query``): here the statement's text, placeholders and all."""

    def __init__(self, sql: str) -> None:
        self.query = sql.encode()


class _PreparingCursor(psycopg.Cursor[Any]):
    """psycopg's server-binding cursor. A prepared execution leaves no text where Django's query log looks for it,
    so the statement's text is put there (tests count and read these statements as any other)."""

    def execute(self, query: Any, params: Any = None, **options: Any) -> _PreparingCursor:
        super().execute(query, params, **options)
        self._query = _LoggedStatement(str(query))  # type: ignore[assignment]
        return self


@contextmanager
def hot_cursor(using: str = DEFAULT_DB_ALIAS) -> Iterator[Any]:
    """A cursor whose statements PostgreSQL prepares once per connection (see the module's note)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        if getattr(connection.connection, "prepare_threshold", None) is not None:
            # Django's own wrapper (query log, execute wrappers, error translation) around a server-binding cursor.
            with cast(Any, connection)._prepare_cursor(_PreparingCursor(connection.connection)) as cursor:
                yield cursor
            return
    with connection.cursor() as cursor:
        yield cursor
