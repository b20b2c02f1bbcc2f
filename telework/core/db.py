"""The databases' helpers: cursors for the hot path, and the read replica's alias for reports.

``reporting_alias()`` (end of the module) names the database that dashboards, the outcome panel's screens and the
exports read: the streaming replica when one is configured, answers and keeps up, else the primary.

Cursors for the few statements on the hot path (the morning check-in): prepared once per connection.

Django's PostgreSQL cursors bind parameters on the client and send each statement as text, so PostgreSQL plans it
at every execution. For the check-in's read that planning took longer than running it (0.29 ms of 0.55 ms,
measured with EXPLAIN ANALYZE on the benchmark's data). ``hot_cursor`` gives a cursor that binds on the server,
which psycopg turns into a prepared statement on first use (``prepare_threshold`` is set to 0 for PostgreSQL in
``config.settings.base`` unless ``TELEWORK_DB_PREPARED_STATEMENTS=0``), wrapped by Django as any cursor: its errors
are Django's (``IntegrityError``…), tests count its queries, and the connection's transaction state is shared.

SQLite and a PostgreSQL connection without prepared statements get Django's ordinary cursor.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import psycopg
from django.conf import settings
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


# --- The read replica --------------------------------------------------------------------------------------------

REPLICA_ALIAS = "replica"
# How long a verdict on the replica (answers, lag under the limit) is kept before it is asked again, per process.
REPLICA_CHECK_SECONDS = 5.0
# What PostgreSQL's standby says about its lag: 0 when it has replayed everything it received (an idle primary sends
# nothing, so the last replayed transaction's age would grow without any lag); otherwise the age of the last
# transaction replayed. Not in recovery (promoted, or the tests' mirror of the primary): no lag.
_LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM (now() - pg_last_xact_replay_timestamp())), 0)
END
"""

logger = logging.getLogger(__name__)
_replica_lock = threading.Lock()
_replica_state: dict[str, Any] = {"checked": None, "usable": False}


def replica_configured() -> bool:
    return REPLICA_ALIAS in settings.DATABASES


def replica_lag_seconds(alias: str = REPLICA_ALIAS) -> float:
    """How far behind the primary the replica's data is, in seconds (0 on SQLite: the tests' mirror)."""
    with connections[alias].cursor() as cursor:
        if connections[alias].vendor != "postgresql":
            cursor.execute("SELECT 0")
        else:
            cursor.execute(_LAG_SQL)
        row = cursor.fetchone()
    return float(row[0] or 0) if row else 0.0


def _replica_usable() -> bool:
    try:
        lag = replica_lag_seconds()
    except Exception as error:  # noqa: BLE001 — a replica that cannot answer is not used, whatever the reason
        logger.warning("The read replica does not answer (%s: %s); reports read the primary", type(error).__name__, error)
        connections[REPLICA_ALIAS].close()
        return False
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        logger.warning("The read replica is %.0f s behind (limit %s s); reports read the primary", lag, settings.REPLICA_MAX_LAG_SECONDS)
        return False
    return True


def reporting_alias() -> str:
    """The database alias for reads that may be a few seconds old: the dashboards, the outcome panel's screens, the
    Excel and PDF exports. ``"replica"`` when ``TELEWORK_REPLICA_DATABASE_URL`` is set and the replica answers within
    ``TELEWORK_REPLICA_MAX_LAG_SECONDS`` of lag; otherwise ``"default"``. The verdict is kept a few seconds per
    process. Never for a write, nor for what decides (check-ins, approvals): those read the primary."""
    if not replica_configured():
        return DEFAULT_DB_ALIAS
    moment = time.monotonic()
    with _replica_lock:
        checked = _replica_state["checked"]
        if checked is not None and moment - checked < REPLICA_CHECK_SECONDS:
            return REPLICA_ALIAS if _replica_state["usable"] else DEFAULT_DB_ALIAS
        usable = _replica_usable()
        _replica_state.update(checked=time.monotonic(), usable=usable)
    return REPLICA_ALIAS if usable else DEFAULT_DB_ALIAS


def forget_replica_state() -> None:
    """Ask the replica again at the next ``reporting_alias`` (tests; a configuration change)."""
    with _replica_lock:
        _replica_state.update(checked=None, usable=False)
