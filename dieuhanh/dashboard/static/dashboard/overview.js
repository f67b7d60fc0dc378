// Sparklines of the KPI cards (the last periods of each indicator, estimates drawn as hollow points) and the
// chart cards of a configured dashboard.
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
  // Chart cards: the indicator over its last periods, actual figures as solid bars, estimates as light bars with a
  // dashed border, targets as a dotted line (as on the indicator page), numbers in Vietnamese.
  var narrow = window.innerWidth < 576;
  document.querySelectorAll(".chart-card-plot[data-chart]").forEach(function (el) {
    var d = JSON.parse(el.dataset.chart || "{}");
    if (!d.labels || !d.labels.length) { return; }
    var fmt = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: d.decimals || 0 });
    var short = new Intl.NumberFormat("vi-VN", { notation: "compact", maximumFractionDigits: 1 });
    var series = [{
      name: d.names.actual, type: "bar", barMaxWidth: 24, itemStyle: { color: "#0b3d6e" },
      data: d.values.map(function (v, i) { return d.estimates[i] ? null : v; })
    }];
    if (d.estimates.some(Boolean)) {
      series.push({
        name: d.names.estimate, type: "bar", barGap: "-100%", barMaxWidth: 24,
        data: d.values.map(function (v, i) { return d.estimates[i] ? v : null; }),
        itemStyle: { color: "rgba(11,61,110,.15)", borderColor: "#0b3d6e", borderType: "dashed", borderWidth: 1.5 }
      });
    }
    if (d.targets.some(function (v) { return v !== null; })) {
      series.push({
        // A step: a year's target holds for its periods and changes at the year's boundary (as on the indicator page).
        name: d.names.target, type: "line", step: "middle", data: d.targets, connectNulls: false, symbol: "diamond",
        symbolSize: 6,
        lineStyle: { type: "dotted", width: 2, color: "#c0392b" }, itemStyle: { color: "#c0392b" }
      });
    }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 4, right: 8, top: series.length > 1 ? 28 : 8, bottom: 4, containLabel: true },
      legend: { show: series.length > 1, top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 10 } },
      tooltip: {
        trigger: "axis", confine: true,
        valueFormatter: function (v) {
          return v === null || v === undefined ? "—" : fmt.format(v) + (d.unit === "%" ? "%" : " " + d.unit);
        }
      },
      xAxis: { type: "category", data: d.labels, axisLabel: {
        fontSize: 10, hideOverlap: true, interval: narrow ? Math.max(Math.ceil(d.labels.length / 3) - 1, 0) : "auto"
      } },
      yAxis: { type: "value", axisLabel: { fontSize: 10, formatter: function (v) {
        return Math.abs(v) >= 100000 ? short.format(v) : fmt.format(v);
      } } },
      series: series
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
