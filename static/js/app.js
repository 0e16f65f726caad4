// DevCrew: progressive enhancements only; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".flash[data-autohide]").forEach((el) => {
    setTimeout(() => el.remove(), 6000);
  });
});
