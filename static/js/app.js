// DevCrew: progressive enhancements only; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".flash[data-autohide]").forEach((el) => {
    setTimeout(() => el.remove(), 6000);
  });

  // Phone menu: the links stay visible without JavaScript; with it, this button shows and
  // hides them (CSS collapses them below 768px only once the header is "menu-ready").
  const header = document.querySelector(".site-header");
  const toggle = header && header.querySelector(".nav-toggle");
  const links = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && links) {
    const setOpen = (open) => {
      toggle.setAttribute("aria-expanded", String(open));
      header.classList.toggle("menu-open", open);
    };
    toggle.hidden = false;
    header.classList.add("menu-ready");
    toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }
});
