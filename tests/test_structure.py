"""The structure ARCHITECTURE.md promises, checked: modules under 400 lines, no Textual in the
domain, no import cycles among module-level imports."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "translator"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_every_module_is_under_400_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) >= 400}
    assert long == {}


def test_domain_code_never_imports_textual() -> None:
    for name, path in _modules().items():
        if name.startswith(("translator.tui", "translator.commands")):
            continue
        textual = {i for i in _imports(path, top_level_only=False) if i.split(".")[0] == "textual"}
        assert not textual, f"{name} imports {sorted(textual)}"


def test_no_import_cycles_among_module_level_imports() -> None:
    modules = _modules()
    graph = {name: {i for i in _imports(path, top_level_only=True) if i in modules and i != name}
             for name, path in modules.items()}
    # A package's __init__ importing its own modules is not a cycle a reader trips on.
    for name in graph:
        graph[name] = {d for d in graph[name] if not (name + ".").startswith(d + ".")}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycle = stack[stack.index(dep):] + [dep]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
