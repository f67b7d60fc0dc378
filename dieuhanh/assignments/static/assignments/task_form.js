// Show only the fields that apply: the source chosen, and the deadline kind's fields.
(function () {
  const form = document.getElementById("task-form");
  if (!form) return;
  function sync() {
    const source = form.querySelector("input[name=source]:checked")?.value;
    document.getElementById("source-document").hidden = source !== "document";
    document.getElementById("source-instruction").hidden = source !== "instruction";
    const kind = form.querySelector("[name=deadline_kind]").value;
    document.getElementById("deadline-date").hidden = kind !== "date";
    document.getElementById("deadline-recurring").hidden = !["monthly", "quarterly", "yearly"].includes(kind);
  }
  form.addEventListener("change", sync);
  sync();
})();
