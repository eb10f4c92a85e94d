// Analytics pages: fetch the result of the page's analysis and show it; while a first
// computation runs, show how long it has been running. No other script, no network.
(function () {
  "use strict";
  var box = document.getElementById("analysis-result");
  if (!box || !box.dataset.src) { return; }
  var wait = box.querySelector(".analysis-wait");
  var started = Date.now();
  var timer = setInterval(function () {
    var s = Math.round((Date.now() - started) / 1000);
    if (wait) { wait.textContent = "Computing… " + s + " s (a first computation on a large graph takes a while; later ones come from the cache)"; }
  }, 1000);
  function done(html, failed) {
    clearInterval(timer);
    box.setAttribute("aria-busy", "false");
    if (failed) {
      box.textContent = "";
      var p = document.createElement("p");
      p.className = "analysis-error";
      p.setAttribute("role", "alert");
      p.textContent = html;
      box.appendChild(p);
    } else {
      box.innerHTML = html;  // server-rendered, escaped by the templates
    }
    document.body.dataset.analysisReady = failed ? "error" : "true";
  }
  fetch(box.dataset.src, { credentials: "same-origin", headers: { "Accept": "text/html" } })
    .then(function (response) {
      return response.text().then(function (text) {
        if (response.ok) { done(text, false); return; }
        var message = "The analysis was refused (" + response.status + ")";
        var page = new DOMParser().parseFromString(text, "text/html");
        var reason = page.querySelector("main .error") || page.querySelector("main");
        if (reason && reason.textContent.trim()) { message += ": " + reason.textContent.trim(); }
        done(message, true);
      });
    })
    .catch(function (error) { done("The analysis could not be fetched: " + error, true); });
})();
