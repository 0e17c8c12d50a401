"""Imports point down the layers, never in a circle; the preview uses the public API only.

The layers, bottom to top (ARCHITECTURE.md draws them):

    0 core      cleaner/*.py, cleaner/extract, cleaner/rules, cleaner/profiles
    1 sources   cleaner/sources            (guarded fetch, WARC)
    2 tools     cleaner/batch, cleaner/contrib, cleaner/devtools   (no arrows between them)
    3 preview   webapp                     (public API only)
    4 cli       cleaner/cli, cleaner/__main__.py   (may start the preview)

Every import statement is read with ``ast``, those inside functions too.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cleaner", "webapp")
GROUPS = (  # (module prefix, group, layer), longest prefix first
    ("cleaner.sources", "cleaner.sources", 1), ("cleaner.batch", "cleaner.batch", 2),
    ("cleaner.contrib", "cleaner.contrib", 2), ("cleaner.devtools", "cleaner.devtools", 2),
    ("cleaner.cli", "cleaner.cli", 4), ("cleaner.__main__", "cleaner.cli", 4),
    ("webapp", "webapp", 3), ("cleaner", "cleaner", 0),
)
# what the preview may import: the package's API, and these modules' __all__
PUBLIC_MODULES = ("cleaner", "cleaner.dom", "cleaner.profiles", "cleaner.sources",
                  "cleaner.sources.fetch", "cleaner.devtools.fixtures")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


def group(module: str) -> tuple[str, int]:
    for prefix, name, layer in GROUPS:
        if module == prefix or module.startswith(prefix + "."):
            return name, layer
    raise AssertionError(f"{module} is in no layer")


def imports(module: str, source: str, known: set[str],
            is_package: bool) -> Iterator[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import of the project's."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] not in PACKAGES:
                continue
            names = [a.name for a in node.names]
            subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in known]
            if subs:  # "from . import batch": the submodules themselves
                yield from ((s, [], node.lineno) for s in subs)
                names = [n for n in names if f"{target}.{n}" not in known]
                if not names:
                    continue
            yield target, names, node.lineno


def wrong_arrows(module: str, source: str, known: set[str], is_package: bool) -> list[str]:
    """The imports of ``module`` that break the layering, as readable lines."""
    bad = []
    own, layer = group(module)
    for target, names, line in imports(module, source, known, is_package):
        their, their_layer = group(target)
        where = f"{module}:{line} imports {target}"
        if their_layer > layer:
            bad.append(f"{where}: layer {layer} ({own}) must not import layer "
                       f"{their_layer} ({their})")
        elif their_layer == layer and their != own:
            bad.append(f"{where}: {own} and {their} are side by side; neither imports "
                       "the other")
        if own == "webapp" and their != "webapp":
            if target not in PUBLIC_MODULES:
                bad.append(f"{where}: the preview imports only the public API")
            else:
                public = set(getattr(importlib.import_module(target), "__all__", ()))
                for name in names:
                    if name not in public:
                        bad.append(f"{where}: {name} is not in {target}.__all__")
    return bad


def graph() -> dict[str, set[str]]:
    mods = all_modules()
    known = set(mods)
    return {name: {t for t, _, _ in imports(name, path.read_text("utf-8"), known,
                                            path.name == "__init__.py") if t in known}
            for name, path in mods.items()}


def test_imports_point_down_the_layers():
    mods = all_modules()
    known = set(mods)
    bad = [b for name, path in sorted(mods.items())
           for b in wrong_arrows(name, path.read_text("utf-8"), known,
                                 path.name == "__init__.py")]
    assert not bad, "\n".join(bad)


def test_no_import_cycles():
    edges = graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*stack[stack.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not cycles, "\n".join(cycles)


@pytest.mark.parametrize("module, source, is_package, expected", [
    ("cleaner.parse", "from .cli import main", False, "layer 0 (cleaner) must not import"),
    ("cleaner.extract", "from ..devtools.bench import run_bench", True, "must not import"),
    ("cleaner.pipeline", "import webapp.views", False, "must not import layer 3"),
    ("cleaner.sources.fetch", "from ..batch import run_batch", False, "must not import"),
    ("cleaner.batch.worker", "from ..devtools import audit", False, "side by side"),
    ("webapp.annotate", "from cleaner.prune import prune", False, "only the public API"),
    ("webapp.views", "from cleaner import _coerce", False, "not in cleaner.__all__"),
    ("webapp.views", "from cleaner.cli import main", False, "must not import layer 4"),
])
def test_a_wrong_arrow_is_caught(module, source, is_package, expected):
    found = wrong_arrows(module, source, set(all_modules()), is_package)
    assert found and expected in found[0], found


def test_allowed_arrows_pass():
    known = set(all_modules())
    assert wrong_arrows("cleaner.cli.serve", "from webapp.server import serve", known,
                        False) == []
    assert wrong_arrows("webapp.views", "from cleaner import clean_article", known,
                        False) == []
    assert wrong_arrows("cleaner.batch.worker", "from ..pipeline import clean_article",
                        known, False) == []


def test_public_names_are_exactly_all():
    import cleaner
    public = {n for n in vars(cleaner) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(cleaner, n)).__name__ == "module"}
    assert public - modules == set(cleaner.__all__) - {"__version__"}
    for name in cleaner.__all__:
        assert hasattr(cleaner, name), name
