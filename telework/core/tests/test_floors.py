"""The floors hold: ``core`` imports no other app and every app imports only the apps below it (the import-linter
contracts in ``pyproject.toml``, also run by ``make lint``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_the_import_contracts_are_kept():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter), "--no-cache"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_no_service_imports_a_tasks_module():
    """Services queue tasks by name (``core.background.enqueue``); tasks import the services they call. A service that
    imported its tasks module would bring the cycle back, usually hidden in a function-local import."""
    import ast

    root = Path(settings.BASE_DIR) / "telework"
    services = [*root.glob("*/services.py"), *root.glob("*/services/*.py")]
    offenders = []
    for path in services:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and (node.module.endswith(".tasks") or any(alias.name == "tasks" for alias in node.names)):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    assert len(services) > 20
    assert offenders == []
