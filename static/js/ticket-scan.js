// Ticket scanning with the phone's camera. The browser's own QR decoder (BarcodeDetector) where it has
// one; elsewhere (iOS Safari, Firefox) the vendored jsQR decoder, loaded only then. Without a camera,
// or without JavaScript, the plain form remains: the officer types or pastes the code under the QR.
(function () {
  var form = document.getElementById("ticket-form");
  if (!form || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var field = form.querySelector("input[name=ticket]");
  var video = document.getElementById("ticket-video");

  function found(text) {
    field.value = text;
    form.submit();
  }

  function withBarcodeDetector() {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    return function scan() {
      detector.detect(video).then(function (codes) {
        if (codes.length) found(codes[0].rawValue);
        else window.requestAnimationFrame(scan);
      }, function () { window.setTimeout(scan, 500); });
    };
  }

  function withJsQR() {
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return function scan() {
      if (video.readyState >= 2 && video.videoWidth) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0);
        var frame = context.getImageData(0, 0, canvas.width, canvas.height);
        var code = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
        if (code && code.data) { found(code.data); return; }
      }
      window.setTimeout(scan, 250);  // a few frames a second is plenty, and spares a cheap phone
    };
  }

  function loadDecoder() {
    if ("BarcodeDetector" in window) {
      try { return Promise.resolve(withBarcodeDetector()); } catch (error) { /* no qr_code format */ }
    }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = form.getAttribute("data-fallback-decoder");
      script.onload = function () { resolve(withJsQR()); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  loadDecoder().then(function (scan) {
    return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      document.getElementById("ticket-camera").hidden = false;
      return video.play().then(scan);
    });
  }).catch(function () { /* no camera, permission refused or no decoder: the form still works */ });
})();
