// Filter boxes over long <select> lists: "doanh thu" finds "Doanh thu viễn thông". Each option carries its text
// without diacritics in data-search (server side); selected options always stay visible. Works after HTMX swaps.
(function () {
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase()
    .replace(/\s+/g, " ").trim();
  document.addEventListener("input", (event) => {
    const box = event.target;
    if (!box.classList || !box.classList.contains("picker-filter")) return;
    const select = document.getElementById(box.dataset.target);
    if (!select) return;
    const wanted = fold(box.value);
    for (const option of select.options) {
      if (!option.value) continue;
      const text = option.dataset.search || fold(option.textContent);
      option.hidden = wanted !== "" && !option.selected && !text.includes(wanted);
    }
  });
})();
