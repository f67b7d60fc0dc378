// The indicator's chart over time: actual figures as solid bars, estimates as light bars with a dashed border,
// targets as a dotted line; the PNG button saves the chart as drawn (ECharts getDataURL).
(function () {
  "use strict";
  var el = document.getElementById("indicator-chart");
  if (!el) { return; }
  var d = JSON.parse(el.dataset.chart);
  var fmt = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: d.decimals });
  var actual = d.values.map(function (v, i) { return d.estimates[i] ? null : v; });
  var hasEstimate = d.estimates.some(Boolean);
  var hasTarget = d.targets.some(function (v) { return v !== null; });
  var series = [{
    name: d.names.actual, type: "bar", data: actual, itemStyle: { color: "#0b3d6e" }, barMaxWidth: 28
  }];
  if (hasEstimate) {
    series.push({
      name: d.names.estimate, type: "bar", data: d.values.map(function (v, i) { return d.estimates[i] ? v : null; }),
      barGap: "-100%", barMaxWidth: 28,
      itemStyle: { color: "rgba(11,61,110,.15)", borderColor: "#0b3d6e", borderType: "dashed", borderWidth: 1.5 }
    });
  }
  if (hasTarget) {
    series.push({
      name: d.names.target, type: "line", data: d.targets, connectNulls: true, symbol: "diamond", symbolSize: 7,
      lineStyle: { type: "dotted", width: 2, color: "#c0392b" }, itemStyle: { color: "#c0392b" }
    });
  }
  var narrow = window.innerWidth < 576;
  var chart = echarts.init(el);
  chart.setOption({
    animation: false,
    grid: { left: 8, right: 12, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, itemWidth: 14, textStyle: { fontSize: 11 } },
    tooltip: {
      trigger: "axis", confine: true,
      valueFormatter: function (v) { return v === null || v === undefined ? "—" : fmt.format(v) + (d.unit === "%" ? "%" : " " + d.unit); }
    },
    xAxis: { type: "category", data: d.labels, axisLabel: {
      // A phone has room for about four period names.
      fontSize: 10, hideOverlap: true, interval: narrow ? Math.max(Math.ceil(d.labels.length / 4) - 1, 0) : "auto"
    } },
    yAxis: { type: "value", scale: false, axisLabel: { fontSize: 10, formatter: function (v) { return fmt.format(v); } } },
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
  var png = document.getElementById("download-png");
  if (png) {
    png.addEventListener("click", function () {
      var a = document.createElement("a");
      a.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
      a.download = png.dataset.filename || "chart.png";
      document.body.appendChild(a);
      a.click();
      a.remove();
    });
  }
  window.indicatorChart = chart;
})();
