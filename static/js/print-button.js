// A "Print" button for pages meant to be printed (the A4 poster): shown only where it can work.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
