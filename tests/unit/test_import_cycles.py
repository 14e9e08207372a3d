"""No import cycles between the project's modules: every module of ``core``, ``adapters`` and
``bot`` can be understood (and imported) after the modules it imports, never in a loop with them.

The graph is grimp's (as import-linter builds it): imports inside functions and under
``TYPE_CHECKING`` count too, so a cycle cannot hide behind either.
"""

from __future__ import annotations

from pathlib import Path

import grimp

PACKAGES = ("infointerview",)
ROOT = Path(__file__).resolve().parents[2]



def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, without recursion)."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, at = work.pop()
            if at == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            for position in range(at, len(edges[node])):
                nxt = edges[node][position]
                if nxt not in index:
                    work += [(node, position + 1), (nxt, 0)]
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
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
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return found


def one_loop(graph: grimp.ImportGraph, component: list[str]) -> str:
    """A loop through the component's first module, as ``a -> b -> ... -> a``."""
    first = component[0]
    nxt = next(m for m in sorted(graph.find_modules_directly_imported_by(first))
               if m in component)
    back = graph.find_shortest_chain(importer=nxt, imported=first)
    assert back is not None
    return " -> ".join((first, *back))


def build() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES)


def test_no_module_imports_itself_through_others() -> None:
    graph = build()
    loops = [one_loop(graph, component) for component in cycles(graph)]
    assert not loops, "import cycles:\n  " + "\n  ".join(loops)


def test_every_module_is_in_the_graph() -> None:
    """A folder without ``__init__.py`` would be left out of the graph, cycles and all."""
    graph = build()
    files = [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
             if "migrations" not in path.parts]  # alembic's scripts, loaded by path
    names = {".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
             for path in files}
    assert names - graph.modules == set()


def test_a_new_cycle_is_found() -> None:
    graph = build()
    graph.add_import(importer="infointerview.core.model", imported="infointerview.core.engine")
    loops = [one_loop(graph, component) for component in cycles(graph)]
    assert len(loops) == 1 and loops[0].startswith("infointerview.core.")
    assert "infointerview.core.engine" in loops[0] and "infointerview.core.model" in loops[0]
