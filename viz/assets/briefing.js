/* Draws every map of the briefing pack (each <script class="briefing-data"> beside its
   canvas) with vis-network; partner data is only ever written as text. When all are
   drawn, <body> gets data-map-ready="true" and data-map-nodes (the nodes of all maps). */
(function () {
  "use strict";
  var canvases = Array.prototype.slice.call(document.querySelectorAll(".briefing-map"));
  var pending = canvases.length;
  var total = 0;
  function drawn() {
    pending -= 1;
    if (pending <= 0 && !document.body.hasAttribute("data-map-ready")) {
      document.body.setAttribute("data-map-nodes", String(total));
      document.body.setAttribute("data-map-ready", "true");
    }
  }
  if (!pending) { pending = 1; drawn(); return; }
  canvases.forEach(function (canvas) {
    var data = JSON.parse(document.getElementById(canvas.dataset.source).textContent);
    data.nodes.forEach(function (n) { delete n.title; });
    data.edges.forEach(function (e) { delete e.title; });
    total += data.nodes.length;
    var network = new vis.Network(canvas, { nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) }, data.options);
    var done = false;
    function ready() {
      if (done) { return; }
      done = true;
      canvas.setAttribute("data-map-ready", "true");
      canvas.setAttribute("data-map-nodes", String(data.nodes.length));
      drawn();
    }
    network.once("afterDrawing", ready);
    setTimeout(ready, 8000);
  });
})();
