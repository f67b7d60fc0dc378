// Show what fits the registrant: a collective registers collective titles, a person individual ones. Without
// JavaScript everything shows and the service refuses a title for the wrong registrant.
(function () {
  const form = document.getElementById("registration-form");
  if (!form) return;
  function sync() {
    const chosen = form.querySelector("input[name=registrant]:checked");
    if (!chosen) return;
    form.querySelectorAll("[data-registrant]").forEach((el) => {
      const shown = el.dataset.registrant === chosen.value;
      el.hidden = !shown;
      if (!shown) el.querySelectorAll("input[type=checkbox]").forEach((box) => { box.checked = false; });
    });
  }
  form.querySelectorAll("input[name=registrant]").forEach((r) => r.addEventListener("change", sync));
  sync();
})();
