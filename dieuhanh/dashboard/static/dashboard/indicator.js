// The indicator's chart over time: actual figures as solid bars, estimates as light bars with a dashed border,
// targets as a dotted line; a flow also has its lũy kế view against the year's target. The PNG button saves the
// chart as drawn (ECharts getDataURL).
(function () {
  "use strict";
  var el = document.getElementById("indicator-chart");
  if (!el) { return; }
  var d = JSON.parse(el.dataset.chart);
  var fmt = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: d.decimals });

  // The bars of one view: actual figures solid, estimates light with a dashed border, the target dotted.
  function seriesOf(values, estimates, targets, names) {
    var out = [{
      name: names.actual, type: "bar", barMaxWidth: 28, itemStyle: { color: "#0b3d6e" },
      data: values.map(function (v, i) { return estimates[i] ? null : v; })
    }];
    if (estimates.some(Boolean)) {
      out.push({
        name: names.estimate, type: "bar", barGap: "-100%", barMaxWidth: 28,
        data: values.map(function (v, i) { return estimates[i] ? v : null; }),
        itemStyle: { color: "rgba(11,61,110,.15)", borderColor: "#0b3d6e", borderType: "dashed", borderWidth: 1.5 }
      });
    }
    if (targets.some(function (v) { return v !== null; })) {
      out.push({
        // A step: a year's target holds for its periods and changes at the year's boundary, not along a slope.
        name: names.target, type: "line", step: "middle", data: targets, connectNulls: false, symbol: "diamond",
        symbolSize: 7,
        lineStyle: { type: "dotted", width: 2, color: "#c0392b" }, itemStyle: { color: "#c0392b" }
      });
    }
    return out;
  }
  var views = {
    period: seriesOf(d.values, d.estimates, d.targets, d.names),
    cumulative: d.cumulative ? seriesOf(d.cumulative.values, d.cumulative.estimates, d.cumulative.targets, {
      actual: d.names.ytd, estimate: d.names.ytd_estimate, target: d.names.year_target
    }) : null
  };
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
    series: views.period
  });
  window.addEventListener("resize", function () { chart.resize(); });
  // A flow's second view: lũy kế against the year's target (the buttons exist only when the page has it).
  var modes = document.querySelectorAll("#chart-mode [data-mode]");
  Array.prototype.forEach.call(modes, function (button) {
    button.addEventListener("click", function () {
      var mode = button.dataset.mode;
      chart.setOption({ series: views[mode] }, { replaceMerge: ["series"] });
      Array.prototype.forEach.call(modes, function (b) {
        b.classList.toggle("active", b === button);
        b.setAttribute("aria-pressed", b === button ? "true" : "false");
      });
      Array.prototype.forEach.call(document.querySelectorAll("#chart-note [data-mode]"), function (note) {
        note.hidden = note.dataset.mode !== mode;
      });
      el.dataset.mode = mode;
    });
  });
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
