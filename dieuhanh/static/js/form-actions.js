// Small form behaviours declared in the markup, so that templates carry no inline handlers (the
// Content-Security-Policy refuses onchange= and onsubmit=):
// - select[data-autosubmit]: choosing an option sends its form (the language switcher, list filters);
// - form[data-confirm]: sending the form first asks the question in data-confirm, and stops on "Cancel".
// Listeners sit on the document, so forms that htmx swaps in later behave the same.
(function () {
  document.addEventListener("change", (event) => {
    const field = event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.submit();
  });
  document.addEventListener("submit", (event) => {
    const question = event.target.dataset ? event.target.dataset.confirm : undefined;
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
