// The tip receipt's copy, save-as-image and share buttons. Without JavaScript the code is plain text
// on the page (write it down, or print); each button appears only where the browser can do its job.
(function () {
  var box = document.getElementById("tip-code-actions");
  if (!box) return;
  var code = box.getAttribute("data-code");
  var status = document.getElementById("tip-code-status");
  function say(message) { status.textContent = message; }

  var copy = document.getElementById("tip-code-copy");
  if (navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(code).then(
        function () { say(copy.getAttribute("data-done")); },
        function () { say(copy.getAttribute("data-failed")); }
      );
    });
  }

  var share = document.getElementById("tip-code-share");
  if (navigator.share) {
    share.hidden = false;
    share.addEventListener("click", function () {
      navigator.share({ title: box.getAttribute("data-title"), text: box.getAttribute("data-text") })
        .catch(function () { /* the resident closed the share sheet */ });
    });
  }

  var save = document.getElementById("tip-code-save");
  var canvas = document.createElement("canvas");
  if (canvas.getContext && canvas.toBlob) {
    save.hidden = false;
    save.addEventListener("click", function () {
      // A picture of the code for the phone's gallery: where people keep what they must not lose.
      canvas.width = 720;
      canvas.height = 360;
      var context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.fillStyle = "#0b3c6d";
      context.fillRect(0, 0, canvas.width, 72);
      context.fillStyle = "#ffffff";
      context.font = "bold 32px system-ui, sans-serif";
      context.fillText("Pimpasa", 32, 48);
      context.fillStyle = "#1b1f24";
      context.font = "24px system-ui, sans-serif";
      context.fillText(box.getAttribute("data-title"), 32, 130);
      context.font = "bold 52px ui-monospace, monospace";
      context.fillText(code, 32, 220);
      context.font = "22px system-ui, sans-serif";
      context.fillText(box.getAttribute("data-where"), 32, 300);
      canvas.toBlob(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = "pimpasa-" + code + ".png";
        document.body.appendChild(link);
        link.click();
        link.remove();
        say(save.getAttribute("data-done"));
      }, "image/png");
    });
  }
})();
