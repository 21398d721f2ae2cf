// The tip form's proof of work (pimpasa/proof_of_work.py). The vendored ALTCHA widget's "external"
// build bundles no worker (no blob: workers under our CSP): register the one this site serves.
// Without JavaScript none of this runs and the form is sent as it is, under smaller limits.
const widget = document.querySelector("altcha-widget[data-worker]");
if (widget && globalThis.$altcha) {
  const url = widget.dataset.worker;
  globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker(url));
}
