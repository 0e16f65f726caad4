// DevCrew project room: live over /ws/projects/<slug>/room/. Without JavaScript the page
// shows the history and the form posts; here the socket brings messages as they are saved,
// edits and deletions, who is typing and who is online, and the form sends over the socket.
// Messages arrive with the server's sanitized HTML (content_html); an agent's answer streams
// as plain text (textContent) until its final sanitized HTML arrives: nothing from a message runs.
// When the socket drops it reconnects with backoff and reads what it missed over REST
// (`?since=<newest id>`): every message is saved before it is sent, so nothing is lost.
(() => {
  "use strict";
  const root = document.getElementById("room-root");
  if (!root) return;

  const me = root.dataset.username;
  const canModerate = root.dataset.canModerate === "true";
  const api = root.dataset.api;
  const list = document.getElementById("room-messages");
  const scroller = document.getElementById("room-scroll");
  const form = document.getElementById("room-form");
  const input = document.getElementById("room-input");
  const errors = document.getElementById("room-errors");
  const typingLine = document.getElementById("room-typing");
  const status = document.getElementById("room-status");
  const people = document.getElementById("room-people");
  const onlineCount = document.getElementById("room-online-count");
  const mentionBox = document.getElementById("room-mentions");
  const end = document.getElementById("room-end");
  const members = [...people.querySelectorAll("li[data-username]")].map((li) => li.dataset.username);
  const agents = (root.dataset.agents || "").split(",").filter(Boolean);

  let socket = null;
  let retry = 0;
  let lastTypingSent = 0;
  let loadingOlder = false;
  const typists = new Map(); // username -> timeout id
  const pending = new Map(); // client_id -> element

  const isOpen = () => socket && socket.readyState === WebSocket.OPEN;
  const send = (frame) => socket.send(JSON.stringify(frame));
  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now() + Math.random()));
  const newestId = () => {
    const ids = [...list.querySelectorAll(".room-message[data-message-id]")].map((el) => Number(el.dataset.messageId));
    return ids.length ? Math.max(...ids) : 0;
  };
  const atBottom = () => scroller.scrollTop > -40; // column-reverse: 0 is the bottom

  function showError(detail) {
    const p = document.createElement("p");
    p.className = "flash flash-error";
    p.setAttribute("role", "alert");
    p.textContent = detail;
    errors.replaceChildren(p);
    setTimeout(() => p.remove(), 8000);
  }

  // -- rendering (the shape of chat/_room_message.html) -----------------------------------
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(m) {
    const mine = m.author && m.author.username === me && !m.agent;
    const article = el("article", "room-message");
    article.id = "room-message-" + m.id;
    article.dataset.messageId = m.id;
    article.classList.toggle("room-agent", Boolean(m.agent));
    article.classList.toggle("room-mine", mine);
    fill(article, m);
    return article;
  }

  function fill(article, m) {
    const mine = m.author && m.author.username === me && !m.agent;
    article.dataset.status = m.status;
    article.classList.toggle("room-deleted", m.deleted);
    const head = el("header", "room-message-head");
    if (m.agent) {
      head.append(el("strong", "room-author", m.agent.name || "Agent"), " ", el("span", "badge room-agent-badge", "agent"));
      if (m.author) head.append(" ", el("small", "muted", "for @" + m.author.username));
    } else if (m.author) {
      const a = el("a", "room-author", "@" + m.author.username);
      a.href = "/u/" + encodeURIComponent(m.author.username) + "/";
      head.append(a);
    } else {
      head.append(el("strong", "room-author", "Former member"));
    }
    const time = el("time", "muted", new Date(m.created_at).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }));
    time.dateTime = m.created_at;
    head.append(" ", time);
    if (m.edited_at && !m.deleted) head.append(" ", el("small", "muted room-edited", "(edited)"));
    const body = el("div", "room-body");
    if (m.deleted) body.append(Object.assign(el("p", "muted"), { innerHTML: "<em>Message deleted.</em>" }));
    else if (m.status === "streaming") body.append(el("p", "room-plain", m.content));
    else body.innerHTML = m.content_html; // sanitized by the server when the message was written
    const parts = [head, body];
    if (m.status === "failed" && m.error) {
      const error = el("p", "room-error", m.error);
      error.setAttribute("role", "alert");
      parts.push(error);
    }
    if (!m.deleted && m.status !== "streaming" && (mine || canModerate)) {
      const actions = el("footer", "room-message-actions");
      if (mine) {
        const edit = el("button", "room-action js-room-edit", "Edit");
        edit.type = "button";
        actions.append(edit);
      }
      const del = el("button", "room-action room-danger js-room-delete-button", "Delete");
      del.type = "button";
      actions.append(del);
      parts.push(actions);
    }
    article.replaceChildren(...parts);
    article._message = m;
  }

  function place(m, { older = false } = {}) {
    const existing = document.getElementById("room-message-" + m.id);
    if (existing) {
      fill(existing, m);
      return existing;
    }
    list.querySelector(".room-empty")?.remove();
    const article = render(m);
    if (older) {
      const first = list.querySelector(".room-message");
      list.insertBefore(article, first || end);
    } else {
      // Keep id order even when a frame overtakes a resync.
      const after = [...list.querySelectorAll(".room-message[data-message-id]")].find((x) => Number(x.dataset.messageId) > m.id);
      list.insertBefore(article, after || firstPendingOrEnd());
    }
    return article;
  }

  function firstPendingOrEnd() {
    return list.querySelector(".room-pending") || end;
  }

  // -- server frames ---------------------------------------------------------------------
  function onFrame(frame) {
    switch (frame.type) {
      case "message.created": {
        const stick = atBottom();
        const optimistic = frame.client_id && pending.get(frame.client_id);
        if (optimistic) {
          optimistic.remove();
          pending.delete(frame.client_id);
        }
        place(frame.message);
        if (frame.message.author) stopTyping(frame.message.author.username);
        if (stick || optimistic) scroller.scrollTop = 0;
        break;
      }
      case "message.updated":
      case "message.deleted":
      case "assistant.completed":
        place(frame.message);
        break;
      case "assistant.delta": {
        const article = document.getElementById("room-message-" + frame.message_id);
        const plain = article && article.querySelector(".room-plain");
        if (plain) plain.textContent += frame.delta;
        break;
      }
      case "typing":
        showTyping(frame.user.username);
        break;
      case "presence":
        showPresence(frame.users.map((u) => u.username));
        break;
      case "error":
        if (frame.message) place(frame.message);
        if (frame.client_id && pending.has(frame.client_id)) {
          const optimistic = pending.get(frame.client_id);
          pending.delete(frame.client_id);
          input.value = input.value || optimistic.querySelector(".room-plain")?.textContent || "";
          optimistic.remove();
        }
        if (frame.code !== "resync") showError(frame.detail);
        break;
      default:
        break; // board events (task.*, milestone.*) are for the project page
    }
  }

  function showTyping(username) {
    if (username === me) return;
    clearTimeout(typists.get(username));
    typists.set(username, setTimeout(() => stopTyping(username), 4000));
    renderTyping();
  }

  function stopTyping(username) {
    clearTimeout(typists.get(username));
    typists.delete(username);
    renderTyping();
  }

  function renderTyping() {
    const names = [...typists.keys()].map((n) => "@" + n);
    typingLine.textContent = !names.length ? "" : names.length === 1 ? `${names[0]} is typing…` : `${names.join(", ")} are typing…`;
  }

  function showPresence(usernames) {
    const online = new Set(usernames);
    for (const li of people.querySelectorAll("li[data-username]")) {
      const on = online.has(li.dataset.username);
      li.classList.toggle("online", on);
      li.querySelector(".room-online-label").textContent = on ? "(online)" : "";
    }
    onlineCount.textContent = `${online.size} online`;
    root.dataset.online = usernames.join(",");
  }

  // -- the socket --------------------------------------------------------------------------
  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}${root.dataset.wsPath}`);
    socket.addEventListener("open", () => {
      retry = 0;
      status.textContent = "Live";
      root.dataset.live = "true";
      catchUp();
    });
    socket.addEventListener("message", (event) => {
      try {
        onFrame(JSON.parse(event.data));
      } catch (error) {
        console.error(error);
      }
    });
    socket.addEventListener("close", (event) => {
      root.dataset.live = "false";
      showPresence([]);
      if (event.code === 4403 || event.code === 4401) {
        status.textContent = "You are no longer a member of this room.";
        return;
      }
      status.textContent = "Reconnecting…";
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * 2 ** (retry - 1));
    });
  }

  // What was saved while the socket was away (or between page load and connect).
  async function catchUp() {
    let since = newestId();
    for (let page = 0; page < 20; page++) {
      const response = await fetch(`${api}?since=${since}&limit=100`, { credentials: "same-origin", headers: { Accept: "application/json" } }).catch(() => null);
      if (!response || !response.ok) return;
      const body = await response.json();
      body.results.forEach((m) => place(m));
      if (!body.has_more || body.since === null) break;
      since = body.since;
    }
    root.dataset.synced = String(Date.now());
  }

  async function loadOlder() {
    const link = document.querySelector("#room-older a");
    if (!link || loadingOlder) return;
    loadingOlder = true;
    try {
      const response = await fetch(`${api}?before=${link.dataset.before}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const body = await response.json();
      body.results.slice().reverse().forEach((m) => place(m, { older: true }));
      if (body.has_more) link.dataset.before = body.before;
      else link.parentElement.remove();
    } finally {
      loadingOlder = false;
    }
  }

  // -- composing ---------------------------------------------------------------------------
  form.addEventListener("submit", (event) => {
    if (!isOpen()) return; // the form posts and the page reloads
    event.preventDefault();
    const content = input.value.trim();
    if (!content) return;
    const clientId = newId();
    const optimistic = el("article", "room-message room-mine room-pending");
    optimistic.append(el("div", "room-body")); // shown as plain text until the server's HTML arrives
    optimistic.firstChild.append(el("p", "room-plain", content));
    list.querySelector(".room-empty")?.remove();
    list.insertBefore(optimistic, end);
    pending.set(clientId, optimistic);
    send({ type: "message.send", content, client_id: clientId });
    input.value = "";
    hideMentions();
    autosize();
    scroller.scrollTop = 0;
  });

  input.addEventListener("keydown", (event) => {
    if (!mentionBox.hidden && handleMentionKey(event)) return;
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  input.addEventListener("input", () => {
    autosize();
    updateMentions();
    const now = Date.now();
    if (isOpen() && input.value.trim() && now - lastTypingSent > 2000) {
      lastTypingSent = now;
      send({ type: "typing" });
    }
  });

  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 2, 192) + "px";
  }

  // -- mention autocomplete ------------------------------------------------------------------
  let mentionStart = -1;
  let mentionIndex = 0;

  function updateMentions() {
    const upto = input.value.slice(0, input.selectionStart);
    const match = /(^|[\s(])@([A-Za-z0-9._-]*)$/.exec(upto);
    if (!match) return hideMentions();
    mentionStart = upto.length - match[2].length;
    const query = match[2].toLowerCase();
    const options = [
      ...members.filter((n) => n !== me).map((name) => ({ name, kind: "member" })),
      ...agents.map((name) => ({ name, kind: "agent" })),
    ].filter((o) => o.name.toLowerCase().startsWith(query)).slice(0, 8);
    if (!options.length) return hideMentions();
    mentionIndex = 0;
    mentionBox.replaceChildren(
      ...options.map((o, i) => {
        const li = el("li", "", "@" + o.name);
        li.id = "room-mention-" + i;
        li.setAttribute("role", "option");
        li.dataset.name = o.name;
        if (o.kind === "agent") li.append(el("small", "", "agent"));
        li.addEventListener("mousedown", (event) => {
          event.preventDefault();
          chooseMention(o.name);
        });
        return li;
      }),
    );
    mentionBox.hidden = false;
    highlightMention();
  }

  function highlightMention() {
    const items = [...mentionBox.children];
    items.forEach((li, i) => li.setAttribute("aria-selected", String(i === mentionIndex)));
    input.setAttribute("aria-activedescendant", items[mentionIndex] ? items[mentionIndex].id : "");
  }

  function handleMentionKey(event) {
    const items = [...mentionBox.children];
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      mentionIndex = (mentionIndex + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      highlightMention();
    } else if (event.key === "Enter" || event.key === "Tab") {
      chooseMention(items[mentionIndex].dataset.name);
    } else if (event.key === "Escape") {
      hideMentions();
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  }

  function chooseMention(name) {
    const before = input.value.slice(0, mentionStart);
    const after = input.value.slice(input.selectionStart);
    input.value = `${before}${name} ${after}`;
    const caret = before.length + name.length + 1;
    input.setSelectionRange(caret, caret);
    hideMentions();
    input.focus();
  }

  function hideMentions() {
    mentionBox.hidden = true;
    mentionBox.replaceChildren();
    input.removeAttribute("aria-activedescendant");
  }

  input.addEventListener("blur", () => setTimeout(hideMentions, 100));

  // -- edit and delete ---------------------------------------------------------------------------
  list.addEventListener("click", (event) => {
    const article = event.target.closest(".room-message[data-message-id]");
    if (!article) return;
    const id = Number(article.dataset.messageId);
    if (event.target.closest(".js-room-delete-button")) {
      if (isOpen() && confirm("Delete this message?")) send({ type: "message.delete", message_id: id });
    } else if (event.target.closest(".js-room-edit")) {
      startEdit(article, id);
    }
  });

  list.addEventListener("submit", (event) => {
    const deleteForm = event.target.closest(".js-room-delete");
    if (deleteForm && isOpen()) {
      event.preventDefault();
      const article = deleteForm.closest(".room-message");
      if (confirm("Delete this message?")) send({ type: "message.delete", message_id: Number(article.dataset.messageId) });
    }
  });

  async function startEdit(article, id) {
    let content = article._message && article._message.content;
    if (content === undefined) {
      const response = await fetch(`${api}?since=${id - 1}&limit=1`, { credentials: "same-origin" });
      content = response.ok ? ((await response.json()).results[0] || {}).content : "";
    }
    const editor = el("form", "room-edit-form");
    const area = el("textarea");
    area.value = content || "";
    area.setAttribute("aria-label", "Edited message");
    const buttons = el("div");
    const save = el("button", "", "Save");
    save.type = "submit";
    const cancel = el("button", "secondary outline", "Cancel");
    cancel.type = "button";
    buttons.append(cancel, save);
    editor.append(area, buttons);
    const body = article.querySelector(".room-body");
    body.hidden = true;
    body.after(editor);
    area.focus();
    cancel.addEventListener("click", () => {
      editor.remove();
      body.hidden = false;
    });
    editor.addEventListener("submit", (event) => {
      event.preventDefault();
      if (isOpen() && area.value.trim()) send({ type: "message.edit", message_id: id, content: area.value });
      editor.remove();
      body.hidden = false;
    });
  }

  // Server-rendered messages get the same Edit button as live ones.
  for (const button of list.querySelectorAll(".js-room-edit")) button.hidden = false;

  scroller.addEventListener("scroll", () => {
    // column-reverse: the top is at -(scrollHeight - clientHeight)
    if (scroller.scrollHeight - scroller.clientHeight + scroller.scrollTop < 120) loadOlder();
  });
  document.querySelector("#room-older a")?.addEventListener("click", (event) => {
    event.preventDefault();
    loadOlder();
  });

  connect();
})();
