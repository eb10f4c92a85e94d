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

  // Nodes drawn, not counting the groups that stand for nodes the limit left out.
  function drawnCount() { return nodes.get({ filter: function (n) { return !n.folded; } }).length; }
  // Links that are facts, not the dashed ones from a group to the nodes it hangs from.
  function factLinks() { return edges.get({ filter: function (e) { return e.link_type !== "FOLDED"; } }); }
  function ready() {
    if (document.body.hasAttribute("data-map-ready")) { return; }
    network.setOptions({ physics: { enabled: false } });
    document.body.setAttribute("data-map-nodes", String(drawnCount()));
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
    if (kind === "node" && item.folded) {  // a group of nodes the limit left out
      if (mapBase && item.anchor) {
        var a = mapLink(item.anchor);
        a.textContent = "Map of this group's " + (item.anchor.split(":")[0] === "ocg" ? "organised crime group" : "establishment");
        details.appendChild(a);
      }
      details.appendChild(button("Hide", function () { hide(item.id); }, "Hide " + item.label));
    } else {
      if (kind === "node" && mapBase && !item.focus) { details.appendChild(mapLink(item.id)); }
      if (kind === "node") { details.appendChild(nodeActions(item)); }
    }
    details.setAttribute("data-selected", item.id);
  }

  // -- working on the map: expand, hide, pin, filters, shortest path, fit -------------
  var status = document.createElement("p");
  status.className = "map-status";
  status.setAttribute("role", "status");
  var hiddenNodes = [];
  var pathStart = null;

  function say(text) { status.textContent = text; }
  function counted() {
    document.body.setAttribute("data-map-nodes", String(drawnCount()));
    var counts = document.getElementById("map-counts");
    if (counts) { counts.textContent = drawnCount() + " nodes, " + factLinks().length + " links"; }
  }
  function button(text, action, label) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    if (label) { b.setAttribute("aria-label", label); }
    b.addEventListener("click", action);
    return b;
  }
  function nodeActions(item) {
    var box = document.createElement("div");
    box.className = "map-actions";
    if (data.expandBase) { box.appendChild(button("Expand one hop", function () { expand(item.id); }, "Expand " + item.label + " one hop")); }
    box.appendChild(button("Hide", function () { hide(item.id); }, "Hide " + item.label));
    var pinned = nodes.get(item.id).fixed;
    box.appendChild(button(pinned ? "Unpin" : "Pin", function () { pin(item.id, !pinned); showDetails("node", nodes.get(item.id)); },
      (pinned ? "Unpin " : "Pin ") + item.label));
    if (pathStart && pathStart !== item.id) {
      box.appendChild(button("Shortest path to here", function () { shortestPath(pathStart, item.id); }));
    }
    box.appendChild(button("Start a path here", function () { pathStart = item.id; say("Path from " + item.label + ": select another node, then Shortest path to here."); showDetails("node", nodes.get(item.id)); }));
    return box;
  }
  function expand(id) {
    say("Expanding…");
    fetch(data.expandBase + encodeURIComponent(id) + (data.expandQuery || "?hops=1"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (answer) {
        if (!answer.ok) { say("Not expanded: " + (answer.body.detail || "refused")); return; }
        var fixedLayout = data.options && data.options.physics && data.options.physics.enabled === false;
        var at = network.getPositions([id])[id] || { x: 0, y: 0 };
        var added = answer.body.nodes.filter(function (n) { return !nodes.get(n.id); });
        added.forEach(function (n, i) {
          delete n.title;
          if (fixedLayout) {
            var angle = 2 * Math.PI * i / Math.max(added.length, 1);
            n.x = at.x + 160 * Math.cos(angle);
            n.y = at.y + 160 * Math.sin(angle);
          }
        });
        nodes.add(added);
        var links = answer.body.edges.filter(function (e) { delete e.title; return !edges.get(e.id); });
        edges.add(links);
        if (window.mapTableAdd) { window.mapTableAdd(added); }
        counted();
        applyFilters();
        say("Expanded " + nodes.get(id).label + ": " + added.length + " nodes and " + links.length + " links added." + (answer.body.note ? " " + answer.body.note : ""));
      })
      .catch(function (error) { say("Not expanded: " + error); });
  }
  function hide(id) {
    nodes.update({ id: id, hidden: true });
    hiddenNodes.push(id);
    showHidden.hidden = false;
    showHidden.textContent = "Show " + hiddenNodes.length + " hidden";
    say(nodes.get(id).label + " hidden.");
  }
  function pin(id, on) {
    nodes.update({ id: id, fixed: on ? { x: true, y: true } : false, shapeProperties: { borderDashes: on ? [4, 2] : false } });
    say(nodes.get(id).label + (on ? " pinned." : " unpinned."));
  }
  function shortestPath(from, to) {
    var visible = {};
    edges.get({ filter: function (e) { return !e.hidden && e.link_type !== "FOLDED"; } }).forEach(function (e) {
      if (nodes.get(e.from).hidden || nodes.get(e.to).hidden) { return; }
      (visible[e.from] = visible[e.from] || []).push([e.to, e.id]);
      (visible[e.to] = visible[e.to] || []).push([e.from, e.id]);
    });
    var previous = {}, queue = [from];
    previous[from] = null;
    while (queue.length && !(to in previous)) {
      var at = queue.shift();
      (visible[at] || []).forEach(function (step) {
        if (!(step[0] in previous)) { previous[step[0]] = [at, step[1]]; queue.push(step[0]); }
      });
    }
    if (!(to in previous)) { say("No path between them among the links shown."); document.body.removeAttribute("data-map-path"); return; }
    var pathNodes = [to], pathEdges = [];
    for (var cur = to; previous[cur]; cur = previous[cur][0]) { pathEdges.push(previous[cur][1]); pathNodes.push(previous[cur][0]); }
    pathNodes.reverse();
    network.setSelection({ nodes: pathNodes, edges: pathEdges }, { highlightEdges: false });
    document.body.setAttribute("data-map-path", pathNodes.join(" "));
    say("Shortest path, " + pathEdges.length + " links: " + pathNodes.map(function (n) { return nodes.get(n).label; }).join(" \u2192 "));
  }

  // The filters: link types, minimum grading, time window (links without dates pass).
  var controls = document.createElement("form");
  controls.className = "map-filters";
  controls.setAttribute("aria-label", "Filter the links shown");
  function field(labelText, input) {
    var wrap = document.createElement("label");
    wrap.textContent = labelText + " ";
    wrap.appendChild(input);
    controls.appendChild(wrap);
    return input;
  }
  function select(options) {
    var s = document.createElement("select");
    options.forEach(function (o) { var opt = document.createElement("option"); opt.value = o[0]; opt.textContent = o[1]; s.appendChild(opt); });
    return s;
  }
  var typeBox = document.createElement("fieldset");
  var legendEl = document.createElement("legend");
  legendEl.textContent = "Link types";
  typeBox.appendChild(legendEl);
  controls.appendChild(typeBox);
  var typeChecks = {};
  function refreshTypes() {
    factLinks().forEach(function (e) {
      if (typeChecks[e.link_type]) { return; }
      var label = document.createElement("label");
      var check = document.createElement("input");
      check.type = "checkbox";
      check.checked = true;
      check.value = e.link_type;
      check.addEventListener("change", applyFilters);
      typeChecks[e.link_type] = check;
      label.appendChild(check);
      label.appendChild(document.createTextNode(" " + e.link_type + " "));
      typeBox.appendChild(label);
    });
  }
  var minSource = field("Source at least", select([["", "any"], ["1", "1"], ["2", "2"], ["3", "3"]]));
  var minIntel = field("Intelligence at least", select([["", "any"], ["A", "A"], ["B", "B"], ["C", "C"], ["D", "D"], ["E", "E"]]));
  var since = document.createElement("input"); since.type = "date"; field("Links from", since);
  var until = document.createElement("input"); until.type = "date"; field("until", until);
  [minSource, minIntel, since, until].forEach(function (el) { el.addEventListener("change", applyFilters); });
  function passes(e) {
    if (typeChecks[e.link_type] && !typeChecks[e.link_type].checked) { return false; }
    if (minSource.value && e.source_eval && e.source_eval > minSource.value) { return false; }
    if (minIntel.value && e.intel_eval && e.intel_eval > minIntel.value) { return false; }
    if (since.value && e.end && e.end < since.value) { return false; }
    if (until.value && e.start && e.start > until.value) { return false; }
    return true;
  }
  function applyFilters() {
    refreshTypes();
    var changes = [], shownCount = 0, facts = factLinks();
    facts.forEach(function (e) {
      var show = passes(e);
      if (show) { shownCount += 1; }
      if (Boolean(e.hidden) === show) { changes.push({ id: e.id, hidden: !show }); }
    });
    if (changes.length) { edges.update(changes); }
    document.body.setAttribute("data-map-links-shown", String(shownCount));
    if (changes.length) { say(shownCount + " of " + facts.length + " links shown."); }
  }
  var toolbar = document.createElement("div");
  toolbar.className = "map-toolbar";
  toolbar.appendChild(button("Fit the map", function () { network.fit(); }));
  var showHidden = button("Show hidden", function () {
    nodes.update(hiddenNodes.map(function (id) { return { id: id, hidden: false }; }));
    say(hiddenNodes.length + " nodes shown again.");
    hiddenNodes = [];
    showHidden.hidden = true;
  });
  showHidden.hidden = true;
  toolbar.appendChild(showHidden);
  toolbar.appendChild(button("Clear the path", function () { network.unselectAll(); pathStart = null; document.body.removeAttribute("data-map-path"); say("Path cleared."); }));
  var filterBox = document.createElement("details");
  filterBox.className = "map-filter-box";
  var summary = document.createElement("summary");
  summary.textContent = "Filter the links shown";
  filterBox.appendChild(summary);
  filterBox.appendChild(controls);
  var anchor = container.closest(".map-layout") || container;
  [toolbar, filterBox, status].forEach(function (el) { anchor.parentNode.insertBefore(el, anchor); });
  applyFilters();

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
      if (mapBase && !n.focus && (!n.folded || n.anchor)) {  // a group links to its OCG's or prison's map
        cell.appendChild(document.createTextNode(" "));
        var a = mapLink(n.folded ? n.anchor : n.id);
        if (n.folded) { a.textContent = "Map of this group"; }
        cell.appendChild(a);
      }
    }
    list.appendChild(table);
    list.appendChild(more);
    addRows();
    window.mapTableAdd = function (added) {
      var all = shown >= sorted.length;
      Array.prototype.push.apply(sorted, added);
      if (all) { addRows(); } else { more.hidden = false; }
    };
  }
})();
