// The referral link's "Copy" button: shown only where it can work (the link stays selectable in its
// read-only field without this script). The Clipboard API needs a secure context; elsewhere the
// browser's copy command on the selected field does the same.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  var field = document.getElementById(button.getAttribute("data-copy"));
  var status = button.parentNode.querySelector("[data-copy-status]");
  if (!field) return;
  button.hidden = false;

  function say(message) {
    if (status) status.textContent = message;
  }

  function copyBySelection() {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (error) {
      done = false;
    }
    say(button.getAttribute(done ? "data-copied" : "data-failed"));
  }

  button.addEventListener("click", function () {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () {
          field.select();
          say(button.getAttribute("data-copied"));
        },
        copyBySelection
      );
    } else {
      copyBySelection();
    }
  });
});
