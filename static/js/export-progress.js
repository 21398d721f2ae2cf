// Keeps an export's page up to date while its job runs: polls the JSON status, moves the bar,
// and reloads the page once the job is finished or failed (the server then shows the download
// link or the error) or once the task worker stops or starts (the server then says so or stops saying so). Without JavaScript a <noscript> refresh does the same, more coarsely.
(function () {
  "use strict";
  var root = document.querySelector("[data-export-job][data-active]");
  if (!root) return;
  var bar = root.querySelector("[data-export-progress]");
  var text = root.querySelector("[data-export-progress-text]");
  var status = root.querySelector("[data-export-status]");
  var delay = 1500;

  function poll() {
    fetch(root.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (job) {
        if (bar) bar.value = job.percent;
        if (text) text.textContent = job.percent + "% · " + job.progress_text;
        if (status) status.textContent = job.status_label;
        if (job.worker_down !== ("workerDownShown" in root.dataset)) {
          window.location.reload(); // the worker stopped or started: the server says which
        } else if (job.active) {
          window.setTimeout(poll, delay);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        window.setTimeout(poll, delay * 4); // a hiccup (network, deploy): keep trying, more slowly
      });
  }
  window.setTimeout(poll, delay);
})();
