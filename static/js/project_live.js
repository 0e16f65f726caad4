// A project's page, live: follows the project socket (/ws/projects/<slug>/room/) and,
// when a task or milestone changes, re-reads the board's parts from the server
// (#board-count, #milestone-list, #board-columns) and swaps them in place, so every
// member sees the same board with the buttons their own role allows. The frames say
// what changed (the moved, new or edited card is highlighted; a deleted card goes at
// once); the server's render is the truth. Every time the socket opens (first time, or
// after a drop or a `resync` close) the board is re-read, so no change is missed.
// Without JavaScript the page is the same board, current as of its load.
(function () {
  "use strict";
  const root = document.querySelector("[data-live-socket]");
  if (!root) return;
  const state = document.getElementById("board-live-state");
  const activity = document.getElementById("board-activity");
  let retry = 0;
  let timer = null;
  let inFlight = false;
  let again = false;
  const changed = new Set();

  function highlight() {
    for (const id of changed) {
      const card = document.getElementById("task-" + id);
      if (!card) continue;
      card.classList.remove("task-live-changed");
      void card.offsetWidth; // restart the animation
      card.classList.add("task-live-changed");
    }
    changed.clear();
  }

  async function refresh() {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      const response = await fetch(root.dataset.liveFragment, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (response.ok) {
        const html = await response.text();
        const fresh = new DOMParser().parseFromString(html, "text/html");
        const focused = document.activeElement && document.activeElement.getAttribute("aria-label");
        const typing = keepQuickAdds();
        fresh.querySelectorAll("[data-live-part][id]").forEach((part) => {
          const current = document.getElementById(part.id);
          if (!current) return;
          // The element stays (an htmx move in flight targets it); its content is new.
          current.replaceChildren(...document.importNode(part, true).childNodes);
          if (window.htmx) window.htmx.process(current);
        });
        if (focused) root.querySelector(`[aria-label="${CSS.escape(focused)}"]`)?.focus();
        typing();
        highlight();
        root.dataset.synced = String(Date.now());
      }
    } catch (error) {
      // offline: the next socket open re-reads the board
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  }

  // An open "+ Add task" form survives a re-read: it stays open with what was typed in
  // it, and keeps the keyboard focus, so a teammate's change never eats a half-typed task.
  function keepQuickAdds() {
    const open = [];
    root.querySelectorAll("details.quick-add[open] input[type=text][id]").forEach((input) => {
      open.push({ id: input.id, value: input.value, focused: document.activeElement === input });
    });
    return function restore() {
      for (const { id, value, focused } of open) {
        const input = document.getElementById(id);
        if (!input) continue;
        input.closest("details").open = true;
        input.value = value;
        if (focused) input.focus();
      }
    };
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 120); // a planner's burst of tasks is one re-read
  }

  function announce(run) {
    const line = document.createElement("span");
    line.append(`${run.owner} started the agent “${run.kind_label}”. `);
    if (root.dataset.runsOpen === "true" && run.url) {
      const link = document.createElement("a");
      link.href = run.url;
      link.textContent = "Watch it";
      line.append(link);
    }
    activity.replaceChildren(line);
  }

  function onFrame(frame) {
    const type = frame.type || "";
    if (type === "task.deleted") {
      document.getElementById("task-" + frame.task_id)?.remove();
      soon();
    } else if (type === "task.created" || type === "task.updated") {
      changed.add(frame.task.id);
      soon();
    } else if (type.startsWith("milestone.")) {
      soon();
    } else if (type === "run.started") {
      announce(frame.run);
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${root.dataset.liveSocket}`);
    socket.addEventListener("open", () => {
      retry = 0;
      root.dataset.socket = "open";
      if (state) state.hidden = false;
      refresh();
    });
    socket.addEventListener("message", (event) => {
      try {
        onFrame(JSON.parse(event.data));
      } catch (error) {
        // a frame this page does not know: ignore it
      }
    });
    socket.addEventListener("close", (event) => {
      root.dataset.socket = "closed";
      if (state) state.hidden = true;
      if (event.code === 4401 || event.code === 4403 || event.code === 4404) return;
      retry = Math.min(retry + 1, 6);
      // 1 s, 2 s, 4 s ... 32 s, with jitter so a restarted server is not hit all at once.
      setTimeout(connect, 500 * 2 ** retry * (0.75 + Math.random() / 2));
    });
  }

  connect();
})();
