// Projector: keep the count live and the QR fresh without reloading the page.
// Without JavaScript the page refreshes itself (meta refresh), so this only smooths it.
(function () {
  var script = document.currentScript;
  var stateUrl = script.dataset.stateUrl;
  var rotation = parseInt(script.dataset.interval, 10) * 1000;
  var count = document.getElementById("attendance-count");
  var qr = document.getElementById("projector-qr");
  var slot = null;

  function refresh() {
    fetch(stateUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) return;
        count.textContent = state.count;
        if (state.slot !== slot) {
          slot = state.slot;
          qr.innerHTML = state.svg;
        }
      })
      .catch(function () { /* offline for a moment: try again on the next tick */ });
  }
  setInterval(refresh, Math.min(5000, rotation));
})();
