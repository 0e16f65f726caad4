// Profiles: skill autocomplete and a time zone guess. Progressive only: every form
// works without this file (skills are plain comma-separated text, checked on the server).
(() => {
  "use strict";

  const SEPARATORS = /[,\n;]/;
  let listCounter = 0;

  // The skill under the caret: from the separator before it to the one after it.
  function tokenBounds(value, caret) {
    let start = caret;
    while (start > 0 && !SEPARATORS.test(value[start - 1])) start -= 1;
    let end = caret;
    while (end < value.length && !SEPARATORS.test(value[end])) end += 1;
    return [start, end];
  }

  // What is typed so far, without a ": years" suffix.
  function currentToken(input) {
    const caret = input.selectionStart ?? input.value.length;
    const [start] = tokenBounds(input.value, caret);
    return input.value.slice(start, caret).replace(/[:(].*$/, "").trim();
  }

  // Put the chosen name in place of the skill under the caret, keeping its years.
  function replaceToken(input, name) {
    const value = input.value;
    const [start, end] = tokenBounds(value, input.selectionStart ?? value.length);
    const years = (value.slice(start, end).match(/\s*[:(].*$/) || [""])[0];
    const tail = end === value.length ? ", " : "";
    const replacement = `${start > 0 ? " " : ""}${name}${years}${tail}`;
    input.value = value.slice(0, start) + replacement + value.slice(end);
    const caret = start + replacement.length;
    input.setSelectionRange(caret, caret);
  }

  function setupAutocomplete(input) {
    const list = document.createElement("ul");
    const listId = `skill-suggestions-${++listCounter}`;
    list.id = listId;
    list.className = "skill-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    const wrapper = document.createElement("div");
    wrapper.className = "autocomplete";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");

    let active = -1;
    let controller = null;
    let timer = null;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(name) {
      replaceToken(input, name);
      close();
      input.focus();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function highlight(index) {
      const options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach((option, i) => option.setAttribute("aria-selected", i === active ? "true" : "false"));
      input.setAttribute("aria-activedescendant", options[active].id);
    }

    function render(skills) {
      list.innerHTML = "";
      skills.forEach((skill, i) => {
        const option = document.createElement("li");
        option.id = `${listId}-${i}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.name = skill.name;
        option.textContent = skill.name;
        const hint = document.createElement("small");
        hint.textContent = skill.matched_alias ? ` (${skill.matched_alias})` : skill.canonical ? "" : " (new)";
        option.appendChild(hint);
        option.addEventListener("mousedown", (event) => {
          event.preventDefault(); // keep focus in the input
          choose(skill.name);
        });
        list.appendChild(option);
      });
      list.hidden = skills.length === 0;
      input.setAttribute("aria-expanded", skills.length ? "true" : "false");
    }

    async function suggest() {
      const token = currentToken(input);
      if (!token) return close();
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const url = `/api/v1/skills/?page_size=8&q=${encodeURIComponent(token)}`;
        const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
        if (!response.ok) return close();
        const body = await response.json();
        render(body.results || []);
      } catch (error) {
        if (error.name !== "AbortError") close();
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(suggest, 150);
    });
    input.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(list.querySelectorAll("[role=option]")[active].dataset.name);
      } else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
  }

  function guessTimezone(input) {
    if (input.value) return;
    try {
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone) input.value = zone;
    } catch (error) {
      // Old browsers: the user types it.
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-skill-autocomplete]").forEach(setupAutocomplete);
    document.querySelectorAll("[data-timezone-guess]").forEach(guessTimezone);
  });
})();
