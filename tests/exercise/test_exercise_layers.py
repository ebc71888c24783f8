"""The exercise package's rooms, read from the source: imports go web -> service -> db only, and no module
imports another of the package's modules inside a function body (a hidden cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import alliance_c2.exercise

PACKAGE = "alliance_c2.exercise"
ROOT = Path(alliance_c2.exercise.__file__).parent
RANK = {"db": 0, "service": 1, "web": 2}


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join((PACKAGE, *parts)).removesuffix(".__init__")
        found.append((name, path))
    return found


def _imported(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """Absolute names of what `node` imports (relative imports resolved against `module`)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    base = package.split(".")
    if node.level:
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    return [f"{target}.{a.name}" for a in node.names] + [target]


def _room(name: str) -> str | None:
    parts = name.split(".")
    if name.startswith(PACKAGE + ".") and len(parts) > 2 and parts[2] in RANK:
        return parts[2]
    return None


def _function_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    inside: list[ast.Import | ast.ImportFrom] = []
    for func in ast.walk(tree):
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            inside += [n for n in ast.walk(func) if isinstance(n, ast.Import | ast.ImportFrom)]
    return inside


MODULES = _modules()


def test_the_package_has_three_rooms():
    rooms = {_room(name) for name, _ in MODULES} - {None}
    assert rooms == set(RANK)
    assert all(_room(name) is not None for name, _ in MODULES if name.count(".") > 2), "a module outside the rooms"


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_no_module_imports_upward(module: str, path: Path):
    room = _room(module)
    if room is None:
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    upward = sorted({name for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
                     for name in _imported(module, path, node)
                     if (other := _room(name)) is not None and RANK[other] > RANK[room]})
    assert upward == [], f"{module} ({room}) imports from a room above it: {upward}"


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_no_module_imports_the_package_inside_a_function(module: str, path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = sorted({name for node in _function_imports(tree) for name in _imported(module, path, node)
                     if name.startswith(PACKAGE)})
    assert hidden == [], f"{module} imports {hidden} inside a function"


def test_the_checks_see_an_upward_and_a_hidden_import():
    """The two rules, tried on made-up modules, so that they cannot pass by finding nothing."""
    source = "from ..web import app\n\ndef f():\n    from . import tx\n"
    tree = ast.parse(source)
    fake = ROOT / "db" / "example.py"
    names = [n for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
             for n in _imported(f"{PACKAGE}.db.example", fake, node)]
    assert f"{PACKAGE}.web.app" in names and _room(f"{PACKAGE}.web.app") == "web"
    hidden = [n for node in _function_imports(tree) for n in _imported(f"{PACKAGE}.db.example", fake, node)]
    assert f"{PACKAGE}.db.tx" in hidden
