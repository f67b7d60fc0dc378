// A chosen period replaces a custom range (and the other way round), so the form never sends both.
(function () {
  const period = document.getElementById("id_period");
  if (!period) return;
  period.addEventListener("change", () => {
    document.getElementById("id_from").value = "";
    document.getElementById("id_to").value = "";
  });
})();
