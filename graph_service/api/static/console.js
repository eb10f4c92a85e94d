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
      (answer.truncated ? "; cut at the row limit of " + answer.row_cap : "") + ".";
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
  }

  function fail(message) {
    tableBox.textContent = "";
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
  showParams();
})();
