// A check's form shows the fields of the chosen kind only (the others keep their defaults); a maintenance
// window's form shows the one-off or the recurring fields. Without scripts every field shows.
(function () {
  "use strict";
  function follow(select, groups, attr) {
    if (!select) { return; }
    function show() {
      var value = select.type === "radio" ? (document.querySelector("input[name='" + select.name + "']:checked") || {}).value : select.value;
      groups.forEach(function (g) { g.hidden = g.dataset[attr] !== value; });
    }
    (select.type === "radio" ? document.querySelectorAll("input[name='" + select.name + "']") : [select])
      .forEach(function (el) { el.addEventListener("change", show); });
    show();
  }
  follow(document.getElementById("id_kind"), Array.prototype.slice.call(document.querySelectorAll("#check-form [data-kind]")), "kind");
  follow(document.querySelector("#maintenance-form input[name=kind]"), Array.prototype.slice.call(document.querySelectorAll("#maintenance-form [data-window]")), "window");
})();
