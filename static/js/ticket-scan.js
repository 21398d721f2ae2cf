// Ticket scanning with the browser's own QR decoder (BarcodeDetector) when it has one.
// Browsers without it keep the plain form: the officer types or pastes the code under the ticket QR.
(function () {
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var form = document.getElementById("ticket-form");
  var field = form.querySelector("input[name=ticket]");
  var video = document.getElementById("ticket-video");
  var detector;
  try {
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  } catch (error) {
    return;
  }
  navigator.mediaDevices
    .getUserMedia({ video: { facingMode: "environment" } })
    .then(function (stream) {
      video.srcObject = stream;
      document.getElementById("ticket-camera").hidden = false;
      return video.play();
    })
    .then(function scan() {
      detector.detect(video).then(function (codes) {
        if (codes.length) {
          field.value = codes[0].rawValue;
          form.submit();
        } else {
          window.requestAnimationFrame(scan);
        }
      }, function () { window.setTimeout(scan, 500); });
    })
    .catch(function () { /* no camera or permission refused: the form still works */ });
})();
