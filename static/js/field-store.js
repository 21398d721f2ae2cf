// Field mode's store on the phone (IndexedDB) and its sync with the server. Shared by the page
// (a <script>) and the service worker (importScripts), so Background Sync sends the same way.
//
// Stores:
//   entries:  {client_id, session, kind: "walk_in"|"ticket", data, ticket_hash, state, answer,
//              made_at, keep_until, revision}; state is "waiting", "refused" or "invalid"; revision
//              changes with each save (a correction), so a late answer never undoes one. An entry is
//              deleted as soon as the server has recorded it (or found it already checked in).
//   sessions: {session, keep_until, tickets, checked_in_tickets, count, urls, fetched_at}: what the
//             server hands out for offline use (no personal data: tickets are salted hashes).
(function (global) {
  "use strict";

  var DB_NAME = "pimpasa-field";
  var PAGES_CACHE = "pimpasa-field-pages";
  var syncing = {};
  var again = {};

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = global.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("entries", { keyPath: "client_id" }).createIndex("session", "session");
        db.createObjectStore("sessions", { keyPath: "session" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // One transaction on one store; `work` may return a request whose result is the answer.
  function run(storeName, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(storeName, mode);
        var request = work(transaction.objectStore(storeName));
        transaction.oncomplete = function () {
          db.close();
          resolve(request ? request.result : undefined);
        };
        transaction.onerror = transaction.onabort = function () {
          db.close();
          reject(transaction.error);
        };
      });
    });
  }

  function putEntry(entry) { return run("entries", "readwrite", function (s) { return s.put(entry); }); }
  function deleteEntry(id) { return run("entries", "readwrite", function (s) { return s.delete(id); }); }
  function getEntry(id) { return run("entries", "readonly", function (s) { return s.get(id); }); }
  function allEntries() { return run("entries", "readonly", function (s) { return s.getAll(); }); }
  function entriesFor(session) {
    return run("entries", "readonly", function (s) { return s.index("session").getAll(session); });
  }
  function putSession(record) { return run("sessions", "readwrite", function (s) { return s.put(record); }); }
  function getSession(session) { return run("sessions", "readonly", function (s) { return s.get(session); }); }
  function allSessions() { return run("sessions", "readonly", function (s) { return s.getAll(); }); }

  function clearAll() {
    return Promise.all([
      run("entries", "readwrite", function (s) { return s.clear(); }),
      run("sessions", "readwrite", function (s) { return s.clear(); }),
    ]);
  }

  // Nothing is kept after a session's window closes + a day: entries still waiting then are
  // deleted (the server would refuse them), with the session's data and its cached page.
  function purgeExpired(now) {
    now = now || Date.now();
    var expired = function (item) { return Date.parse(item.keep_until) < now; };
    return Promise.all([allEntries(), allSessions()]).then(function (found) {
      var work = found[0].filter(expired).map(function (entry) { return deleteEntry(entry.client_id); });
      found[1].filter(expired).forEach(function (record) {
        work.push(run("sessions", "readwrite", function (s) { return s.delete(record.session); }));
        if (global.caches && record.urls) {
          work.push(global.caches.open(PAGES_CACHE).then(function (cache) { return cache.delete(record.urls.shell); }));
        }
      });
      return Promise.all(work);
    });
  }

  function SyncError(code, status) {
    this.code = code; // "offline", "logged_out" or "server"
    this.status = status;
  }

  function request(url, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.headers = Object.assign({ "X-Requested-With": "XMLHttpRequest", Accept: "application/json" }, options.headers);
    return global.fetch(url, options).then(
      function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (response.status === 403 || response.status === 401 || (response.ok && !json)) {
          throw new SyncError("logged_out", response.status);
        }
        if (!response.ok) throw new SyncError("server", response.status);
        return response.json();
      },
      function () { throw new SyncError("offline"); }
    );
  }

  // Fetch the session's offline data (kept) and its list of who is recorded (returned, not kept).
  function refresh(session, urls) {
    return request(urls.data).then(function (payload) {
      var record = Object.assign({}, payload.offline, { urls: urls, fetched_at: new Date().toISOString() });
      return putSession(record).then(function () { return payload; });
    });
  }

  function entryPayload(entry) {
    return Object.assign({ client_id: entry.client_id, kind: entry.kind, made_at: entry.made_at }, entry.data);
  }

  // Apply the server's answer to an entry: gone once recorded (or found already checked in); kept
  // with the reason when refused, unless the officer corrected it meanwhile (that version goes next).
  function apply(entry, answer) {
    if (answer.status === "recorded" || answer.status === "already") return deleteEntry(entry.client_id);
    return getEntry(entry.client_id).then(function (current) {
      if (!current || current.revision !== entry.revision) return null;
      // "retry": the server recorded nothing this time; the entry stays waiting and is sent again.
      current.state = answer.status === "retry" ? "waiting" : answer.status;
      current.answer = answer;
      return putEntry(current);
    });
  }

  // Send the session's waiting entries in batches; apply each answer. Resolves to the answers.
  // Safe to run twice at once or to be cut short: the server answers a known client id again.
  // Asked while a send is under way, it sends again right after it (entries saved meanwhile).
  function syncSession(session) {
    if (syncing[session]) {
      if (!again[session]) {
        var next = function () {
          delete again[session];
          return syncSession(session);
        };
        again[session] = syncing[session].then(next, next);
      }
      return again[session];
    }
    var answers = [];
    var done = getSession(session).then(function (record) {
      if (!record) return answers;
      return entriesFor(session).then(function (entries) {
        // Never send what is past its keep-until: purgeExpired deletes it.
        var waiting = entries.filter(function (entry) {
          return entry.state === "waiting" && Date.parse(entry.keep_until) >= Date.now();
        });
        if (!waiting.length) return answers;
        return refresh(session, record.urls).then(function (payload) {
          var byId = {};
          waiting.forEach(function (entry) { byId[entry.client_id] = entry; });
          var batches = [];
          for (var i = 0; i < waiting.length; i += record.batch || 50) {
            batches.push(waiting.slice(i, i + (record.batch || 50)));
          }
          return batches.reduce(function (previous, batch) {
            return previous.then(function () {
              return request(record.urls.sync, {
                method: "POST",
                headers: { "Content-Type": "application/json", "X-CSRFToken": payload.csrf_token },
                body: JSON.stringify({ entries: batch.map(entryPayload) }),
              }).then(function (reply) {
                return Promise.all(reply.results.map(function (answer) {
                  var entry = byId[answer.client_id];
                  if (!entry) return null;
                  answers.push({ entry: entry, answer: answer });
                  return apply(entry, answer);
                }));
              });
            });
          }, Promise.resolve());
        });
      });
    }).then(function () { return answers; });
    syncing[session] = done;
    var release = function () { delete syncing[session]; };
    done.then(release, release);
    return done;
  }

  // Every session with entries waiting (the service worker's Background Sync calls this).
  function syncAll() {
    return purgeExpired().then(allEntries).then(function (entries) {
      var sessions = {};
      entries.forEach(function (entry) { if (entry.state === "waiting") sessions[entry.session] = true; });
      return Promise.all(Object.keys(sessions).map(function (session) { return syncSession(Number(session)); }));
    });
  }

  global.PimpasaField = {
    PAGES_CACHE: PAGES_CACHE,
    SyncError: SyncError,
    putEntry: putEntry,
    deleteEntry: deleteEntry,
    getEntry: getEntry,
    entriesFor: entriesFor,
    getSession: getSession,
    clearAll: clearAll,
    purgeExpired: purgeExpired,
    refresh: refresh,
    syncSession: syncSession,
    syncAll: syncAll,
  };
})(self);
