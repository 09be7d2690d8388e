"""The domain layer stays free of Django: business rules run and test without a database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE_MODULES = sorted((ROOT / "customer_ops" / "domain").glob("*.py")) + [
    ROOT / "positioning" / "lock.py",
    ROOT / "positioning" / "claims.py",
]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", PURE_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_module_imports_no_django(path: Path) -> None:
    assert path.exists(), f"{path} is missing"

    imported = _imported_modules(path)

    offending = {
        name
        for name in imported
        if name.split(".")[0] in {"django", "rest_framework", "drf_spectacular"}
    }
    assert not offending, f"{path.name} imports {sorted(offending)}"


def test_architecture_check_catches_a_django_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from django.db import models\nimport os\n", encoding="utf-8")

    assert "django.db" in _imported_modules(sample)
