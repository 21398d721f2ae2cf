// Field mode's page: entries go to this phone's store first and are sent whenever the connection
// allows (online event, page focus, Background Sync); each entry's answer is shown. No "offline mode"
// switch: the page behaves the same with or without signal. Without this script the forms post as usual.
(function () {
  "use strict";
  var store = window.PimpasaField;
  var configText = document.body.dataset.fieldConfig;
  if (!store || !configText || !window.indexedDB || !window.fetch || !window.Promise) return;
  var config = JSON.parse(configText);
  var session = config.session;
  var urls = config.urls;
  var strings = config.strings;
  var walkInForm = document.getElementById("walk-in-form");
  var ticketForm = document.getElementById("ticket-form");
  var answered = []; // this page's answers for entries already deleted from the phone (memory only)
  var lastError = null;
  var retry = null; // the one send waiting on a timer
  // A send that found no connection, or entries the server was too busy to record, tries again: after
  // a second at first (a connection that has just come back, a database busy for a moment), then
  // twice as long each time up to RETRY_MAX_MS. Phones on a network with no way out (a venue's Wi-Fi,
  // a saturated cell) say navigator.onLine all along and never fire "online".
  var RETRY_FIRST_MS = 1000;
  var RETRY_MAX_MS = 10000;
  var retryDelay = RETRY_FIRST_MS;

  function $(id) { return document.getElementById(id); }
  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, key) { return values[key]; });
  }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function uuid4() {
    if (window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // The same salted hash the server hands out: SHA-256 of "<session>:<code>", the code being the
  // part of a ticket before its signature.
  function ticketHash(ticket) {
    if (!window.crypto.subtle) return Promise.resolve(null);
    var code = ticket.trim().split(":")[0];
    var bytes = new TextEncoder().encode(session + ":" + code);
    return window.crypto.subtle.digest("SHA-256", bytes).then(function (digest) {
      return Array.prototype.map.call(new Uint8Array(digest), function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    });
  }

  function expired() { return Date.now() > Date.parse(config.keep_until); }

  // -- the form's fields ------------------------------------------------------------------------
  var WALK_IN_FIELDS = ["name", "phone", "gender", "age_group", "rw", "address", "institution"];
  var REQUIRED = ["name", "gender", "age_group", "consent"];

  function input(form, prefix, name) { return form.elements[prefix + "-" + name]; }

  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (node) { node.classList.remove("field-error"); });
    Array.prototype.forEach.call(form.querySelectorAll(".errorlist[data-field-js]"), function (node) { node.remove(); });
  }

  function showErrors(form, prefix, errors) {
    clearErrors(form);
    Object.keys(errors).forEach(function (name) {
      var field = input(form, prefix, name);
      if (!field || field.type === "hidden") return;
      var wrapper = field.closest(".form-field");
      var list = element("ul", "errorlist");
      list.setAttribute("data-field-js", "");
      errors[name].forEach(function (message) { list.appendChild(element("li", "", message)); });
      wrapper.classList.add("field-error");
      wrapper.insertBefore(list, field.parentNode === wrapper ? field : wrapper.firstChild);
    });
  }

  function say(text, kind) {
    var note = $("field-note");
    if (!note) {
      note = element("p", "alert");
      note.id = "field-note";
      note.setAttribute("role", "status");
      $("field-status").insertAdjacentElement("afterend", note);
    }
    note.className = "alert alert--" + (kind || "info");
    note.textContent = text;
  }

  // -- saving entries on the phone --------------------------------------------------------------
  function save(entry) {
    entry.session = session;
    entry.state = "waiting";
    entry.answer = null;
    entry.keep_until = config.keep_until;
    entry.revision = uuid4();
    // A corrected entry keeps the time it was first written: when the person came and agreed.
    return store.getEntry(entry.client_id).then(function (earlier) {
      entry.made_at = earlier ? earlier.made_at : new Date().toISOString();
      return store.putEntry(entry);
    }).then(function () {
      askForBackgroundSync();
      return render();
    }).then(send);
  }

  function onWalkIn(event) {
    event.preventDefault();
    if (expired()) return say(strings.expired, "error");
    var data = {};
    WALK_IN_FIELDS.forEach(function (name) { data[name] = input(walkInForm, "walkin", name).value.trim(); });
    // The officer's statement that the person agreed: sent with the entry, recorded with the officer.
    data.consent = input(walkInForm, "walkin", "consent").checked;
    var errors = {};
    REQUIRED.forEach(function (name) {
      if (!data[name]) errors[name] = [name === "consent" ? strings.consent : strings.required];
    });
    if (Object.keys(errors).length) {
      showErrors(walkInForm, "walkin", errors);
      return;
    }
    clearErrors(walkInForm);
    var clientId = walkInForm.dataset.correcting || uuid4();
    delete walkInForm.dataset.correcting;
    walkInForm.reset();
    say(format(strings.saved, { name: data.name }), "success");
    save({ client_id: clientId, kind: "walk_in", data: data });
    input(walkInForm, "walkin", "name").focus();
  }

  function onTicket(event) {
    event.preventDefault();
    if (expired()) return say(strings.expired, "error");
    var field = input(ticketForm, "ticket", "ticket");
    var ticket = field.value.trim();
    if (!ticket) return showErrors(ticketForm, "ticket", { ticket: [strings.ticketEmpty] });
    clearErrors(ticketForm);
    var clientId = ticketForm.dataset.correcting || uuid4();
    delete ticketForm.dataset.correcting;
    Promise.all([ticketHash(ticket), store.getSession(session), store.entriesFor(session)]).then(function (found) {
      var hash = found[0], record = found[1], entries = found[2];
      if (hash) {
        var twice = entries.some(function (entry) { return entry.ticket_hash === hash && entry.client_id !== clientId; });
        if (twice || (record && record.checked_in_tickets.indexOf(hash) !== -1)) {
          return showErrors(ticketForm, "ticket", { ticket: [strings.ticketTwice] });
        }
      }
      var known = !hash || !record || record.tickets.indexOf(hash) !== -1;
      ticketForm.reset();
      say(known ? format(strings.saved, { name: strings.ticket }) : strings.ticketUnknown, known ? "success" : "warning");
      return save({ client_id: clientId, kind: "ticket", data: { ticket: ticket }, ticket_hash: hash });
    });
  }

  function correct(entry) {
    if (entry.kind === "ticket") {
      input(ticketForm, "ticket", "ticket").value = entry.data.ticket;
      ticketForm.dataset.correcting = entry.client_id;
      showErrors(ticketForm, "ticket", (entry.answer && entry.answer.errors) || {});
      input(ticketForm, "ticket", "ticket").focus();
      return;
    }
    WALK_IN_FIELDS.forEach(function (name) { input(walkInForm, "walkin", name).value = entry.data[name] || ""; });
    input(walkInForm, "walkin", "consent").checked = Boolean(entry.data.consent);
    walkInForm.dataset.correcting = entry.client_id;
    showErrors(walkInForm, "walkin", (entry.answer && entry.answer.errors) || {});
    input(walkInForm, "walkin", "name").focus();
  }

  function discard(entry) {
    if (!window.confirm(strings.discardConfirm)) return;
    store.deleteEntry(entry.client_id).then(render);
  }

  // -- showing what is on the phone -------------------------------------------------------------
  function entryName(entry, answer) {
    if (answer && answer.name) return answer.name;
    if (entry.kind === "ticket") return strings.ticket + " …" + entry.data.ticket.split(":")[0].slice(-6);
    return entry.data.name;
  }

  function entryItem(entry, answer) {
    var state = answer ? answer.status : entry.state;
    var item = element("li", "field-entry");
    item.dataset.state = state;
    item.appendChild(element("span", "field-list__name", entryName(entry, answer)));
    var label = { waiting: strings.waitingEntry, recorded: strings.recorded, already: strings.already,
      refused: strings.refused, invalid: strings.refused }[state];
    item.appendChild(element("span", "field-entry__state", label));
    var reply = answer || entry.answer;
    if (reply && reply.message && state !== "recorded") {
      item.appendChild(element("span", "field-entry__reason", reply.message));
    }
    if (state === "invalid" && reply.errors) {
      // Which field and why, in the form's own words: "Nomor HP: …".
      var form = entry.kind === "ticket" ? ticketForm : walkInForm;
      var prefix = entry.kind === "ticket" ? "ticket" : "walkin";
      Object.keys(reply.errors).forEach(function (name) {
        var field = input(form, prefix, name);
        var label = field && field.labels && field.labels.length ? field.labels[0].textContent.replace(/\s*\(.*\)\s*$/, "").trim() : name;
        item.appendChild(element("span", "field-entry__reason", label + ": " + reply.errors[name].join(" ")));
      });
    }
    if (state === "refused" || state === "invalid") {
      var buttons = element("p", "field-buttons");
      var fix = element("button", "button--secondary", strings.correct);
      fix.type = "button";
      fix.addEventListener("click", function () { correct(entry); });
      var drop = element("button", "button--secondary", strings.discard);
      drop.type = "button";
      drop.addEventListener("click", function () { discard(entry); });
      buttons.appendChild(fix);
      buttons.appendChild(drop);
      item.appendChild(buttons);
    }
    return item;
  }

  function render() {
    return store.entriesFor(session).then(function (entries) {
      entries.sort(function (a, b) { return a.made_at < b.made_at ? -1 : 1; });
      var waiting = entries.filter(function (entry) { return entry.state === "waiting"; }).length;
      $("field-status").hidden = false;
      $("field-status").dataset.online = String(navigator.onLine);
      $("field-connection").textContent = navigator.onLine ? strings.online : strings.offline;
      if (lastError && navigator.onLine) $("field-connection").textContent = lastError;
      $("field-waiting-count").textContent = format(strings.waiting, { count: waiting });
      $("field-send").hidden = !waiting || !navigator.onLine;
      var list = $("field-queue");
      list.textContent = "";
      entries.forEach(function (entry) { list.appendChild(entryItem(entry)); });
      answered.forEach(function (done) { list.appendChild(entryItem(done.entry, done.answer)); });
      $("field-queue-section").hidden = !list.children.length;
    });
  }

  function showRecorded(payload) {
    $("field-count").textContent = payload.offline.count;
    $("field-recorded-note").textContent = "";
    var list = $("field-recorded");
    list.textContent = "";
    if (!payload.recorded.length) list.appendChild(element("li", "muted", strings.nobody));
    payload.recorded.forEach(function (person) {
      var item = element("li");
      item.appendChild(element("span", "field-list__name", person.name));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(element("span", "muted", person.how + " · " + person.at));
      list.appendChild(item);
    });
  }

  // -- sending ----------------------------------------------------------------------------------
  function explain(error) {
    if (error && error.code === "logged_out") return strings.loggedOut;
    if (error && error.code === "server") return strings.serverError;
    return null; // offline: the status line says so already
  }

  function send() {
    if (!navigator.onLine) return render();
    $("field-connection").textContent = strings.sending;
    return store.syncSession(session).then(function (answers) {
      lastError = null;
      if (answers.length && $("field-note")) $("field-note").remove();
      remember(answers);
      // The server was busy for some entries: they stay waiting; try once more shortly.
      if (answers.some(function (done) { return done.answer.status === "retry"; })) sendLater();
      else retryDelay = RETRY_FIRST_MS;
      return answers.length ? store.refresh(session, urls).then(showRecorded) : null;
    }, function (error) {
      lastError = explain(error);
      // No connection although the phone says it has one: no "online" event will come to send them.
      if (error && error.code === "offline") sendLater();
    }).then(render);
  }

  function sendLater() {
    if (retry) return;
    retry = window.setTimeout(function () {
      retry = null;
      send();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
  }

  // Answers for entries now gone from the phone, shown until the page is closed (never stored).
  function remember(answers) {
    answers.forEach(function (done) {
      if (done.entry.session !== session) return;
      if (done.answer.status !== "recorded" && done.answer.status !== "already") return;
      answered = answered.filter(function (shown) { return shown.entry.client_id !== done.entry.client_id; });
      answered.unshift(done);
    });
  }

  function askForBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("pimpasa-field");
      return null;
    }).catch(function () { /* Background Sync refused: the online and focus events still send */ });
  }

  // Keep this session's page for the next time there is no signal: only the page itself, never a
  // sign-in or error page reached by redirect (a redirected response cannot answer a navigation, so
  // the offline reload would fail where it should show the kept page).
  function keepShell() {
    if (!window.caches) return;
    window.fetch(urls.shell, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok || response.redirected) return;
      return window.caches.open(store.PAGES_CACHE).then(function (cache) { return cache.put(urls.shell, response); });
    }).catch(function () {});
  }

  // -- start ------------------------------------------------------------------------------------
  function start() {
    walkInForm.addEventListener("submit", onWalkIn);
    ticketForm.addEventListener("submit", onTicket);
    $("field-send").addEventListener("click", send);
    window.addEventListener("online", send);
    window.addEventListener("offline", render);
    window.addEventListener("focus", send);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) send(); });
    $("field-logout").addEventListener("submit", onLogout);
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(urls.worker, { scope: urls.scope }).catch(function () {});
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (!event.data || event.data.type !== "pimpasa-field-synced") return;
        remember(event.data.answers || []);
        render();
        if (navigator.onLine) store.refresh(session, urls).then(showRecorded, function () {});
      });
    }
    startCamera();
    store.purgeExpired().then(function () {
      if (!navigator.onLine) {
        // The count as the server last told it; the list of names is never kept on the phone.
        return store.getSession(session).then(function (record) {
          if (record) $("field-count").textContent = record.count;
        });
      }
      // Online: keep this session's page and data for the next time there is no signal.
      keepShell();
      return store.refresh(session, urls).then(showRecorded, function (error) { lastError = explain(error); });
    }).then(render).then(send);
  }

  // Logging out deletes what this phone keeps (the server's logout also sends Clear-Site-Data).
  function onLogout(event) {
    var form = event.target;
    event.preventDefault();
    store.entriesFor(session).then(function (entries) {
      if (entries.length && !window.confirm(format(strings.logoutConfirm, { count: entries.length }))) return;
      store.clearAll().then(function () { form.submit(); });
    });
  }

  // Scanning: the browser's own QR decoder (BarcodeDetector) where it has one, else the vendored jsQR
  // (iOS Safari, Firefox), which the service worker keeps too so scanning works with no signal.
  // Typing the code always works.
  function barcodeDetectorReader() {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    return function (video) {
      return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
    };
  }

  function jsQRReader() {
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return function (video) {
      if (video.readyState < 2 || !video.videoWidth) return Promise.resolve(null);
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      var frame = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
      return Promise.resolve(code && code.data ? code.data : null);
    };
  }

  function loadReader() {
    if ("BarcodeDetector" in window) {
      try { return Promise.resolve(barcodeDetectorReader()); } catch (error) { /* no qr_code format */ }
    }
    if (window.jsQR) return Promise.resolve(jsQRReader());
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = urls.decoder;
      script.onload = function () { resolve(jsQRReader()); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
    var button = $("field-scan");
    var video = $("field-video");
    button.hidden = false;
    button.addEventListener("click", function () {
      loadReader().then(function (read) {
        return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
          video.srcObject = stream;
          $("field-camera").hidden = false;
          var stop = function () {
            stream.getTracks().forEach(function (track) { track.stop(); });
            $("field-camera").hidden = true;
          };
          return video.play().then(function scan() {
            read(video).then(function (text) {
              if (!text) return window.setTimeout(scan, 250); // a few frames a second spares a cheap phone
              stop();
              input(ticketForm, "ticket", "ticket").value = text;
              ticketForm.requestSubmit();
            }, function () { window.setTimeout(scan, 500); });
          });
        });
      }).catch(function () { /* no camera, permission refused or no decoder: typing the code still works */ });
    });
  }

  start();
})();
