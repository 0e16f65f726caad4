// The project board, progressively: drag a card to another column, or focus it and press
// ← / → (the "→ Doing" buttons on each card do the same without a mouse); "+ Add task"
// in a column adds without leaving the page; ✕ asks in a dialog before deleting. Every
// change is the same POST the forms send without JavaScript; the server's board comes
// back and replaces #board-columns, and keyboard focus returns to the card that moved.
(function () {
  "use strict";
  const board = document.getElementById("board");
  if (!board) return;
  const status = document.getElementById("board-status");
  const csrf = (() => {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  })();

  function announce(text) {
    if (status) status.textContent = text;
  }

  function columns() {
    return Array.from(board.querySelectorAll(".board-column"));
  }

  function titleOf(card) {
    return (card.getAttribute("aria-label") || "").replace(/^Task: /, "");
  }

  function labelOf(column) {
    const heading = column.querySelector("h3");
    return heading ? heading.firstChild.textContent.trim() : column.dataset.status;
  }

  // POST like the form would, follow the redirect to the project page, and put its board
  // in place of ours. Returns false when the server refused (the page's flash says why).
  async function send(url, fields) {
    const body = new FormData();
    Object.entries(fields).forEach(([name, value]) => body.append(name, value));
    const response = await fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, Accept: "text/html" },
    });
    const html = await response.text();
    const fresh = new DOMParser().parseFromString(html, "text/html");
    ["board-columns", "board-count"].forEach((id) => {
      const part = fresh.getElementById(id);
      const current = document.getElementById(id);
      if (part && current) {
        current.replaceChildren(...document.importNode(part, true).childNodes);
        if (window.htmx) window.htmx.process(current);
      }
    });
    const error = fresh.querySelector(".flash-error");
    if (!response.ok || error) {
      announce(error ? error.textContent.trim() : "That did not work; the board shows what was saved.");
      return false;
    }
    return true;
  }

  // ``dropped``: the card was dragged there, so it stays where the user put it while the
  // server answers; other moves show the server's board when it comes back.
  async function move(card, column, { dropped = false } = {}) {
    if (!column || column.dataset.status === card.dataset.status) return;
    const id = card.id;
    const title = titleOf(card);
    const label = labelOf(column);
    if (dropped) {
      column.querySelector(".column-cards").append(card);
      column.querySelector(".column-empty")?.remove();
      card.dataset.status = column.dataset.status;
      card.focus();
    }
    board.setAttribute("aria-busy", "true");
    try {
      if (await send(card.dataset.moveUrl, { status: column.dataset.status })) {
        announce(`Moved “${title}” to ${label}.`);
      }
    } catch (error) {
      announce("The board could not be saved; check your connection.");
    } finally {
      board.removeAttribute("aria-busy");
      document.getElementById(id)?.focus();
    }
  }

  // Keyboard: ← / → on a focused card move it one column.
  board.addEventListener("keydown", (event) => {
    const card = event.target.closest && event.target.closest(".task-card[data-move-url]");
    if (!card || event.target !== card || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    event.preventDefault();
    const all = columns();
    const index = all.indexOf(card.closest(".board-column"));
    move(card, all[index + (event.key === "ArrowRight" ? 1 : -1)]);
  });

  // The cards' "→ Doing" buttons: the same move, focus staying on the card.
  board.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.classList.contains("task-move")) {
      event.preventDefault();
      const card = form.closest(".task-card");
      const target = form.querySelector("[name=status]").value;
      move(card, columns().find((column) => column.dataset.status === target));
    } else if (form.classList.contains("quick-add-form")) {
      event.preventDefault();
      quickAdd(form);
    }
  });

  async function quickAdd(form) {
    const input = form.querySelector("[name=quick-title]");
    const title = input.value.trim();
    if (!title) return;
    const columnStatus = form.querySelector("[name=quick-status]").value;
    try {
      if (await send(form.action, { quick: "1", "quick-status": columnStatus, "quick-title": title })) {
        announce(`Added “${title}”.`);
      }
    } catch (error) {
      announce("The task could not be added; check your connection.");
    }
    // Ready for the next one, in the same column.
    const column = columns().find((c) => c.dataset.status === columnStatus);
    const details = column && column.querySelector(".quick-add");
    if (details) {
      details.open = true;
      details.querySelector("[name=quick-title]").focus();
    }
  }

  // Drag and drop between columns.
  let dragged = null;
  board.addEventListener("dragstart", (event) => {
    const card = event.target.closest && event.target.closest(".task-card[data-move-url]");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
  });
  board.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    columns().forEach((column) => column.classList.remove("drop-target"));
  });
  board.addEventListener("dragover", (event) => {
    const column = dragged && event.target.closest(".board-column");
    if (!column) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    columns().forEach((c) => c.classList.toggle("drop-target", c === column));
  });
  board.addEventListener("drop", (event) => {
    const column = dragged && event.target.closest(".board-column");
    if (!column) return;
    event.preventDefault();
    const card = dragged;
    column.classList.remove("drop-target");
    move(card, column, { dropped: true });
  });

  // Delete: a dialog asks first (the link opens a confirmation page without JavaScript).
  let dialog = null;
  function confirmDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "delete-task-title");
    dialog.innerHTML =
      '<article><h2 id="delete-task-title"></h2><p>The task leaves the board for everyone. This cannot be undone.</p>' +
      '<footer class="form-actions"><button type="button" class="secondary outline" value="cancel">Cancel</button>' +
      '<button type="button" class="danger" value="delete">Delete task</button></footer></article>';
    document.body.append(dialog);
    return dialog;
  }

  board.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("[data-confirm-delete]");
    if (!link) return;
    event.preventDefault();
    const card = link.closest(".task-card");
    const dlg = confirmDialog();
    dlg.querySelector("h2").textContent = `Delete “${link.dataset.confirmDelete}”?`;
    const next = card.nextElementSibling || card.previousElementSibling;
    const nextId = next && next.classList.contains("task-card") ? next.id : null;
    const columnStatus = card.dataset.status;
    dlg.onclick = async (click) => {
      const choice = click.target.value;
      if (!choice) return;
      dlg.close();
      if (choice !== "delete") {
        link.focus();
        return;
      }
      if (await send(link.href, { confirm: "1" })) announce(`Deleted “${link.dataset.confirmDelete}”.`);
      const column = columns().find((c) => c.dataset.status === columnStatus);
      const target = (nextId && document.getElementById(nextId)) || column?.querySelector(".quick-add summary");
      target?.focus();
    };
    dlg.showModal();
    dlg.querySelector("button[value=cancel]").focus();
  });
})();
