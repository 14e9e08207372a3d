"""The web pages' pieces that hold rules of their own: the referral tree, the members table's
order, and the charts' SVG (no script, an accessible name)."""

from __future__ import annotations

from datetime import UTC, datetime

from infointerview.adapters.web.charts import funnel_chart
from infointerview.adapters.web.network import graph_data, referral_tree
from infointerview.adapters.web.rendering import PREFIX
from infointerview.adapters.web.table import header_links, sort_members
from infointerview.core import SIGNIN_PATH
from infointerview.core.insights.views import FunnelStep, MemberLine, NetworkEdge, NetworkNode


def node(node_id: str) -> NetworkNode:
    return NetworkNode(node_id, node_id.upper(), "Identified")


def shape(branches: list) -> list:  # type: ignore[type-arg]
    return [(b.id, shape(b.children)) for b in branches]


def test_the_tree_places_every_contact_once_even_in_a_loop() -> None:
    nodes = [NetworkNode("me", "You", ""), *map(node, ["c1", "c2", "c3", "c4", "c5"])]
    edges = [NetworkEdge("me", "c1"), NetworkEdge("c1", "c2"), NetworkEdge("c2", "c1"),
             NetworkEdge("c4", "c5"), NetworkEdge("c5", "c4"), NetworkEdge("me", "c9")]
    assert shape(referral_tree(nodes, edges)) == [
        ("c1", [("c2", [])]),
        ("c3", []),  # not reached from me: hangs from the top
        ("c4", [("c5", [])]),  # a loop no one reaches: entered once, at its first node
    ]
    data = graph_data(nodes, edges)
    assert len(data["nodes"]) == 6
    assert ("me", "c9") not in [(e["data"]["source"], e["data"]["target"])
                                for e in data["edges"]]  # an edge to no node is dropped


def line(name: str, interviews: int, rate: str, day: int | None) -> MemberLine:
    last = datetime(2026, 3, day, tzinfo=UTC) if day else None
    return MemberLine(name, "member", False, (), 0, interviews, rate, last)


def test_members_sort_by_each_column_with_ties_by_name() -> None:
    lines = [line("bea", 2, "50%", 3), line("Al", 2, "—", None), line("Cy", 5, "100%", 1)]

    def names(sort: str, way: str) -> list[str]:
        return [member.name for member in sort_members(lines, sort, way)]

    assert names("name", "asc") == ["Al", "bea", "Cy"]
    assert names("interviews", "desc") == ["Cy", "Al", "bea"]
    assert names("rate", "desc") == ["Cy", "bea", "Al"]  # "—" (no interview) last
    assert names("last_active", "desc") == ["bea", "Cy", "Al"]  # never active last
    headers = {h.key: h for h in header_links("interviews", "desc")}
    assert headers["interviews"].aria_sort == "descending"
    assert headers["interviews"].href == "?sort=interviews&dir=asc#members"
    assert headers["name"].href == "?sort=name&dir=asc#members"
    assert headers["rate"].href == "?sort=rate&dir=desc#members"


def test_a_chart_has_no_script_and_escapes_its_labels() -> None:
    svg = funnel_chart([FunnelStep("identified", "<script>x</script>", 3, "—")])
    assert "<script" not in svg
    assert "&lt;script&gt;x&lt;/script&gt;" in svg
    assert 'role="img"' in svg and 'aria-label="Funnel:' in svg


def test_the_links_the_core_writes_open_the_sign_in_page() -> None:
    assert f"{PREFIX}/signin" == SIGNIN_PATH
