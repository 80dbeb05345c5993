// Small behaviours of every page that need JavaScript, each degrading to nothing without it.
// Buttons marked data-print print the page; they are hidden until this script shows them.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
