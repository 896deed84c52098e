// Small enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Buttons that change state for many people ask once before they do.
  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
});
