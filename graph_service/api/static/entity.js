// Entity page: an analyst's "same" / "different" decision on an identity candidate,
// sent to the identity API with the session's CSRF token; the page then reloads.
(function () {
  "use strict";
  var status = document.getElementById("decision-status");
  var token = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  document.querySelectorAll("button.decide").forEach(function (button) {
    button.addEventListener("click", function () {
      var body = { left: button.dataset.left, right: button.dataset.right, decision: button.dataset.decision };
      status.textContent = "Recording the decision…";
      fetch("/api/v1/identity/decisions", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": token },
        body: JSON.stringify(body)
      }).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) { status.textContent = "Refused (" + response.status + "): " + (data.detail || ""); return; }
          status.textContent = "Recorded: " + data.decision + " (" + data.records_merged + " records merged in the store).";
          window.location.reload();
        });
      }).catch(function (error) { status.textContent = "Not recorded: " + error; });
    });
  });
})();
