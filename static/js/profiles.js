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

  // Suggestions from /api/v1/skills/ under ``input``. By default the choice replaces the
  // skill under the caret (comma-separated text); ``options.query()`` / ``options.choose(skill)``
  // change that (the chip editor adds a chip).
  function setupAutocomplete(input, options = {}) {
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

    let shown = [];

    function choose(skill) {
      close();
      if (options.choose) {
        options.choose(skill);
      } else {
        replaceToken(input, skill.name);
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
      input.focus();
    }

    function highlight(index) {
      const options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach((option, i) => option.setAttribute("aria-selected", i === active ? "true" : "false"));
      input.setAttribute("aria-activedescendant", options[active].id);
    }

    // What an option shows: [text, hint]; skills by default.
    const describe =
      options.describe ||
      ((skill) => [skill.name, skill.matched_alias ? ` (${skill.matched_alias})` : skill.canonical ? "" : " (new)"]);
    const source = options.url || ((token) => `/api/v1/skills/?page_size=8&q=${encodeURIComponent(token)}`);

    function render(skills) {
      list.innerHTML = "";
      shown = skills;
      skills.forEach((skill, i) => {
        const option = document.createElement("li");
        option.id = `${listId}-${i}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        const [text, hintText] = describe(skill);
        option.textContent = text;
        const hint = document.createElement("small");
        hint.textContent = hintText;
        option.appendChild(hint);
        option.addEventListener("mousedown", (event) => {
          event.preventDefault(); // keep focus in the input
          choose(skill);
        });
        list.appendChild(option);
      });
      list.hidden = skills.length === 0;
      input.setAttribute("aria-expanded", skills.length ? "true" : "false");
    }

    async function suggest() {
      const token = options.query ? options.query() : currentToken(input);
      if (!token) return close();
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const response = await fetch(source(token), {
          signal: controller.signal,
          headers: { Accept: "application/json" },
        });
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
        event.stopImmediatePropagation(); // the chip editor must not add the typed text too
        choose(shown[active]);
      } else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
    return { close };
  }

  // -- Skill chips (the wizard's skills step) ----------------------------------------------
  // The textarea stays the form field ("Python: 5, Django: 3"): without JavaScript people
  // type that; with it, the textarea is hidden and kept in step with a list of chips, each
  // with its own years field and a ✕. A typed skill the taxonomy does not know is shown
  // as "new, will be reviewed".
  const NAME_SEPARATORS = /[,;:\n()]/g;
  const TYPED_WITH_YEARS = /^(.*?)\s*[:(]\s*(\d{1,2})\s*(?:y|yrs?|years?)?\s*\)?\s*$/i;
  let chipCounter = 0;

  function skillKey(name) {
    return name.trim().toLowerCase().replace(/\s+/g, " ");
  }

  async function resolveSkill(name) {
    // The taxonomy's spelling of a typed name (an exact name or alias), or null.
    try {
      const url = `/api/v1/skills/?page_size=1&q=${encodeURIComponent(name)}`;
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) return null;
      const [first] = (await response.json()).results || [];
      if (!first) return null;
      const typed = skillKey(name);
      const exact = skillKey(first.name) === typed || (first.matched_alias && skillKey(first.matched_alias) === typed);
      return exact ? first : null;
    } catch (error) {
      return null;
    }
  }

  function setupChips(textarea, initial) {
    const label = document.querySelector(`label[for="${textarea.id}"]`);
    const max = Number(textarea.dataset.max || 0);
    const editor = document.createElement("div");
    editor.className = "chip-editor";
    const chips = document.createElement("ul");
    chips.className = "chips";
    chips.setAttribute("aria-label", `Chosen ${label ? label.textContent.trim().replace(/:$/, "").toLowerCase() : "skills"}`);
    const input = document.createElement("input");
    input.type = "text";
    input.id = `${textarea.id}-add`;
    input.className = "chip-input";
    input.placeholder = "Add a skill, e.g. Python";
    const help = textarea.getAttribute("aria-describedby");
    if (help) input.setAttribute("aria-describedby", help);
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    editor.append(chips, input, status);
    textarea.hidden = true;
    textarea.after(editor);
    if (label) label.htmlFor = input.id;

    const entries = [];

    function sync() {
      textarea.value = entries
        .map((entry) => (entry.years === "" || entry.years == null ? entry.name : `${entry.name}: ${entry.years}`))
        .join(", ");
    }

    function announce(text) {
      status.textContent = text;
    }

    function remove(entry) {
      const index = entries.indexOf(entry);
      if (index < 0) return;
      entries.splice(index, 1);
      entry.element.remove();
      sync();
      announce(`Removed ${entry.name}.`);
      input.focus();
    }

    function render(entry) {
      const chipId = `chip-${++chipCounter}`;
      const item = document.createElement("li");
      item.className = entry.known ? "chip" : "chip chip-new";
      item.dataset.name = entry.name;
      const name = document.createElement("span");
      name.className = "chip-name";
      name.textContent = entry.name;
      item.append(name);
      if (!entry.known) {
        const note = document.createElement("small");
        note.className = "chip-note";
        note.textContent = "new, will be reviewed";
        item.append(note);
      }
      const yearsLabel = document.createElement("label");
      yearsLabel.className = "visually-hidden";
      yearsLabel.htmlFor = chipId;
      yearsLabel.textContent = `Years of ${entry.name}`;
      const years = document.createElement("input");
      years.type = "number";
      years.id = chipId;
      years.className = "chip-years";
      years.min = "0";
      years.max = "60";
      years.placeholder = "–";
      years.title = `Years of ${entry.name}`;
      years.value = entry.years ?? "";
      years.addEventListener("input", () => {
        entry.years = years.value;
        sync();
      });
      const unit = document.createElement("span");
      unit.className = "chip-unit";
      unit.setAttribute("aria-hidden", "true");
      unit.textContent = "yrs";
      const removeButton = document.createElement("button");
      removeButton.type = "button";
      removeButton.className = "chip-remove";
      removeButton.setAttribute("aria-label", `Remove ${entry.name}`);
      removeButton.textContent = "✕";
      removeButton.addEventListener("click", () => remove(entry));
      item.append(yearsLabel, years, unit, removeButton);
      entry.element = item;
      chips.append(item);
    }

    function add({ name, years = "", known }) {
      name = name.replace(NAME_SEPARATORS, " ").replace(/\s+/g, " ").trim();
      if (!name) return;
      const duplicate = entries.find((entry) => skillKey(entry.name) === skillKey(name));
      if (duplicate) {
        announce(`${duplicate.name} is already in the list.`);
        duplicate.element.querySelector(".chip-years").focus();
        return;
      }
      if (max && entries.length >= max) {
        announce(`At most ${max} skills here.`);
        return;
      }
      const entry = { name, years, known };
      entries.push(entry);
      render(entry);
      sync();
      announce(`Added ${name}${known ? "" : ", new, will be reviewed"}.`);
    }

    // "Python: 5" typed (or pasted) becomes the chip Python with 5 years.
    function typed() {
      const text = input.value.trim();
      const match = text.match(TYPED_WITH_YEARS);
      return match ? { name: match[1], years: match[2] } : { name: text, years: "" };
    }

    async function addTyped() {
      const { name, years } = typed();
      input.value = "";
      if (!name) return;
      const skill = await resolveSkill(name);
      add(skill ? { name: skill.name, years, known: skill.canonical } : { name, years, known: false });
    }

    (initial || []).forEach((entry) => add({ name: entry.name, years: entry.years ?? "", known: entry.known }));
    announce("");

    const autocomplete = setupAutocomplete(input, {
      query: () => typed().name,
      choose: (skill) => {
        const { years } = typed();
        input.value = "";
        add({ name: skill.name, years, known: skill.canonical });
      },
    });

    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === ",") {
        if (!input.value.trim()) {
          if (event.key === ",") event.preventDefault();
          return; // Enter on an empty field submits the form
        }
        event.preventDefault();
        autocomplete.close();
        addTyped();
      } else if (event.key === "Backspace" && input.value === "" && entries.length) {
        event.preventDefault();
        remove(entries[entries.length - 1]);
      }
    });
    // Text left in the field when the form is sent is a skill too.
    textarea.form.addEventListener("submit", () => {
      const { name, years } = typed();
      if (name) add({ name, years, known: false });
      input.value = "";
      sync();
    });
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

  // A people picker (invite by username): suggestions from the profile search by name.
  function setupPeoplePicker(input) {
    setupAutocomplete(input, {
      query: () => (input.value.includes("@", 1) ? "" : input.value.trim().replace(/^@/, "")),
      url: (token) => `/api/v1/profiles/?page_size=8&name=${encodeURIComponent(token)}`,
      describe: (person) => [person.display_name || person.username, ` @${person.username}`],
      choose: (person) => {
        input.value = person.username;
      },
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-skill-autocomplete]").forEach((input) => setupAutocomplete(input));
    document.querySelectorAll("[data-people-autocomplete]").forEach(setupPeoplePicker);
    const chipData = document.getElementById("skill-chips-data");
    const initial = chipData ? JSON.parse(chipData.textContent) : {};
    document.querySelectorAll("textarea[data-skill-chips]").forEach((textarea) => setupChips(textarea, initial[textarea.name]));
    document.querySelectorAll("[data-timezone-guess]").forEach(guessTimezone);
  });
})();
