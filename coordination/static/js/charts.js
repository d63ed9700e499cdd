// Draws the plotly figures whose JSON sits in <script type="application/json" data-chart=…>.
(function () {
  "use strict";
  if (!window.Plotly) {
    return;
  }
  document.querySelectorAll("script[data-chart]").forEach(function (node) {
    var target = document.getElementById(node.getAttribute("data-chart"));
    if (!target) {
      return;
    }
    var figure = JSON.parse(node.textContent);
    // The mode bar needs styles plotly would inject inline, which our CSP forbids; each chart
    // has a table view and a CSV download instead.
    window.Plotly.newPlot(target, figure.data, figure.layout, { responsive: true, displayModeBar: false });
  });
})();
