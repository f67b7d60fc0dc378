// The unit page: a sector chip jumps to its section (the link does that) and unfolds it, as the section's own
// "show its indicators" button would (HTMX loads the rows below the heading, so the heading stays in view).
(function () {
  document.addEventListener("click", (event) => {
    const chip = event.target.closest && event.target.closest(".sector-nav a[href^='#sector-']");
    if (!chip) return;
    const button = document.querySelector(`${chip.getAttribute("href")} .sector-pending a`);
    if (button) button.click();
  });
})();
