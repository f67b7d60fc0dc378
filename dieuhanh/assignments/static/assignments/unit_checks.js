// The coordinating units' check boxes, filtered by what is typed, with or without diacritics; a checked unit
// always stays in sight.
(function () {
  const filter = document.getElementById("unit-filter");
  if (!filter) return;
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();
  const boxes = document.querySelectorAll("#unit-checks .form-check");
  filter.addEventListener("input", (event) => {
    const wanted = fold(event.target.value.trim());
    for (const box of boxes) {
      const checked = box.querySelector("input").checked;
      box.hidden = wanted !== "" && !checked && !fold(box.textContent).includes(wanted);
    }
  });
})();
