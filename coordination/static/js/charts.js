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
    var xaxis = figure.layout.xaxis;
    if (xaxis && xaxis.type === "category" && target.clientWidth < 600) {
      // On a phone, months upright and few enough to sit side by side, not turned over the axis.
      xaxis.nticks = Math.max(2, Math.floor(target.clientWidth / 80));
    }
    // The mode bar needs styles plotly would inject inline, which our CSP forbids; each chart
    // has a table view and a CSV download instead.
    window.Plotly.newPlot(target, figure.data, figure.layout, { responsive: true, displayModeBar: false });
  });
})();
