// Dueflow service worker: keeps the app and the user's last-read lists for use offline, shows Web
// Push reminders and opens the task when one is clicked. Plain script, no build step, no imports.
//
// Caching: pages are fetched from the network first (the newest app), falling back to the copy kept
// from the last visit; the build's files (/_next/static, named by their content) come from the cache
// first; GETs of the API come from the network first and the last answer is kept, so the lists read
// before going offline stay readable. Nothing else (sign-in, changes, the WebSocket) is ever cached.
// Signing out (or a 401) empties the API cache, so no one else reads the tasks on a shared device.
var SHELL_CACHE = 'dueflow-shell-v1';
var DATA_CACHE = 'dueflow-data-v1';
var SHELL_FILES = ['/', '/manifest.webmanifest', '/icon.svg', '/icon-192.png', '/icon-512.png'];

self.addEventListener('install', function (event) {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then(function (cache) {
        // Best effort: a file that fails now is kept on its first real use.
        return Promise.all(
          SHELL_FILES.map(function (url) {
            return cache.add(url).catch(function () {});
          }),
        );
      })
      .then(function () {
        return self.skipWaiting();
      }),
  );
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf('dueflow-') === 0 && name !== SHELL_CACHE && name !== DATA_CACHE;
            })
            .map(function (name) {
              return caches.delete(name);
            }),
        );
      })
      .then(function () {
        return self.clients.claim();
      }),
  );
});

/** Which kind of request this is, for caching; null: leave it to the network. */
function kindOf(request) {
  if (request.method !== 'GET') return null;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return null;
  if (url.pathname.indexOf('/api/v1/') === 0) {
    // The WebSocket and anything about the session are never kept.
    if (url.pathname === '/api/v1/ws') return null;
    return 'data';
  }
  if (url.pathname.indexOf('/api/') === 0) return null;
  if (url.pathname.indexOf('/_next/static/') === 0) return 'static';
  if (request.mode === 'navigate') return 'page';
  if (/\.(?:svg|png|webmanifest|css|js)$/.test(url.pathname)) return 'static';
  return null;
}

/** The network's answer, kept in `cacheName` when it is a success; the kept copy when offline. */
function networkFirst(request, cacheName, cacheKey) {
  return fetch(request).then(
    function (response) {
      if (response.status === 401 && cacheName === DATA_CACHE) {
        caches.delete(DATA_CACHE);
      } else if (response.ok) {
        var copy = response.clone();
        caches.open(cacheName).then(function (cache) {
          return cache.put(cacheKey || request, copy);
        });
      }
      return response;
    },
    function (error) {
      return caches.match(cacheKey || request, { cacheName: cacheName }).then(function (kept) {
        if (kept) return kept;
        throw error;
      });
    },
  );
}

function cacheFirst(request) {
  return caches.match(request, { cacheName: SHELL_CACHE }).then(function (kept) {
    return (
      kept ||
      fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(SHELL_CACHE).then(function (cache) {
            return cache.put(request, copy);
          });
        }
        return response;
      })
    );
  });
}

self.addEventListener('fetch', function (event) {
  var kind = kindOf(event.request);
  if (!kind) return;
  if (kind === 'static') event.respondWith(cacheFirst(event.request));
  else if (kind === 'data') event.respondWith(networkFirst(event.request, DATA_CACHE));
  else {
    // Every view of the planner is the same page ("/?view=…"): one copy serves them all.
    var url = new URL(event.request.url);
    var key = url.pathname === '/' ? '/' : url.pathname;
    event.respondWith(networkFirst(event.request, SHELL_CACHE, key));
  }
});

// The page tells the worker what it loaded before the worker took control (keep it), and when the
// user signs out (forget the data).
self.addEventListener('message', function (event) {
  var message = event.data || {};
  if (message.type === 'keep' && Array.isArray(message.urls)) {
    event.waitUntil(
      Promise.all(
        message.urls.map(function (url) {
          var request = new Request(url, { credentials: 'same-origin' });
          var kind = kindOf(request);
          if (kind === 'static') return cacheFirst(request).catch(function () {});
          if (kind === 'data') return networkFirst(request, DATA_CACHE).catch(function () {});
          return undefined;
        }),
      ),
    );
  } else if (message.type === 'signed-out') {
    event.waitUntil(caches.delete(DATA_CACHE));
  }
});

// Payload from the notification service: {title, body, task_id, notification_id, url}.
self.addEventListener('push', function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = { body: event.data ? event.data.text() : '' };
  }
  var id = data.notification_id != null ? data.notification_id : data.task_id;
  var options = {
    body: dueText(data.body),
    icon: '/icon-192.png',
    // Same tag as the page's own notification for this reminder: the browser shows it once.
    tag: id != null ? 'reminder-' + id : 'reminder',
    data: { url: data.task_id != null ? '/?task=' + data.task_id : '/' },
  };
  event.waitUntil(self.registration.showNotification(data.title || 'Dueflow reminder', options));
});

// "Due 2026-03-04T09:30:00.000Z" reads better as a local date and time.
function dueText(body) {
  var m = /^Due (\d{4}-\d\d-\d\dT[^ ]+)$/.exec(body || '');
  if (!m) return body || 'Reminder';
  var at = new Date(m[1]);
  return isNaN(at.getTime()) ? body : 'Due ' + at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var url = new URL((event.notification.data && event.notification.data.url) || '/', self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        var w = windows[i];
        if (new URL(w.url).origin === self.location.origin && 'focus' in w) {
          return w.focus().then(function (focused) {
            return focused && 'navigate' in focused ? focused.navigate(url) : focused;
          });
        }
      }
      return self.clients.openWindow ? self.clients.openWindow(url) : undefined;
    }),
  );
});
