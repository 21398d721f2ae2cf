// The tip form's proof of work (pimpasa/proof_of_work.py). The vendored ALTCHA widget's "external"
// build bundles no worker (no blob: workers under our CSP): register the one this site serves.
// Whatever stops the check (no Web Crypto outside HTTPS, an old browser, a failed worker) must not
// stop the report: the form is then sent as it is, as without JavaScript, under smaller limits.
const widget = document.querySelector("altcha-widget[data-worker]");
if (widget) {
  const form = widget.closest("form");
  if (!window.isSecureContext || !globalThis.crypto?.subtle || !globalThis.$altcha || !window.Worker) {
    widget.remove();
  } else {
    const url = widget.dataset.worker;
    globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker(url));
    let sending = false;
    form.addEventListener("submit", () => { sending = true; }, { capture: true });
    widget.addEventListener("statechange", (event) => {
      if (event.detail.state === "error" && sending) {
        sending = false;
        form.submit(); // no submit event: the widget does not hold it back again
      }
    });
  }
}
