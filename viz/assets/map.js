/* Draws the map described by <script id="map-data"> into #map-canvas with vis-network.
   Everything partner data contains is written with textContent, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var mapBase = data.mapBase || null;

  function textTip(text) {
    var el = document.createElement("div");
    el.className = "map-tooltip";
    el.textContent = text;
    return el;
  }
  data.nodes.forEach(function (n) { if (typeof n.title === "string") { n.title = textTip(n.title); } });
  data.edges.forEach(function (e) { if (typeof e.title === "string") { e.title = textTip(e.title); } });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("map-canvas");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.network = network;
  window.mapNodes = nodes;
  window.mapEdges = edges;

  function ready() {
    if (document.body.hasAttribute("data-map-ready")) { return; }
    network.setOptions({ physics: { enabled: false } });
    document.body.setAttribute("data-map-nodes", String(data.nodes.length));
    document.body.setAttribute("data-map-ready", "true");
  }
  var laidOut = data.options && data.options.physics && data.options.physics.enabled === false;
  if (laidOut) {
    network.once("afterDrawing", ready);  // positions came with the data: drawn once, ready
  } else {
    network.once("stabilizationIterationsDone", ready);
  }
  if (data.nodes.length <= 1) { setTimeout(ready, 0); }
  setTimeout(function () { if (!document.body.hasAttribute("data-map-ready")) { ready(); } }, 8000);

  var details = document.getElementById("map-details");

  function mapLink(id) {
    var a = document.createElement("a");
    a.href = mapBase + encodeURIComponent(id) + (data.mapQuery || "");
    a.textContent = "Map from this node";
    a.className = "map-recentre";
    return a;
  }

  function showDetails(kind, item) {
    details.textContent = "";
    var h = document.createElement("h2");
    if (kind === "node") {
      h.textContent = item.label;
    } else {
      var from = nodes.get(item.from), to = nodes.get(item.to);
      h.textContent = item.label + ": " + (from ? from.label : item.from) + " \u2192 " + (to ? to.label : item.to);
    }
    details.appendChild(h);
    var dl = document.createElement("dl");
    (item.details || []).forEach(function (row) {
      var dt = document.createElement("dt");
      dt.textContent = row[0];
      var dd = document.createElement("dd");
      dd.textContent = row[1];
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    details.appendChild(dl);
    if (kind === "node" && mapBase && !item.focus) { details.appendChild(mapLink(item.id)); }
    details.setAttribute("data-selected", item.id);
  }

  function selectNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.1, animation: false });
    showDetails("node", nodes.get(id));
  }
  window.mapSelectNode = selectNode;

  network.on("click", function (params) {
    if (params.nodes.length) {
      showDetails("node", nodes.get(params.nodes[0]));
    } else if (params.edges.length) {
      showDetails("edge", edges.get(params.edges[0]));
    }
  });

  // A table of every node: the keyboard and screen-reader route into the map.
  var list = document.getElementById("map-node-list");
  if (list) {
    var table = document.createElement("table");
    table.className = "map-table";
    var head = table.createTHead().insertRow();
    ["Name", "Type", "Id", ""].forEach(function (t) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = t;
      head.appendChild(th);
    });
    var body = table.createTBody();
    var sorted = data.nodes.slice().sort(function (a, b) {
      return (b.focus ? 1 : 0) - (a.focus ? 1 : 0) || String(a.group_label).localeCompare(String(b.group_label)) ||
        String(a.label).localeCompare(String(b.label));
    });
    var PAGE = 200, shown = 0;
    var more = document.createElement("button");
    more.type = "button";
    more.className = "map-table-more";
    function addRows() {
      sorted.slice(shown, shown + PAGE).forEach(addRow);
      shown = Math.min(sorted.length, shown + PAGE);
      more.textContent = "Show " + Math.min(PAGE, sorted.length - shown) + " more of " + (sorted.length - shown) + " nodes";
      more.hidden = shown >= sorted.length;
    }
    more.addEventListener("click", addRows);
    function addRow(n) {
      var row = body.insertRow();
      row.insertCell().textContent = n.label + (n.focus ? " (centre)" : "");
      row.insertCell().textContent = (n.labels || []).filter(function (l) { return l !== "Person"; }).join(", ") || n.group_label;
      row.insertCell().textContent = n.id;
      var cell = row.insertCell();
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "Show details";
      button.setAttribute("aria-label", "Show details of " + n.label);
      button.addEventListener("click", function () { selectNode(n.id); details.focus(); });
      cell.appendChild(button);
      if (mapBase && !n.focus) {
        cell.appendChild(document.createTextNode(" "));
        cell.appendChild(mapLink(n.id));
      }
    }
    list.appendChild(table);
    list.appendChild(more);
    addRows();
  }
})();
