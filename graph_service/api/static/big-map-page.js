// A large map drawn with sigma.js (WebGL) from compact data: positions from the server,
// no per-node text in the page; a node's details are read from the entity API on a click.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("big-map-data").textContent);
  var container = document.getElementById("map-canvas");
  var details = document.getElementById("map-details");
  var graph = new MarsocBigMap.Graph({ multi: true, type: "directed", allowSelfLoops: true });
  var ids = data.nodes.map(function (n) { return n[0]; });
  var drawn = 0;  // not counting the groups of nodes the limit left out
  data.nodes.forEach(function (n) {
    var style = data.styles[n[2]];
    if (!(data.groups || {})[n[0]]) { drawn += 1; }
    var focus = n[0] === data.focus;
    graph.addNode(n[0], { label: n[1], x: n[3], y: -n[4], size: Math.max(2, style.size / 4) + (focus ? 5 : 0),
                          color: focus ? "#000000" : style.colour, kind: style.label });
  });
  data.links.forEach(function (l, i) {
    graph.addDirectedEdgeWithKey("e" + i, ids[l[0]], ids[l[1]], { size: 0.6, color: "#b0b0b0", kind: data.types[l[2]] });
  });
  var renderer = new MarsocBigMap.Sigma(graph, container, { labelRenderedSizeThreshold: 7, zIndex: true });
  window.bigMap = renderer;
  // The constructor has drawn the graph (sigma renders at once unless asked to schedule).
  document.body.setAttribute("data-map-nodes", String(drawn));
  document.body.setAttribute("data-map-ready", "true");

  function row(dl, key, value) {
    var dt = document.createElement("dt"); dt.textContent = key;
    var dd = document.createElement("dd"); dd.textContent = value;
    dl.appendChild(dt); dl.appendChild(dd);
  }
  function link(href, text) { var a = document.createElement("a"); a.href = href; a.textContent = text; return a; }
  function show(id) {
    details.textContent = "";
    var h = document.createElement("h2");
    h.textContent = graph.getNodeAttribute(id, "label");
    details.appendChild(h);
    details.setAttribute("data-selected", id);
    var group = (data.groups || {})[id];
    if (group) {  // nodes the limit left out, grouped: said here, nothing to read
      var facts = document.createElement("dl");
      group.details.forEach(function (r) { row(facts, r[0], r[1]); });
      details.appendChild(facts);
      if (group.anchor) { details.appendChild(link("/map/" + encodeURIComponent(group.anchor), "Map of this group")); }
      return;
    }
    var wait = document.createElement("p"); wait.textContent = "Reading…"; details.appendChild(wait);
    fetch("/api/v1/entities/" + encodeURIComponent(id), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (answer) {
        wait.remove();
        if (!answer.ok) { wait.textContent = answer.body.detail || "not readable"; details.appendChild(wait); return; }
        var dl = document.createElement("dl");
        row(dl, "id", id);
        row(dl, "labels", answer.body.labels.join(", "));
        Object.keys(answer.body.properties).sort().forEach(function (k) {
          var v = answer.body.properties[k];
          row(dl, k, Array.isArray(v) ? v.join(", ") : String(v));
        });
        Object.keys(answer.body.links_by_type).forEach(function (t) { row(dl, t + " links", String(answer.body.links_by_type[t])); });
        details.appendChild(dl);
        details.appendChild(link("/entity/" + encodeURIComponent(id), "Entity page"));
        details.appendChild(document.createTextNode(" · "));
        details.appendChild(link("/map/" + encodeURIComponent(id), "Map from this node"));
      })
      .catch(function (error) { wait.textContent = "Not read: " + error; });
  }
  window.bigMapShow = show;
  renderer.on("clickNode", function (event) { show(event.node); });

  // Every node in a table, 200 at a time: the keyboard route into the map.
  var list = document.getElementById("map-node-list");
  var table = document.createElement("table");
  table.className = "map-table";
  var head = table.createTHead().insertRow();
  ["Name", "Type", "Id", ""].forEach(function (t) { var th = document.createElement("th"); th.scope = "col"; th.textContent = t; head.appendChild(th); });
  var body = table.createTBody();
  var shown = 0, PAGE = 200;
  var more = document.createElement("button");
  more.type = "button";
  function addRows() {
    data.nodes.slice(shown, shown + PAGE).forEach(function (n) {
      var tr = body.insertRow();
      tr.insertCell().textContent = n[1];
      tr.insertCell().textContent = data.styles[n[2]].label;
      tr.insertCell().textContent = n[0];
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = "Show details";
      b.setAttribute("aria-label", "Show details of " + n[1]);
      b.addEventListener("click", function () { show(n[0]); details.focus(); });
      tr.insertCell().appendChild(b);
    });
    shown = Math.min(data.nodes.length, shown + PAGE);
    more.textContent = "Show " + Math.min(PAGE, data.nodes.length - shown) + " more of " + (data.nodes.length - shown) + " nodes";
    more.hidden = shown >= data.nodes.length;
  }
  more.addEventListener("click", addRows);
  list.appendChild(table);
  list.appendChild(more);
  addRows();
})();
