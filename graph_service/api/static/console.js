/* The read-only Cypher console: run named queries or ad-hoc Cypher, show rows as a table.
   Values from the store are written with textContent only. */
(function () {
  "use strict";
  var library = JSON.parse(document.getElementById("query-library").textContent);
  var byName = {};
  library.forEach(function (q) { byName[q.name] = q; });

  var select = document.getElementById("named-select");
  var description = document.getElementById("named-description");
  var paramsBox = document.getElementById("named-params");
  var statusLine = document.getElementById("result-status");
  var tableBox = document.getElementById("result-table");
  var rowCap = document.getElementById("row-cap");
  var cypherText = document.getElementById("cypher-text");

  function showParams() {
    paramsBox.textContent = "";
    var q = byName[select.value];
    description.textContent = q ? q.description : "";
    if (!q) { return; }
    q.params.forEach(function (p) {
      var field = document.createElement("div");
      field.className = "field";
      var label = document.createElement("label");
      label.htmlFor = "param-" + p.name;
      label.textContent = p.name + (p.required ? " (required)" : " (default " + JSON.stringify(p["default"]) + ")");
      var input = document.createElement("input");
      input.id = "param-" + p.name;
      input.name = p.name;
      input.type = "text";
      input.autocomplete = "off";
      input.setAttribute("data-param", p.name);
      if (p.required) { input.required = true; }
      if (!p.required) { input.placeholder = JSON.stringify(p["default"]); }
      field.appendChild(label);
      field.appendChild(input);
      paramsBox.appendChild(field);
    });
  }

  // A typed value: numbers, true/false, null, lists and quoted strings as JSON; anything else as text.
  function parseValue(text) {
    try { return JSON.parse(text); } catch (e) { return text; }
  }

  function cellText(value) {
    if (value === null || value === undefined) { return ""; }
    if (typeof value !== "object") { return String(value); }
    if (Array.isArray(value)) { return value.map(cellText).join(", "); }
    if (value.labels && value.properties) {
      var p = value.properties;
      return "(" + value.labels.join(":") + ") " + (p.name || p.number || p.postcode || p.label || p.id || "");
    }
    if (value.type && value.properties) { return "[" + value.type + "]"; }
    return JSON.stringify(value);
  }

  // Node ids (prisoner:A1234BC, phone:+447700900123, ...) link to their maps.
  var ID_PATTERN = /^(prisoner|visitor|staff|person|phone|ocg|establishment|postcode|net):\S/;

  function nodeId(value) {
    if (value && typeof value === "object" && value.labels && value.properties && value.properties.id) {
      return value.properties.id;
    }
    if (typeof value === "string" && ID_PATTERN.test(value)) { return value; }
    return null;
  }

  function mapLink(id, text) {
    var a = document.createElement("a");
    a.href = "/map/" + encodeURIComponent(id);
    a.textContent = text;
    return a;
  }

  function render(answer) {
    tableBox.textContent = "";
    var n = answer.row_count;
    statusLine.className = "";
    statusLine.textContent = n + (n === 1 ? " row" : " rows") + " in " + Math.round(answer.elapsed_ms) + " ms" +
      (answer.truncated ? "; cut at the row limit of " + answer.row_cap : "") + "." +
      ((answer.cautions || []).length ? " Caution: " + answer.cautions.join(" ") : "");
    if ((answer.cautions || []).length) { statusLine.className = "caution"; }
    if (!answer.columns.length) { return; }
    var table = document.createElement("table");
    table.className = "result-rows";
    var head = table.createTHead().insertRow();
    answer.columns.forEach(function (c) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = c;
      head.appendChild(th);
    });
    var body = table.createTBody();
    answer.rows.forEach(function (row) {
      var tr = body.insertRow();
      row.forEach(function (value) {
        var td = tr.insertCell();
        var id = nodeId(value);
        if (id) {
          td.appendChild(mapLink(id, cellText(value)));
        } else if (Array.isArray(value) && value.length && value.every(nodeId)) {
          value.forEach(function (item, i) {
            if (i) { td.appendChild(document.createTextNode(", ")); }
            td.appendChild(mapLink(nodeId(item), cellText(item)));
          });
        } else {
          td.textContent = cellText(value);
        }
      });
    });
    tableBox.appendChild(table);
    drawGraph(answer);
  }

  // -- the graph view: every node of the result, and the links whose ends are there ----
  var styles = JSON.parse(document.getElementById("label-styles").textContent);
  var graphBox = document.getElementById("result-graph-box");
  var graphDetails = document.getElementById("graph-details");
  var graph = null;
  function styleOf(labels) {
    for (var i = 0; i < styles.length; i++) { if (labels.indexOf(styles[i].label) >= 0) { return styles[i]; } }
    return { colour: "#95a5a6", shape: "dot", size: 14 };
  }
  function collect(value, found) {
    if (!value || typeof value !== "object") { return; }
    if (Array.isArray(value)) { value.forEach(function (v) { collect(v, found); }); return; }
    if (value.labels && value.properties && value.element_id !== undefined) {
      found.nodes[value.element_id] = value;
    } else if (value.type && value.properties && value.start !== undefined) {
      found.links.push(value);
    } else if (value.nodes && value.links) {
      collect(value.nodes, found);
      collect(value.links, found);
    }
  }
  function drawGraph(answer) {
    var found = { nodes: {}, links: [] };
    answer.rows.forEach(function (row) { collect(row, found); });
    var ids = Object.keys(found.nodes);
    if (graph) { graph.destroy(); graph = null; }
    graphBox.hidden = !ids.length;
    document.body.removeAttribute("data-graph-nodes");
    if (!ids.length || typeof vis === "undefined") { return; }
    var nodes = ids.map(function (key) {
      var n = found.nodes[key], s = styleOf(n.labels), p = n.properties;
      return { id: key, label: String(p.name || p.number || p.postcode || p.code || p.id || key), shape: s.shape,
               color: s.colour, size: s.size, item: n };
    });
    var seen = {}, edges = [];
    found.links.forEach(function (l) {
      var key = l.start + "|" + l.end + "|" + l.type + "|" + JSON.stringify(l.properties.source_ref || "");
      if (seen[key] || !found.nodes[l.start] || !found.nodes[l.end]) { return; }
      seen[key] = true;
      edges.push({ from: l.start, to: l.end, label: l.type, arrows: "to" });
    });
    graph = new vis.Network(document.getElementById("result-graph"),
      { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) },
      { physics: { stabilization: { iterations: 200 } }, interaction: { keyboard: { enabled: true, bindToWindow: false } },
        edges: { font: { size: 11, strokeWidth: 3 }, color: { color: "#6b6b6b" } } });
    document.getElementById("graph-counts").textContent = nodes.length + " nodes, " + edges.length + " links";
    graph.on("click", function (params) {
      if (!params.nodes.length) { return; }
      var n = found.nodes[params.nodes[0]];
      graphDetails.textContent = "";
      var h = document.createElement("h4");
      h.textContent = "(" + n.labels.join(":") + ") " + (n.properties.name || n.properties.id || "");
      graphDetails.appendChild(h);
      var dl = document.createElement("dl");
      Object.keys(n.properties).sort().forEach(function (k) {
        var dt = document.createElement("dt"); dt.textContent = k;
        var dd = document.createElement("dd"); dd.textContent = cellText(n.properties[k]);
        dl.appendChild(dt); dl.appendChild(dd);
      });
      graphDetails.appendChild(dl);
      if (n.properties.id) { graphDetails.appendChild(mapLink(n.properties.id, "Map of " + n.properties.id)); }
    });
    graph.on("doubleClick", function (params) {
      var n = params.nodes.length && found.nodes[params.nodes[0]];
      if (n && n.properties.id) { window.location.href = "/map/" + encodeURIComponent(n.properties.id); }
    });
    graph.once("afterDrawing", function () {
      document.body.setAttribute("data-graph-nodes", String(nodes.length));
      document.body.setAttribute("data-graph-links", String(edges.length));
    });
  }

  function fail(message) {
    tableBox.textContent = "";
    graphBox.hidden = true;
    statusLine.className = "error";
    statusLine.textContent = message;
  }

  function post(url, body) {
    statusLine.className = "";
    statusLine.textContent = "Running…";
    fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRF-Token": (document.querySelector('meta[name="csrf-token"]') || {}).content || ""
      },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (r) {
      if (r.ok) { render(r.data); } else { fail(r.data.detail || "The query failed."); }
    }).catch(function (error) { fail("The service did not answer: " + error); });
  }

  function cap() {
    var value = parseInt(rowCap.value, 10);
    return isNaN(value) || value < 1 ? null : value;
  }

  select.addEventListener("change", showParams);
  document.getElementById("named-form").addEventListener("submit", function (event) {
    event.preventDefault();
    if (!select.value) { fail("Choose a query first."); select.focus(); return; }
    var params = {};
    paramsBox.querySelectorAll("[data-param]").forEach(function (input) {
      if (input.value.trim() !== "") { params[input.getAttribute("data-param")] = parseValue(input.value.trim()); }
    });
    post("/api/v1/queries/" + encodeURIComponent(select.value), { params: params, row_cap: cap() });
  });
  document.getElementById("cypher-form").addEventListener("submit", function (event) {
    event.preventDefault();
    post("/api/v1/queries/cypher", { query: cypherText.value, params: {}, row_cap: cap() });
  });
  cypherText.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      document.getElementById("cypher-form").requestSubmit();
    }
  });
  // Neo4j's Cypher editor in place of the plain text box (the box stays the form's field,
  // kept in step; without the editor's script the box is used as it is).
  var editorBox = document.getElementById("cypher-editor");
  if (window.MarsocCypherEditor && editorBox) {
    var schema = JSON.parse(document.getElementById("cypher-schema").textContent);
    var problems = document.getElementById("cypher-problems");
    var made = window.MarsocCypherEditor.createCypherEditor(editorBox, {
      value: cypherText.value, schema: schema, lint: true, autocomplete: true, lineNumbers: true, theme: "light",
      placeholder: "MATCH (n) RETURN n LIMIT 25"
    });
    var api = made.editor;
    var content = editorBox.querySelector(".cm-content");
    if (content) {
      content.setAttribute("aria-label", "Cypher statement");
      content.setAttribute("aria-describedby", "cypher-problems");
    }
    cypherText.hidden = true;
    document.getElementById("cypher-label").removeAttribute("for");
    var counting = null;
    api.onValueChanged(function (value) {
      cypherText.value = value;
      clearTimeout(counting);
      counting = setTimeout(function () {  // the parser's errors, once the lint has run
        var errors = editorBox.querySelectorAll(".cm-lintRange-error").length;
        problems.textContent = errors ? errors + (errors === 1 ? " syntax error" : " syntax errors") + " (underlined; hover for the parser's message)" : "";
        document.body.setAttribute("data-cypher-errors", String(errors));
      }, 900);
    });
    editorBox.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        document.getElementById("cypher-form").requestSubmit();
      }
    }, true);
    document.body.setAttribute("data-cypher-editor", "ready");
  }
  showParams();
})();
