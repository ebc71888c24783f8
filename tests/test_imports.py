"""The package's import structure, read from the source: layers import downward only, no module-level
import cycle, and every import of a project module inside a function says (in a comment) why it waits.

The exercise service (`exercise/` and the `cli/exercise.py` it came with) is being restructured into
web/service/db rooms by issue 13, which has its own check of the rooms' imports; it is left out here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "alliance_c2"
RESTRUCTURED = ("alliance_c2.exercise",)  # checked room by room in tests/exercise/test_exercise_layers.py
# Which top-level parts each part may import at module level (DESIGN.md "Data flows one way").
ALLOWED = {
    "model": {"model"},
    "analysis": {"model", "analysis"},
    "law": {"model", "analysis", "law"},
    "interop": {"model", "law", "interop"},
    "sim": {"model", "analysis", "law", "sim"},
    "labels": {"model", "labels"},
    "report": {"model", "analysis", "law", "sim", "labels", "report"},
    "api": {"model", "analysis", "law", "api"},
    "studio": {"model", "analysis", "law", "sim", "labels", "report", "studio"},
    "cli": {"model", "analysis", "law", "interop", "sim", "labels", "report", "api", "cli"},
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _target(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _sources() -> dict[str, tuple[Path, ast.Module]]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module(path)
        if not module.startswith(RESTRUCTURED) and "migrations" not in module:
            out[module] = (path, ast.parse(path.read_text(encoding="utf-8")))
    return out


SOURCES = _sources()


def _type_checking_only(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in ast.walk(node):
                lines.add(getattr(inner, "lineno", -1))
    return lines


def _module_level_imports(module: str, path: Path, tree: ast.Module) -> set[str]:
    """Project modules `module` imports when it is imported (not under TYPE_CHECKING, not in a function)."""
    skip = _type_checking_only(tree)
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.lineno not in skip:
            target = _target(module, node, path.name == "__init__.py")
            if target.startswith("alliance_c2"):
                for alias in node.names:
                    found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in SOURCES else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("alliance_c2"))
    return {f for f in found if f in SOURCES and f != module}


GRAPH = {m: _module_level_imports(m, path, tree) for m, (path, tree) in SOURCES.items()}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_no_import_cycle() -> None:
    done: set[str] = set()
    stack: list[str] = []

    def visit(node: str) -> None:
        if node in stack:
            cycle = [*stack[stack.index(node):], node]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if node in done:
            return
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            # A package importing its own submodules is how packages re-export; the reverse would be a cycle.
            if not nxt.startswith(node + "."):
                visit(nxt)
        stack.pop()
        done.add(node)

    for module in sorted(GRAPH):
        visit(module)


def test_layers_import_downward_only() -> None:
    wrong = [
        f"{module} imports {imported}"
        for module, imports in GRAPH.items()
        for imported in imports
        if _part(module) in ALLOWED and _part(imported) not in ALLOWED[_part(module)]
    ]
    assert wrong == []


def test_every_import_inside_a_function_says_why() -> None:
    unexplained = []
    for module, (path, tree) in SOURCES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.ImportFrom) and _target(module, node, path.name == "__init__.py").startswith(
                    "alliance_c2"
                ):
                    above = node.lineno - 2
                    while (above >= 0 and lines[above].strip().startswith(("from ", "import ", ")"))) \
                            or (lines[above].startswith("        ") and lines[above].strip().endswith(",")):
                        above -= 1
                    if not lines[above].strip().startswith("#"):
                        unexplained.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert unexplained == []
