"""The package's folders draw the audit's flow: few modules at the root, one-way imports, no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "imilo_audit"
ROOT_MODULES = {"__init__.py", "config.py", "errors.py", "text.py", "notebook.py"}


def test_only_the_shared_modules_stay_at_the_package_root():
    assert {p.name for p in PACKAGE.glob("*.py")} == ROOT_MODULES


def test_every_folder_says_what_it_is_for():
    for folder in (p for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        if folder.name == "templates" or not any(folder.glob("*.py")):
            continue
        init = folder / "__init__.py"
        assert init.is_file(), f"{folder.name}/ has no __init__.py"
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring, f"{folder.name}/__init__.py has no docstring"


def test_data_flows_one_way_between_the_folders(monkeypatch, capsys):
    # the layers of pyproject.toml's [tool.importlinter]: a folder never imports one above it, even lazily
    monkeypatch.chdir(ROOT)
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    assert code == 0, capsys.readouterr().out[-3000:]


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def test_cycles_are_found_when_there_are_some():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_back_through_others():
    # every import statement counts, also inside a function or under TYPE_CHECKING
    graph = grimp.build_graph("imilo_audit", cache_dir=None)
    edges = {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
    assert _cycles(edges) == []
