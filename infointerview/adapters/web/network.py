"""The referral chain two ways: data for the graph (Cytoscape.js) and a nested list that works
without JavaScript and reads well in a screen reader."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from infointerview.adapters.web.ports import NetworkEdgeLike, NetworkNodeLike

ME = "me"


@dataclass(slots=True)
class Branch:
    id: str
    label: str
    stage: str
    children: list[Branch] = field(default_factory=list)


def referral_tree(nodes: Sequence[NetworkNodeLike],
                  edges: Sequence[NetworkEdgeLike]) -> list[Branch]:
    """The people I found directly, each with whom they led me to (and so on). Every node shows
    once; one the edges do not reach from me (or that sits in a loop) hangs from the top."""
    by_id = {node.id: node for node in nodes}
    children: dict[str, list[str]] = {}
    for edge in edges:
        if edge.source in by_id and edge.target in by_id:
            children.setdefault(edge.source, []).append(edge.target)
    placed: set[str] = {ME}

    def grow(node_id: str) -> Branch:
        node = by_id[node_id]
        branch = Branch(node.id, node.label, node.stage)
        for child in children.get(node_id, []):
            if child not in placed:
                placed.add(child)
                branch.children.append(grow(child))
        return branch

    top = []
    for child in children.get(ME, []):
        if child not in placed:
            placed.add(child)
            top.append(grow(child))
    for node in nodes:
        if node.id not in placed:
            placed.add(node.id)
            top.append(grow(node.id))
    return top


def graph_data(nodes: Sequence[NetworkNodeLike],
               edges: Sequence[NetworkEdgeLike]) -> dict[str, Any]:
    """Cytoscape's elements, for ``<script type="application/json">`` (Jinja's ``tojson``
    escapes ``<``, ``>`` and ``&`` in it)."""
    known = {node.id for node in nodes}
    return {
        "nodes": [{"data": {"id": node.id, "label": node.label, "stage": node.stage}}
                  for node in nodes],
        "edges": [{"data": {"id": f"{edge.source}-{edge.target}", "source": edge.source,
                            "target": edge.target}}
                  for edge in edges if edge.source in known and edge.target in known],
    }
