// Follows a background export: polls its state every second, moves the progress bar, and
// reloads the page (which then shows the download link) when the file is ready or failed.
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box || !box.dataset.stateUrl) { return; }
  var status = box.dataset.status;
  if (status !== "queued" && status !== "running") { return; }
  var bar = document.getElementById("export-progress");
  var label = box.querySelector("[data-export-label]");
  var rows = box.querySelector("[data-export-rows]");
  function poll() {
    fetch(box.dataset.stateUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { return window.setTimeout(poll, 3000); }
        if (bar) { bar.value = state.percent; bar.textContent = state.percent + "%"; }
        if (label) { label.textContent = state.label; }
        if (rows) { rows.textContent = state.rows_done; }
        if (state.status === "ready" || state.status === "failed") { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
