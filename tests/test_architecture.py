"""The layers stay where they belong: checked on the source, so a violation fails before review.

- The domain (and the positioning rules) import no Django: business rules run without a database.
- Selectors (reads) import no services (writes).
- Among the interface layers, only views import forms; templatetags, forms, api and views
  otherwise import none of each other (shared pieces live in `labels`, selectors or the domain).
- No import cycle inside the project, and no import of the project's own modules inside a
  function (the usual way a cycle is hidden).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("customer_ops", "dealix", "positioning", "landing")
OWN = tuple(f"{package}" for package in PACKAGES)
PURE_MODULES = sorted((ROOT / "customer_ops" / "domain").glob("*.py")) + [
    ROOT / "positioning" / "lock.py",
    ROOT / "positioning" / "claims.py",
]
INTERFACE_LAYERS = ("templatetags", "forms", "api", "views")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_files() -> Iterator[Path]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _is_own(module: str) -> bool:
    return module.split(".")[0] in OWN


def _graph(files: list[Path]) -> dict[str, set[str]]:
    """Module → the project modules it imports (`from a.b import c` counts `a.b.c` if a module)."""
    modules = {_module_name(path): path for path in files}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and _is_own(node.module):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    edges.add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                edges.update(alias.name for alias in node.names if _is_own(alias.name))
        graph[name] = {edge for edge in edges if edge in modules and edge != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "customer_ops" and len(parts) > 1 and parts[1] in INTERFACE_LAYERS:
        return parts[1]
    return None


def _late_imports(path: Path) -> list[str]:
    """Imports of the project's own modules placed inside a function or method body."""
    late: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and inner.module and _is_own(inner.module):
                late.append(f"line {inner.lineno}: from {inner.module}")
            elif isinstance(inner, ast.Import):
                late += [
                    f"line {inner.lineno}: import {a.name}" for a in inner.names if _is_own(a.name)
                ]
    return late


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


def test_selectors_import_no_services() -> None:
    selectors = sorted((ROOT / "customer_ops" / "selectors").glob("*.py"))

    offending = {
        path.name: sorted(m for m in _imported_modules(path) if "customer_ops.services" in m)
        for path in selectors
    }

    assert {name: mods for name, mods in offending.items() if mods} == {}


def test_interface_layers_import_each_other_only_as_views_to_forms() -> None:
    graph = _graph(list(_project_files()))

    crossings = sorted(
        f"{source} -> {target}"
        for source, targets in graph.items()
        for target in targets
        if (a := _layer(source)) and (b := _layer(target)) and a != b
        if not (a == "views" and b == "forms")
    )

    assert crossings == []


def test_no_import_cycle_inside_the_project() -> None:
    assert _cycles(_graph(list(_project_files()))) == []


def test_no_function_level_imports_of_project_modules() -> None:
    late = {
        str(p.relative_to(ROOT)): found for p in _project_files() if (found := _late_imports(p))
    }

    assert late == {}


def test_architecture_check_catches_a_django_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from django.db import models\nimport os\n", encoding="utf-8")

    assert "django.db" in _imported_modules(sample)


def test_cycle_and_late_import_checks_catch_what_they_guard(tmp_path: Path) -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    sample = tmp_path / "late.py"
    sample.write_text("def f():\n    from customer_ops.services import tickets\n", encoding="utf-8")

    assert _cycles(graph) == [["a", "b", "c"]]
    assert _late_imports(sample) == ["line 2: from customer_ops.services"]
