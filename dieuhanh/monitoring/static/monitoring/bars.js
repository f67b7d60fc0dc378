// The 90-day uptime bars: each `.uptime-bars` holds "first-date;p1,p2,…" (a percent or "-" for a day without
// data); one small bar a day is drawn when the row comes into view, coloured by the day's uptime, its tooltip the
// date (dd/mm/yyyy) and the percent written the Vietnamese way. A board of a thousand systems draws only what is
// on the screen.
(function () {
  "use strict";
  var pct = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 0, maximumFractionDigits: 2 });
  var LAZY_FROM = 150;
  var none = (document.querySelector("[data-bars-none]") || document.body).dataset.barsNone || "—";

  function level(p) {
    if (p >= 99.9) { return "ok"; }
    if (p >= 99) { return "minor"; }
    if (p >= 95) { return "warn"; }
    return "bad";
  }
  function two(n) { return (n < 10 ? "0" : "") + n; }

  function draw(el) {
    if (el.dataset.drawn) { return; }
    el.dataset.drawn = "1";
    var parts = (el.dataset.bars || "").split(";");
    if (parts.length !== 2) { return; }
    var ymd = parts[0].split("-");
    var day = new Date(+ymd[0], +ymd[1] - 1, +ymd[2]);
    var html = [];
    parts[1].split(",").forEach(function (v) {
      var label = two(day.getDate()) + "/" + two(day.getMonth() + 1) + "/" + day.getFullYear();
      var cls, text;
      if (v === "-") { cls = "none"; text = none; } else { cls = level(+v); text = pct.format(+v) + "%"; }
      html.push('<i class="bar bar-' + cls + '" title="' + label + ": " + text + '"></i>');
      day.setDate(day.getDate() + 1);
    });
    el.innerHTML = html.join("");
  }

  var all = document.querySelectorAll(".uptime-bars[data-bars]");
  // A board of a few dozen systems is drawn at once (a printed or captured page shows every row).
  if (all.length <= LAZY_FROM || !("IntersectionObserver" in window)) {
    Array.prototype.forEach.call(all, draw);
    document.addEventListener("htmx:afterSwap", function (event) {
      event.target.querySelectorAll(".uptime-bars[data-bars]").forEach(draw);
    });
    return;
  }
  var seen = new IntersectionObserver(function (entries) {
    entries.forEach(function (e) { if (e.isIntersecting) { draw(e.target); seen.unobserve(e.target); } });
  }, { rootMargin: "400px 0px" });
  Array.prototype.forEach.call(all, function (el) { seen.observe(el); });
  // The wall's panels are fetched again every minute: draw the new ones.
  document.addEventListener("htmx:afterSwap", function (event) {
    event.target.querySelectorAll(".uptime-bars[data-bars]").forEach(function (el) { seen.observe(el); });
  });
})();
