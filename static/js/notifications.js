// The header's notification bell, live: follows /ws/notifications/ (the signed-in user's
// own group). The socket's first frame is the unread count, so the badge is right after
// every (re)connect; each new notification updates the count and shows a short toast
// linking to what it is about. Without JavaScript the badge is the count as of the page load.
(function () {
  "use strict";
  const bell = document.getElementById("nav-bell");
  if (!bell) return;
  const count = bell.querySelector("[data-unread-count]");
  const toasts = document.getElementById("toasts");
  let retry = 0;

  function showCount(n) {
    count.textContent = String(n);
    count.hidden = n < 1;
    bell.setAttribute("aria-label", n > 0 ? `Notifications, ${n} unread` : "Notifications");
    bell.dataset.unread = String(n);
    // The dashboard's notifications panel says it too.
    const panelCount = document.querySelector("#notifications-panel .unread-count");
    if (panelCount) {
      panelCount.textContent = `${n} unread`;
      panelCount.hidden = n < 1;
    }
  }

  function toast(notification) {
    if (!toasts) return;
    const item = document.createElement("p");
    item.className = "toast";
    const text = document.createElement(notification.url ? "a" : "span");
    if (notification.url) text.href = notification.url;
    text.textContent = notification.text;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    close.addEventListener("click", () => item.remove());
    item.append(text, close);
    toasts.append(item);
    while (toasts.children.length > 3) toasts.firstElementChild.remove();
    setTimeout(() => item.remove(), 8000);
  }

  function onFrame(frame) {
    if (frame.type === "notifications.unread") {
      showCount(frame.unread_count);
    } else if (frame.type === "notification.created") {
      showCount(frame.unread_count);
      toast(frame.notification);
      document.dispatchEvent(new CustomEvent("devcrew:notification", { detail: frame.notification }));
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${bell.dataset.notificationsSocket}`);
    socket.addEventListener("open", () => {
      retry = 0;
      bell.dataset.socket = "open";
    });
    socket.addEventListener("message", (event) => {
      try {
        onFrame(JSON.parse(event.data));
      } catch (error) {
        // not a frame this page knows
      }
    });
    socket.addEventListener("close", (event) => {
      bell.dataset.socket = "closed";
      if (event.code === 4401 || event.code === 4403 || event.code === 4404) return;
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * 2 ** retry * (0.75 + Math.random() / 2));
    });
  }

  connect();
})();
