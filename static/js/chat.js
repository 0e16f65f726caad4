// DevCrew chat: streams answers over /ws/chat/<id>/. Without JavaScript (or while the
// socket is down) every form posts to the server and the page reloads with the answer.
// Model output is shown as plain text while it streams (textContent), then replaced by
// the server's sanitized HTML (content_html) once complete: nothing from a model runs.
// When the socket drops (a server restart, or close 4503 after an `error` frame with code
// `resync` when the server lost its channel layer) it reconnects with backoff, and every
// time it opens it re-reads the history over REST, so no message or final answer is missed.
(() => {
  "use strict";
  chatFrame();
  chatStart();
  const root = document.getElementById("chat-root");
  if (!root || !root.dataset.wsPath) return;

  const list = document.getElementById("chat-messages");
  const scroller = document.getElementById("chat-scroll");
  const form = document.getElementById("chat-form");
  const stopForm = document.getElementById("chat-stop");
  const errors = document.getElementById("chat-errors");
  const typing = document.getElementById("chat-typing");
  const csrf = (form.querySelector("[name=csrfmiddlewaretoken]") || {}).value || "";
  const agentName = root.dataset.agentName || "Assistant";
  let socket = null;
  let retry = 0;
  let resyncNotice = null;
  let typingTimer = null;
  let lastTypingSent = 0;

  const isOpen = () => socket && socket.readyState === WebSocket.OPEN;
  const send = (frame) => socket.send(JSON.stringify(frame));
  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now() + Math.random()));

  function showError(detail) {
    const p = document.createElement("p");
    p.className = "flash flash-error";
    p.setAttribute("role", "alert");
    p.textContent = detail;
    errors.replaceChildren(p);
    return p;
  }

  // The active branch as the server has it (newest page): add what is missing, update
  // what changed. Every message is saved before it is sent, so this misses nothing.
  async function resync() {
    let body;
    try {
      const response = await fetch(`${root.dataset.api}messages/`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return;
      body = await response.json();
    } catch (error) {
      return; // offline again: the next reconnect reads it
    }
    const pending = [...list.querySelectorAll(".chat-pending")];
    for (const m of body.results.slice().reverse()) {
      const sent = m.role === "user" && pending.find((p) => p.textContent === m.content);
      if (sent) sent.remove(); // its message.created was lost with the socket
      const el = document.getElementById("message-" + m.id);
      if (!el) place(render(m), m);
      else if (el.dataset.status !== m.status || m.status === "streaming") update(el, m);
    }
    if (body.results.length) list.querySelector(".chat-empty")?.remove();
    if (resyncNotice && resyncNotice.isConnected) resyncNotice.remove();
    resyncNotice = null;
    root.dataset.synced = String(Date.now());
    refreshStop();
  }

  function refreshStop() {
    stopForm.hidden = !list.querySelector('[data-status="streaming"]');
  }

  function badge(text, extra) {
    const span = document.createElement("span");
    span.className = "badge " + (extra || "");
    span.textContent = text;
    return span;
  }

  // Build an element like chat/_message.html for a message payload (API shape).
  function render(message) {
    const el = document.createElement("article");
    el.id = "message-" + message.id;
    el.dataset.messageId = message.id;
    el.dataset.parent = message.parent || "";
    el.dataset.role = message.role;
    const head = document.createElement("header");
    head.className = "chat-message-head";
    const who = document.createElement("strong");
    who.className = "chat-author" + (message.role === "user" ? " visually-hidden" : "");
    who.textContent = message.role === "user" ? "You" : agentName;
    head.append(who);
    const body = document.createElement("div");
    body.className = "chat-body";
    const foot = document.createElement("footer");
    foot.className = "chat-message-foot";
    el.append(head, body, foot);
    update(el, message);
    return el;
  }

  function update(el, message) {
    el.className = `chat-message chat-${message.role} chat-status-${message.status}`;
    el.dataset.status = message.status;
    const head = el.querySelector(".chat-message-head");
    head.querySelectorAll(".badge").forEach((b) => b.remove());
    if (message.label) head.append(badge(message.label, "chat-label" + (message.label === "offline" ? " chat-offline" : "")));
    if (message.status === "streaming") head.append(badge("writing…", "chat-flag"));
    if (message.status === "stopped") head.append(badge("stopped", "chat-flag"));
    if (message.status === "failed") head.append(badge("failed", "chat-flag chat-flag-error"));

    const body = el.querySelector(".chat-body");
    if (message.status === "streaming") {
      el.dataset.text = message.content || el.dataset.text || "";
      if (!body.querySelector(".chat-plain")) {
        const plain = document.createElement("div");
        plain.className = "chat-plain chat-live";
        body.replaceChildren(plain);
      }
      showLive(el, el.dataset.text);
    } else {
      liveText.delete(el);
      delete el.dataset.text;
      body.innerHTML = message.content_html; // sanitized on the server (chat.rendering)
      enhance(el);
    }
    el.querySelectorAll(".chat-error").forEach((p) => p.remove());
    if (message.error && message.error.detail) {
      const p = document.createElement("p");
      p.className = "chat-error";
      p.setAttribute("role", "alert");
      p.textContent = message.error.detail;
      body.after(p);
    }
    const foot = el.querySelector(".chat-message-foot");
    foot.replaceChildren();
    const actions = document.createElement("span");
    actions.className = "chat-actions";
    actions.append(copyButton(message.content));
    if (message.role === "user") actions.append(editDetails(message));
    if (message.status !== "streaming") {
      const regen = document.createElement("button");
      regen.type = "button";
      regen.className = "chat-action js-regenerate-button";
      regen.dataset.messageId = message.id;
      regen.textContent = message.role === "user" ? "Answer again" : "Regenerate";
      actions.append(regen);
    }
    foot.append(actions);
    if (message.role === "assistant" && message.status !== "streaming") {
      const usage = document.createElement("small");
      usage.className = "chat-usage";
      usage.textContent = `${message.prompt_tokens} + ${message.completion_tokens} tokens` +
        (message.first_token_ms != null ? ` · first token ${message.first_token_ms} ms · ${message.total_ms} ms` : "");
      foot.append(usage);
    }
  }

  // Edit is offered on a question as soon as it exists (from the page's <template>).
  function editDetails(message) {
    const details = document.getElementById("chat-edit-template").content.firstElementChild.cloneNode(true);
    const editForm = details.querySelector("form");
    editForm.action = editForm.getAttribute("action").replace("/messages/0/", `/messages/${message.id}/`);
    editForm.dataset.messageId = message.id;
    editForm.elements.content.value = message.content;
    return details;
  }

  // The server's rendering of the active branch (versions ‹ 1/2 ›, edit forms, highlighted
  // code) replaces the list once an answer is complete or another version is shown.
  async function refreshList(response) {
    const active = document.activeElement;
    if (!response && active && list.contains(active) && active.matches("textarea")) return; // being edited
    try {
      response = response || (await fetch(location.pathname, { credentials: "same-origin" }));
      if (!response.ok) return;
      const html = await response.text();
      const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("chat-messages");
      if (!fresh) return;
      // An edit in progress survives the swap (open, with what was typed).
      const editing = [...list.querySelectorAll("details.chat-edit[open]")].map((d) => [
        d.closest(".chat-message")?.id, d.querySelector("textarea").value,
      ]);
      list.replaceChildren(...Array.from(fresh.childNodes));
      for (const [id, value] of editing) {
        const details = id && document.querySelector(`#${id} details.chat-edit`);
        if (!details) continue;
        details.open = true;
        details.querySelector("textarea").value = value;
      }
      enhance(list);
      refreshStop();
    } catch (error) {
      // offline: the page keeps what it has; the next reconnect re-reads the history
    }
  }

  function enhance(scope) {
    scope.querySelectorAll(".js-copy[hidden], .js-edit-cancel[hidden]").forEach((b) => { b.hidden = false; });
    // Code and tables scroll sideways on narrow screens: keyboard users can reach them.
    scope.querySelectorAll(".chat-body pre, .chat-body table").forEach((box) => { box.tabIndex = 0; });
    scope.querySelectorAll(".chat-body .codehilite").forEach((block) => {
      if (block.querySelector(".chat-code-copy")) return;
      const button = copyButton("");
      button.classList.add("chat-code-copy");
      button.setAttribute("aria-label", "Copy code");
      block.prepend(button);
    });
    scope.querySelectorAll(".chat-status-streaming .chat-plain:not(.chat-live)").forEach((plain) => {
      const el = plain.closest(".chat-message");
      el.dataset.text = plain.textContent;
      showLive(el, el.dataset.text);
    });
  }

  // While an answer streams, its Markdown is shown as it comes (chatMarkdownLive: elements
  // and text nodes only, nothing parsed as HTML); once complete, the server's sanitized HTML
  // with highlighted code replaces it.
  const liveText = new Map();
  let liveFrame = 0;
  function showLive(el, text) {
    liveText.set(el, text);
    if (!liveFrame) liveFrame = requestAnimationFrame(flushLive);
  }
  function flushLive() {
    liveFrame = 0;
    for (const [el, text] of liveText) {
      if (el.dataset.status !== "streaming") continue;
      const body = el.querySelector(".chat-body");
      const live = document.createElement("div");
      live.className = "chat-plain chat-live";
      live.append(chatMarkdownLive(text));
      body.replaceChildren(live);
    }
    liveText.clear();
  }


  function copyButton(text) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "chat-action js-copy";
    button.dataset.copy = text || "";
    button.textContent = "Copy";
    return button;
  }

  // A new message follows its parent: whatever followed the parent belonged to another branch.
  function place(el, message) {
    const parent = message.parent ? document.getElementById("message-" + message.parent) : null;
    if (message.parent && parent) {
      while (parent.nextElementSibling) parent.nextElementSibling.remove();
    } else if (!message.parent) {
      list.replaceChildren();
    }
    list.append(el);
    scrollToEnd();
  }

  // The list scrolls in reverse (column-reverse): 0 is the newest end.
  function scrollToEnd() {
    scroller.scrollTop = 0;
  }

  function onFrame(frame) {
    if (frame.type === "message.created") {
      const m = frame.message;
      if (frame.client_id) document.querySelectorAll(`[data-client-id="${CSS.escape(frame.client_id)}"]`).forEach((e) => e.remove());
      const existing = document.getElementById("message-" + m.id);
      if (existing) update(existing, m);
      else place(render(m), m);
      list.querySelector(".chat-empty")?.remove();
    } else if (frame.type === "assistant.delta") {
      const el = document.getElementById("message-" + frame.message_id);
      if (!el) return;
      el.dataset.text = (el.dataset.text || "") + frame.delta;
      showLive(el, el.dataset.text);
    } else if (frame.type === "assistant.completed") {
      const m = frame.message;
      const el = document.getElementById("message-" + m.id);
      if (el) update(el, m);
      else place(render(m), m);
      refreshList();
    } else if (frame.type === "error" && frame.code === "resync") {
      resyncNotice = showError(frame.detail); // the close follows; reconnecting re-reads
    } else if (frame.type === "error") {
      if (frame.message) {
        const el = document.getElementById("message-" + frame.message.id);
        if (el) update(el, frame.message);
        refreshList();
      }
      if (frame.client_id) document.querySelectorAll(`[data-client-id="${CSS.escape(frame.client_id)}"]`).forEach((e) => e.remove());
      showError(frame.detail);
    } else if (frame.type === "typing") {
      typing.textContent = `${frame.user} is typing in another window…`;
      typing.hidden = false;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => { typing.hidden = true; }, 3000);
    }
    refreshStop();
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}${root.dataset.wsPath}`);
    socket.addEventListener("open", () => {
      retry = 0;
      root.dataset.socket = "open";
      resync();
    });
    socket.addEventListener("message", (event) => onFrame(JSON.parse(event.data)));
    socket.addEventListener("close", (event) => {
      root.dataset.socket = "closed";
      if (event.code === 4401 || event.code === 4403) return; // not ours: the forms still work
      retry = Math.min(retry + 1, 6);
      // 1 s, 2 s, 4 s ... 32 s, with jitter so a restarted server is not hit all at once.
      setTimeout(connect, 500 * 2 ** retry * (0.75 + Math.random() / 2));
    });
  }

  form.addEventListener("submit", (event) => {
    if (!isOpen()) return; // the plain POST: the answer comes with the reloaded page
    event.preventDefault();
    const textarea = form.elements.content;
    const content = textarea.value.trim();
    if (!content) return;
    const clientId = newId();
    const pending = document.createElement("article");
    pending.className = "chat-message chat-user chat-pending";
    pending.dataset.clientId = clientId;
    const body = document.createElement("div");
    body.className = "chat-body";
    body.textContent = content;
    pending.append(body);
    list.append(pending);
    errors.replaceChildren();
    send({ type: "message.send", content, client_id: clientId });
    textarea.value = "";
    textarea.dispatchEvent(new Event("input"));
    scrollToEnd();
  });

  form.elements.content.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    } else if (isOpen() && Date.now() - lastTypingSent > 2000) {
      lastTypingSent = Date.now();
      send({ type: "typing" });
    }
  });

  stopForm.addEventListener("submit", (event) => {
    if (!isOpen()) return;
    event.preventDefault();
    send({ type: "generation.stop" });
  });

  document.addEventListener("submit", (event) => {
    const target = event.target;
    if (!isOpen()) return;
    if (target.matches(".js-regenerate")) {
      event.preventDefault();
      errors.replaceChildren();
      send({ type: "message.regenerate", message_id: Number(target.dataset.messageId) });
    } else if (target.matches(".js-show")) {
      // Another version: the server switches the branch and answers with the page.
      event.preventDefault();
      const focusNext = target.querySelector("button").getAttribute("aria-label");
      fetch(target.action, { method: "POST", credentials: "same-origin", body: new FormData(target) })
        .then((response) => refreshList(response))
        .then(() => {
          const id = target.action.match(/messages\/(\d+)\//)[1];
          const shown = document.getElementById("message-" + id);
          if (!shown) return;
          shown.scrollIntoView({ block: "nearest" });
          (shown.querySelector(`.chat-versions [aria-label="${focusNext}"]:not([disabled])`) ||
            shown.querySelector(".chat-versions button:not([disabled])"))?.focus();
        });
    } else if (target.matches(".js-edit")) {
      // Edit through the API; the answer arrives on this socket like any other.
      event.preventDefault();
      errors.replaceChildren();
      target.closest("details")?.removeAttribute("open");
      const content = target.elements.content.value;
      fetch(`${root.dataset.api}messages/${target.dataset.messageId}/edit/`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream", "X-CSRFToken": csrf },
        body: JSON.stringify({ content }),
      }).then(async (response) => {
        if (!response.ok) {
          const text = await response.text();
          const match = text.match(/^data: (.*)$/m);
          showError(match ? JSON.parse(match[1]).detail : "The message could not be edited.");
        }
      });
    }
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.matches(".js-copy")) {
      const code = button.matches(".chat-code-copy") ? button.parentElement.querySelector("pre").innerText : null;
      navigator.clipboard?.writeText(code ?? button.dataset.copy ?? "").then(() => {
        button.textContent = "Copied";
        setTimeout(() => { button.textContent = "Copy"; }, 1500);
      });
    } else if (button.matches(".js-edit-cancel")) {
      const details = button.closest("details");
      details.open = false;
      details.querySelector("summary").focus();
    } else if (button.matches(".js-regenerate-button") && isOpen()) {
      errors.replaceChildren();
      send({ type: "message.regenerate", message_id: Number(button.dataset.messageId) });
    }
  });

  enhance(document);
  refreshStop();
  connect();
})();

// Every chat page: the phone drawer of chats, the options menu, confirm dialogs, the
// composer growing with its text.
function chatFrame() {
  const layout = document.getElementById("chat-layout");
  if (!layout) return;
  layout.classList.add("chat-js");
  const toggle = document.querySelector(".chat-sidebar-toggle");
  const sidebar = document.getElementById("chat-sidebar");
  const setOpen = (open) => {
    layout.classList.toggle("chat-sidebar-open", open);
    if (toggle) toggle.setAttribute("aria-expanded", String(open));
    if (open) sidebar.querySelector("a, input, button")?.focus();
    else if (toggle && sidebar.contains(document.activeElement)) toggle.focus();
  };
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => setOpen(!layout.classList.contains("chat-sidebar-open")));
  }
  document.querySelectorAll("[data-sidebar-close]").forEach((el) => {
    el.hidden = false;
    el.addEventListener("click", () => setOpen(false));
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    if (layout.classList.contains("chat-sidebar-open")) setOpen(false);
    document.querySelectorAll("details.chat-menu[open]").forEach((d) => { d.open = false; d.querySelector("summary").focus(); });
  });
  // A click outside an open options menu closes it.
  document.addEventListener("click", (event) => {
    document.querySelectorAll("details.chat-menu[open]").forEach((d) => { if (!d.contains(event.target)) d.open = false; });
  });
  // Links with data-dialog open that <dialog> instead of the confirmation page.
  document.querySelectorAll("a[data-dialog]").forEach((link) => {
    const dialog = document.getElementById(link.dataset.dialog);
    if (!dialog || !dialog.showModal) return;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      link.closest("details")?.removeAttribute("open");
      dialog.showModal();
      dialog.querySelector("[data-dialog-close]")?.focus();
    });
    dialog.querySelectorAll("[data-dialog-close]").forEach((b) => b.addEventListener("click", () => dialog.close()));
    dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
  });
  // The composer grows with its text, up to a limit (then it scrolls).
  const grow = (textarea) => {
    textarea.style.height = "auto";
    textarea.style.height = Math.min(textarea.scrollHeight + 2, window.innerHeight * 0.4) + "px";
  };
  document.querySelectorAll(".chat-form textarea").forEach((textarea) => {
    textarea.addEventListener("input", () => grow(textarea));
    textarea.form.addEventListener("reset", () => setTimeout(() => grow(textarea)));
    grow(textarea);
  });
}

// The new-chat page: Enter sends; the conversation page this leads to follows the answer
// over its socket, so the server need not wait for the answer before redirecting.
function chatStart() {
  const form = document.querySelector(".chat-start-form");
  if (!form) return;
  if ("WebSocket" in window) {
    const stream = document.createElement("input");
    stream.type = "hidden";
    stream.name = "stream";
    stream.value = "1";
    form.append(stream);
  }
  const textarea = form.elements.content;
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (textarea.value.trim()) form.requestSubmit();
    }
  });
  form.addEventListener("submit", (event) => {
    if (form.dataset.sent) event.preventDefault(); // one conversation per message
    form.dataset.sent = "1";
    form.querySelector("button[type=submit]").disabled = true;
  });
  window.addEventListener("pageshow", () => { // back from the conversation: ready again
    delete form.dataset.sent;
    form.querySelector("button[type=submit]").disabled = false;
  });
}

// A small, safe Markdown renderer for text still being written: paragraphs, headings,
// lists, quotes, code fences, tables; **bold**, *em*, `code`. It builds elements and text
// nodes only (never innerHTML), so nothing in the text can run or load anything.
function chatMarkdownLive(text) {
  const fragment = document.createDocumentFragment();
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const el = (tag, children) => {
    const node = document.createElement(tag);
    if (children !== undefined) node.append(...[].concat(children));
    return node;
  };
  const inline = (s) => {
    const parts = [];
    const pattern = /(`[^`]+`|\*\*[^*]+\*\*|__[^_]+__|\*[^*\s][^*]*\*|\[[^\]]+\]\([^)]*\))/g;
    let last = 0;
    for (const match of s.matchAll(pattern)) {
      if (match.index > last) parts.push(s.slice(last, match.index));
      const token = match[0];
      if (token.startsWith("`")) parts.push(el("code", token.slice(1, -1)));
      else if (token.startsWith("**") || token.startsWith("__")) parts.push(el("strong", inline(token.slice(2, -2))));
      else if (token.startsWith("[")) parts.push(token.slice(1, token.indexOf("]")));
      else parts.push(el("em", inline(token.slice(1, -1))));
      last = match.index + token.length;
    }
    if (last < s.length) parts.push(s.slice(last));
    return parts;
  };
  const cells = (row) => row.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim());
  let i = 0;
  let paragraph = [];
  const flush = () => {
    if (!paragraph.length) return;
    const p = el("p");
    paragraph.forEach((line, n) => { if (n) p.append(el("br")); p.append(...inline(line)); });
    fragment.append(p);
    paragraph = [];
  };
  while (i < lines.length) {
    const line = lines[i];
    let m;
    if (/^\s*(```|~~~)/.test(line)) {
      flush();
      const code = [];
      i++;
      while (i < lines.length && !/^\s*(```|~~~)/.test(lines[i])) code.push(lines[i++]);
      i++;
      fragment.append(el("pre", el("code", code.join("\n"))));
    } else if ((m = line.match(/^\s{0,3}(#{1,6})\s+(.*)$/))) {
      flush();
      fragment.append(el("h" + Math.min(m[1].length + 2, 6), inline(m[2])));
      i++;
    } else if (/^\s*([-*+]|\d{1,9}[.)])\s+/.test(line)) {
      flush();
      const ordered = /^\s*\d/.test(line);
      const list = el(ordered ? "ol" : "ul");
      while (i < lines.length && /^\s*([-*+]|\d{1,9}[.)])\s+/.test(lines[i])) {
        list.append(el("li", inline(lines[i].replace(/^\s*([-*+]|\d{1,9}[.)])\s+/, ""))));
        i++;
      }
      fragment.append(list);
    } else if (/^\s{0,3}\|/.test(line)) {
      flush();
      const table = el("table");
      const body = el("tbody");
      while (i < lines.length && /^\s{0,3}\|/.test(lines[i])) {
        if (!/^\s*\|?\s*:?-{2,}/.test(lines[i])) {
          const header = !body.querySelector("tr") && /^\s*\|?\s*:?-{2,}/.test(lines[i + 1] || "");
          body.append(el("tr", cells(lines[i]).map((c) => el(header ? "th" : "td", inline(c)))));
        }
        i++;
      }
      table.append(body);
      fragment.append(table);
    } else if (/^\s{0,3}>/.test(line)) {
      flush();
      const quote = [];
      while (i < lines.length && /^\s{0,3}>/.test(lines[i])) quote.push(lines[i++].replace(/^\s{0,3}>\s?/, ""));
      fragment.append(el("blockquote", el("p", inline(quote.join(" ")))));
    } else if (!line.trim()) {
      flush();
      i++;
    } else {
      paragraph.push(line);
      i++;
    }
  }
  flush();
  return fragment;
}
