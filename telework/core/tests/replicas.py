"""A read replica for the tests: the test database itself under a second connection (what Django's TEST MIRROR
makes), or a database that cannot be reached.

The connection is registered for this thread only, outside ``connections.settings``, and ``settings.DATABASES``
names it: Django's test cases refuse connections to aliases the test did not declare, but leave alone connections
made while the test runs. Read through it in tests marked ``django_db(transaction=True)``: the mirror sees committed
rows only, as a replica does.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.utils import load_backend
from django.test import override_settings

from telework.core import db
from telework.core.tests.servers import free_loopback_port


@contextmanager
def replica_alias(*, broken: bool = False) -> Iterator[str]:
    config: dict[str, Any] = dict(connections["default"].settings_dict)
    if broken:
        if config["ENGINE"].endswith("sqlite3"):
            config["NAME"] = "/nonexistent-telework-replica/replica.sqlite3"
        else:
            config.update(HOST="127.0.0.1", PORT=str(closed_port()), OPTIONS={**config.get("OPTIONS", {}), "connect_timeout": 2})
    config["TEST"] = {**config.get("TEST", {}), "MIRROR": "default"}
    wrapper = load_backend(config["ENGINE"]).DatabaseWrapper(config, "replica")
    connections["replica"] = wrapper
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Overriding setting DATABASES can lead to unexpected behavior"
        override = override_settings(DATABASES={**settings.DATABASES, "replica": config}, DATABASE_ROUTERS=["telework.core.db.ReportingRouter"])
        override.enable()
    db.forget_replica_state()
    try:
        yield "replica"
    finally:
        wrapper.close()
        del connections["replica"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            override.disable()
        db.forget_replica_state()


def closed_port() -> int:
    """A loopback TCP port nothing listens on (bound, then released)."""
    return free_loopback_port()
