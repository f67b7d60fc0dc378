// Sparklines of the KPI cards: the last periods of each indicator, estimates drawn as hollow points.
(function () {
  "use strict";
  var charts = [];
  document.querySelectorAll(".kpi-spark[data-series]").forEach(function (el) {
    var points = JSON.parse(el.dataset.series || "[]");
    // Periods before the first figure (a unit that did not exist yet) would only push the line to the right.
    var first = points.findIndex(function (p) { return p[1] !== null; });
    if (first < 0) { el.remove(); return; }
    points = points.slice(first);
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 2, right: 2, top: 4, bottom: 4 },
      xAxis: { type: "category", show: false, data: points.map(function (p) { return p[0]; }) },
      yAxis: { type: "value", show: false, scale: true },
      tooltip: { show: false },
      series: [{
        type: "line", smooth: true, connectNulls: true, lineStyle: { width: 2, color: "#0b3d6e" },
        areaStyle: { color: "rgba(11,61,110,.08)" },
        data: points.map(function (p) {
          return p[2] ? { value: p[1], symbol: "emptyCircle", symbolSize: 6 } : { value: p[1], symbol: "none" };
        })
      }]
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
