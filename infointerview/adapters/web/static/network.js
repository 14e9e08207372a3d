// "My network": draws the referral chain (the page's JSON in #network-data) with Cytoscape.js.
// The page lists the same chain as nested lists, so nothing here is needed to read it.
(function () {
  "use strict";
  var holder = document.getElementById("network-graph");
  var source = document.getElementById("network-data");
  if (!holder || !source || typeof window.cytoscape !== "function") { return; }
  var data = JSON.parse(source.textContent);
  if (!data.nodes.length) { return; }
  var cy = window.cytoscape({
    container: holder,
    elements: { nodes: data.nodes, edges: data.edges },
    userZoomingEnabled: false,
    boxSelectionEnabled: false,
    style: [
      { selector: "node", style: {
          "label": function (node) {
            var stage = node.data("stage");
            return stage ? node.data("label") + "\n" + stage : node.data("label");
          },
          "text-wrap": "wrap", "text-max-width": "160px", "text-valign": "bottom",
          "text-margin-y": 6, "font-size": 13, "color": "#1f2933",
          "background-color": "#1d4ed8", "width": 22, "height": 22 } },
      { selector: "node[id = 'me']", style: { "background-color": "#b45309", "width": 30,
          "height": 30, "font-weight": "bold" } },
      { selector: "edge", style: { "width": 2, "line-color": "#6b7280",
          "target-arrow-color": "#6b7280", "target-arrow-shape": "triangle",
          "curve-style": "bezier" } }
    ],
    layout: { name: "breadthfirst", directed: true, roots: "#me", spacingFactor: 1.1,
              padding: 24 }
  });
  // for the browser tests, and for anyone curious in the console
  window.infointerviewNetwork = cy;
}());
