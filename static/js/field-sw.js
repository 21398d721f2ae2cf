// Field mode's service worker: the page and its assets come from here when there is no signal,
// and Background Sync (where the browser has it) sends the waiting entries. The view serving this
// file puts self.PIMPASA_FIELD = {version, assets} in front of it.
/* global PimpasaField */
"use strict";

var CONFIG = self.PIMPASA_FIELD;
var ASSETS_CACHE = "pimpasa-field-assets-" + CONFIG.version;
var ASSETS_PREFIX = "pimpasa-field-assets-";

importScripts(CONFIG.assets.filter(function (url) { return /field-store\.js$/.test(url); })[0]);

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(ASSETS_CACHE).then(function (cache) { return cache.addAll(CONFIG.assets); }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(ASSETS_PREFIX) === 0 && name !== ASSETS_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return PimpasaField.purgeExpired(); }).then(function () { return self.clients.claim(); })
  );
});

var scope = new URL(self.registration.scope).pathname;
var sessionPage = new RegExp("^" + scope.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "\\d+/$");

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && sessionPage.test(url.pathname)) {
    // The live page when there is signal (it lists who is recorded); the kept one when there is not.
    event.respondWith(fetch(request).catch(function () {
      return caches.open(PimpasaField.PAGES_CACHE).then(function (cache) {
        return cache.match(url.pathname + "shell/");
      }).then(function (kept) {
        if (!kept) return Response.error();
        // A copy, not the kept response itself: one that came through a redirect (kept by an older
        // version of the page) would be refused for a navigation.
        return kept.redirected ? new Response(kept.body, kept) : kept;
      });
    }));
    return;
  }
  if (CONFIG.assets.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request, { cacheName: ASSETS_CACHE }).then(function (kept) {
      return kept || fetch(request);
    }));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag !== "pimpasa-field") return;
  // The open pages show each answer, as if they had sent the entries themselves.
  event.waitUntil(PimpasaField.syncAll().then(function (perSession) {
    var answers = [].concat.apply([], perSession);
    return self.clients.matchAll({ type: "window" }).then(function (windows) {
      windows.forEach(function (client) { client.postMessage({ type: "pimpasa-field-synced", answers: answers }); });
    });
  }));
});
