"""Adapters use ``core`` only through what ``infointerview/core/__init__.py`` exports.

The core can then move its modules around (a repository here, a catalogue there) without an
adapter noticing; whatever an adapter needs is named in one place. Imports inside functions and
under ``TYPE_CHECKING`` count too (grimp's graph, as import-linter builds it).
"""

from __future__ import annotations

import grimp


def test_adapters_import_core_only_through_its_exports() -> None:
    graph = grimp.build_graph("infointerview")
    past_the_exports = sorted(
        (module, imported)
        for module in graph.find_descendants("infointerview.adapters")
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.startswith("infointerview.core."))
    assert past_the_exports == []
