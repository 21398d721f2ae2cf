// Run page: keep the count, the check-in state and the latest check-ins live, as the projector does.
// The server renders the live parts (events/admin/includes/run_live.html); this swaps them in.
// Without JavaScript the "Refresh" link does the same, and nothing the officer types is ever lost.
(function () {
  "use strict";
  var page = document.getElementById("run-page");
  if (!page) return;
  var url = page.dataset.liveUrl;
  var delay = parseInt(page.dataset.liveSeconds, 10) * 1000 || 5000;

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    fresh.querySelectorAll("[data-live-part]").forEach(function (part) {
      var current = page.querySelector('[data-live-part="' + part.dataset.livePart + '"]');
      if (current) current.replaceWith(document.importNode(part, true));
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        swap(html);
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        window.setTimeout(poll, delay * 3); // offline for a moment: try again, more slowly
      });
  }
  window.setTimeout(poll, delay);
})();
