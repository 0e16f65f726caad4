// A run's page, live: follows /ws/agent-runs/<id>/ and moves the bar and the step text;
// when the run ends the page reloads to show the server-rendered result. Without this
// script the page refreshes itself (<noscript> meta refresh) until the run ends.
(function () {
  "use strict";
  const root = document.querySelector("[data-run-socket]");
  if (!root || root.dataset.finished === "true") return;
  const bar = root.querySelector("[data-run-progress]");
  const percent = root.querySelector("[data-run-percent]");
  const step = root.querySelector("[data-run-step]");
  const status = root.querySelector("[data-run-status]");
  const labels = { queued: "Queued", running: "Running", succeeded: "Succeeded", failed: "Failed", cancelled: "Cancelled" };
  let retry = 1000;
  let failures = 0;  // sockets in a row that closed before any frame

  function show(frame) {
    bar.value = frame.progress;
    bar.textContent = frame.progress + "%";
    percent.textContent = frame.progress;
    step.textContent = frame.step || "—";
    status.textContent = labels[frame.status] || frame.status;
    status.className = "badge run-status status-" + frame.status;
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + window.location.host + root.dataset.runSocket);
    let received = false;
    socket.addEventListener("message", function (event) {
      const frame = JSON.parse(event.data);
      if (frame.type === "run.progress" || frame.type === "run.completed") {
        received = true;
        failures = 0;
      }
      if (frame.type === "run.progress") {
        retry = 1000;
        show(frame);
      } else if (frame.type === "run.completed") {
        show(frame.run);
        root.dataset.finished = "true";
        socket.close();
        window.location.reload();
      }
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 4401 || event.code === 4403) {
        window.location.reload();  // the server says why, as a page
        return;
      }
      if (root.dataset.finished === "true") return;
      failures = received ? 0 : failures + 1;
      if (failures >= 3) {
        window.setTimeout(function () { window.location.reload(); }, 3000);  // as without JS
        return;
      }
      window.setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    });
  }
  connect();
})();
