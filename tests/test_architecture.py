"""The layers of supple, read off every import in src/supple (as written, lazy ones too):

    core     the rules and the data types: imports nothing of supple outside core
    store    files on disk: of the core only its data types, text helper and pose vocabulary
             (core.model, core.text, core.pose and the built-in poses, core.poses)
    context  the wiring of core and store, and notify: import neither tui nor cli
    tui      the app: the only part that imports Textual (or Rich, or textual-serve)
    cli      the command line: may use all of the above

and no module reaches itself again through the modules it imports. An import
under `if TYPE_CHECKING:` names a type and runs nothing, so loops only count
the imports that run; the layers count them all.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "supple"
DRAWING = ("textual", "rich", "textual_serve")

# importer (a module or a package, by prefix) -> what of supple it may import (by prefix)
ALLOWED = {
    "supple.core": ("supple.core",),
    "supple.store": ("supple.store", "supple.core.model", "supple.core.text", "supple.core.pose",
                     "supple.core.poses"),
    "supple.context": ("supple.core", "supple.store"),
    "supple.notify": ("supple.core.text",),
    "supple.tui": ("supple.core", "supple.store", "supple.context", "supple.notify", "supple.tui"),
    "supple.cli": ("supple",),
    "supple.__main__": ("supple.cli",),
}


def module_name(package: Path, path: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(package: Path) -> dict[str, list[tuple[str, bool]]]:
    """Every module of the package -> the modules it imports, each with whether the import runs."""
    modules = {module_name(package, p): p for p in package.rglob("*.py")}
    found: dict[str, list[tuple[str, bool]]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        type_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and _is_type_checking(node.test)
                     for stmt in node.body for n in ast.walk(stmt)}
        found[name] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                # `from a.b import c` imports the module a.b.c when there is one, else a.b
                targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                           for a in node.names]
            else:
                continue
            found[name] += [(t, id(node) not in type_only) for t in targets]
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def layer_problems(graph: dict[str, list[tuple[str, bool]]]) -> list[str]:
    out = []
    for module, targets in sorted(graph.items()):
        rule = next((allowed for prefix, allowed in ALLOWED.items() if _under(module, prefix)), None)
        for target, _runs in targets:
            top = target.split(".")[0]
            if top in DRAWING and not _under(module, "supple.tui"):
                out.append(f"{module} imports {target}: only supple.tui may use Textual")
            elif top == "supple" and rule is not None and target != "supple" \
                    and not any(_under(target, ok) for ok in rule):
                out.append(f"{module} imports {target}: not in its layer's reach {rule}")
    return out


def loops(graph: dict[str, list[tuple[str, bool]]]) -> list[list[str]]:
    """The groups of modules that import each other, round and round (Tarjan's algorithm)."""
    edges = {m: sorted({t for t, runs in ts if runs and t in graph and t != m}) for m, ts in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(m: str) -> None:
        index[m] = low[m] = len(index)
        stack.append(m)
        on_stack.add(m)
        for t in edges[m]:
            if t not in index:
                visit(t)
                low[m] = min(low[m], low[t])
            elif t in on_stack:
                low[m] = min(low[m], index[t])
        if low[m] == index[m]:
            group = []
            while True:
                t = stack.pop()
                on_stack.discard(t)
                group.append(t)
                if t == m:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for m in sorted(edges):
        if m not in index:
            visit(m)
    return groups


def test_every_module_keeps_to_its_layer() -> None:
    graph = imports(PACKAGE)
    assert "supple.store.cache" in graph and "supple.tui.app" in graph  # the walk found the code
    assert layer_problems(graph) == []


def test_no_two_modules_import_each_other_in_a_loop() -> None:
    assert loops(imports(PACKAGE)) == []


PLANTED = {
    "__init__.py": "",
    "core/__init__.py": "",
    "core/model.py": "",
    "core/stats.py": "from supple.store import history\n",  # the rules reach into files
    "store/__init__.py": "",
    "store/history.py": "from supple.core.stats import Tally\nfrom supple.core.model import Session\n",
    "store/config.py": "def f():\n    import textual.app\n",  # lazy, and still counted
    "cli/__init__.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from rich.text import Text\n",
    "tui/__init__.py": "",
    "tui/a.py": "import supple.tui.b\nfrom supple.cli import main\n",
    "tui/b.py": "from supple.tui import a\n",
}


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    package = tmp_path / "supple"
    for rel, text in PLANTED.items():
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text(text, encoding="utf-8")
    return package


def test_the_checks_catch_what_is_planted(planted: Path) -> None:
    graph = imports(planted)
    assert layer_problems(graph) == [
        "supple.cli imports rich.text: only supple.tui may use Textual",
        "supple.core.stats imports supple.store.history: not in its layer's reach ('supple.core',)",
        "supple.store.config imports textual.app: only supple.tui may use Textual",
        "supple.store.history imports supple.core.stats: not in its layer's reach "
        "('supple.store', 'supple.core.model', 'supple.core.text', 'supple.core.pose', 'supple.core.poses')",
        "supple.tui.a imports supple.cli: not in its layer's reach "
        "('supple.core', 'supple.store', 'supple.context', 'supple.notify', 'supple.tui')",
    ]
    assert loops(graph) == [["supple.core.stats", "supple.store.history"], ["supple.tui.a", "supple.tui.b"]]


# -- no markup: text widgets are made with markup=False (supple/tui/plain.py) ------------

TEXT_WIDGETS = ("Static", "Label")


def markup_problems(package: Path) -> list[str]:
    """Each text widget made without `markup=False`, and each notify asking for markup."""
    out = []
    for path in sorted((package / "tui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            markup = next((k.value for k in node.keywords if k.arg == "markup"), None)
            plain = isinstance(markup, ast.Constant) and markup.value is False
            if (name in TEXT_WIDGETS and not plain) or (name == "notify" and markup is not None and not plain):
                out.append(f"{path.relative_to(package).as_posix()}:{node.lineno}: {name}(…) may read markup")
    return out


def test_no_text_widget_reads_markup() -> None:
    assert markup_problems(PACKAGE) == []


def test_the_markup_check_catches_what_is_planted(tmp_path: Path) -> None:
    (tmp_path / "tui").mkdir()
    (tmp_path / "tui" / "x.py").write_text(
        'Static("a", markup=False)\nLabel(name)\nself.notify(m, markup=True)\nStatic(t, markup=flag)\n')
    assert markup_problems(tmp_path) == ["tui/x.py:2: Label(…) may read markup",
                                         "tui/x.py:3: notify(…) may read markup",
                                         "tui/x.py:4: Static(…) may read markup"]
