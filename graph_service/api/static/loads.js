// The loads page: upload the contract files (with the session's CSRF token), then
// follow the load's progress per file until its report is written.
(function () {
  "use strict";
  var token = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var form = document.getElementById("load-form");
  if (form) {
    var status = document.getElementById("load-status");
    var bar = document.getElementById("upload-progress");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData();
      var files = document.getElementById("load-files").files;
      for (var i = 0; i < files.length; i++) { data.append("files", files[i], files[i].name); }
      data.append("agency", document.getElementById("load-agency").value);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/v1/loads");
      xhr.setRequestHeader("X-CSRF-Token", token);
      xhr.setRequestHeader("Accept", "application/json");
      bar.hidden = false;
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); } };
      xhr.onload = function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
        if (xhr.status === 202) { window.location.href = body.url; return; }
        status.textContent = "Refused (" + xhr.status + "): " + (body.detail || xhr.statusText);
        bar.hidden = true;
      };
      xhr.onerror = function () { status.textContent = "The upload did not reach the service."; bar.hidden = true; };
      status.textContent = "Uploading " + files.length + " files…";
      xhr.send(data);
    });
  }
  var table = document.getElementById("load-files");
  if (!table || !table.dataset.run) { return; }
  function show(job) {
    Object.keys(job.files).forEach(function (name) {
      var row = table.querySelector('tr[data-file="' + CSS.escape(name) + '"]');
      if (!row) { return; }
      var f = job.files[name];
      row.querySelector(".f-status").textContent = f.status;
      row.querySelector(".f-rows").textContent = f.rows;
      row.querySelector(".f-loaded").textContent = f.loaded;
      row.querySelector(".f-rejected").textContent = f.rejected;
      row.querySelector(".f-message").textContent = f.message || "";
      var done = f.status !== "waiting" && f.status !== "loading";
      row.querySelector(".f-progress").value = done ? 1 : (f.total ? Math.min(1, f.rows / f.total) : 0);
    });
    document.getElementById("load-state").textContent = job.state + (job.step ? " (" + job.step + ")" : "") + ", " + job.elapsed_s + " s";
    if (job.state === "running") { return false; }
    document.getElementById("load-done").hidden = false;
    var t = job.totals || {};
    document.getElementById("load-summary").textContent = (job.ok ? "Loaded with no problem: " : "Loaded with problems: ") +
      Object.keys(t).map(function (k) { return k + " " + t[k]; }).join(", ") + ".";
    var list = document.getElementById("load-problems");
    list.textContent = "";
    (job.problems || []).forEach(function (p) { var li = document.createElement("li"); li.textContent = p; list.appendChild(li); });
    document.body.dataset.loadDone = job.ok ? "ok" : "problems";
    return true;
  }
  function poll() {
    fetch("/api/v1/loads/" + encodeURIComponent(table.dataset.run), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) { if (!show(job)) { setTimeout(poll, 1000); } })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
