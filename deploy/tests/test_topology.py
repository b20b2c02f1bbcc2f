"""The topology's pure helpers (the topology itself needs root and minutes: ``bench/drill.py``, not ``make test``)."""

from __future__ import annotations

import os
from pathlib import Path

from bench.drill import _status_histogram
from deploy import topology


def test_every_host_has_its_own_address_and_a_valid_interface_name() -> None:
    addresses = [topology.address(host) for host in topology.HOSTS]
    assert len(set(addresses)) == len(addresses)
    assert all(address.startswith("10.77.0.") and address != topology.HOST_SIDE_ADDRESS for address in addresses)
    assert all(len(topology.veth_name(host)) <= 15 for host in topology.HOSTS)
    assert len({topology.veth_name(host) for host in topology.HOSTS}) == len(topology.HOSTS)


def test_haproxy_balances_both_application_hosts_and_checks_their_health() -> None:
    config = topology.haproxy_config("/health/live/", ["10.77.0.11", "10.77.0.12"])
    assert "balance roundrobin" in config
    assert "server app1 10.77.0.11:8000 check" in config
    assert "server app2 10.77.0.12:8000 check" in config
    assert "uri /health/live/" in config
    assert "bind 10.77.0.10:80" in config
    # Only a request that never reached a host is sent to the other one.
    assert "retry-on conn-failure\n" in config


def test_the_application_role_may_only_insert_and_select_the_audit_trail() -> None:
    grants = topology.audit_grants("app")
    assert grants.index("REVOKE ALL ON core_auditevent FROM app") > grants.index("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app")
    assert grants[-2] == "GRANT SELECT, INSERT ON core_auditevent TO app"


def test_static_files_are_collected_again_only_when_a_source_is_newer(tmp_path: Path) -> None:
    assert topology.static_files_stale(tmp_path)
    source = tmp_path / "static" / "telework" / "site.css"
    source.parent.mkdir(parents=True)
    source.write_text("body {}")
    manifest = tmp_path / "var" / "static" / "staticfiles.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text("{}")
    past = manifest.stat().st_mtime - 60  # older than the manifest whatever the clock says (tests freeze it)
    os.utime(source, (past, past))
    assert not topology.static_files_stale(tmp_path)
    source.write_text("body { margin: 0 }")
    assert topology.static_files_stale(tmp_path)


def test_the_drill_counts_each_status_received() -> None:
    assert _status_histogram({"a": [0, 502, 201], "b": [201], "c": [0, 409]}) == {"0": 2, "201": 2, "409": 1, "502": 1}
