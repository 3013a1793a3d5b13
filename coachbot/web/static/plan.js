/* The plan page's print button (a file, not an inline script: the page's CSP allows no inline code). */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
