// Dueflow service worker: shows Web Push reminders and opens the task when one is clicked.
// Tiny and dependency-free; it caches nothing (the app is online-first).
self.addEventListener('install', function () {
  self.skipWaiting();
});
self.addEventListener('activate', function (event) {
  event.waitUntil(self.clients.claim());
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
    icon: '/icon.svg',
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
