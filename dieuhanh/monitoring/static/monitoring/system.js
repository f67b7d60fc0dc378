// A system's mean response time over 24 hours (five-minute means) or 7 days (hourly means); a stretch without a
// successful probe is a gap, not a fast answer.
(function () {
  "use strict";
  var el = document.getElementById("response-chart");
  var data = document.getElementById("response-data");
  if (!el || !data || !window.echarts) { return; }
  var d = JSON.parse(data.textContent);
  var fmt = new Intl.NumberFormat("vi-VN");
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function when(ms, withDay) {
    var t = new Date(ms);
    var hm = two(t.getHours()) + ":" + two(t.getMinutes());
    return withDay ? hm + " " + two(t.getDate()) + "/" + two(t.getMonth() + 1) : hm;
  }
  var long = d.end - d.start > 26 * 3600 * 1000;
  var empty = d.series.every(function (s) { return s.data.every(function (p) { return p[1] === null; }); });
  var chart = echarts.init(el);
  chart.setOption({
    animation: false,
    title: empty ? { text: d.labels.empty, left: "center", top: "middle", textStyle: { fontSize: 13, fontWeight: 400, color: "#6c757d" } } : undefined,
    grid: { left: 8, right: 12, top: 24, bottom: 8, containLabel: true },
    
    tooltip: {
      trigger: "axis", confine: true,
      formatter: function (items) {
        if (!items.length) { return ""; }
        var lines = [when(items[0].value[0], true)];
        items.forEach(function (i) { if (i.value[1] !== null) { lines.push(i.marker + i.seriesName + ": " + fmt.format(i.value[1]) + " ms"); } });
        return lines.join("<br>");
      }
    },
    xAxis: { type: "time", min: d.start, max: d.end, axisLabel: { fontSize: 10, hideOverlap: true,
      formatter: function (v) { return when(v, long); } } },
    yAxis: { type: "value", name: d.labels.ms, nameTextStyle: { fontSize: 10, align: "left" },
      axisLabel: { fontSize: 10, formatter: function (v) { return fmt.format(v); } } },
    series: d.series.map(function (s) {
      return { name: s.name, type: "line", showSymbol: false, connectNulls: false, sampling: "lttb", data: s.data,
        lineStyle: { width: 1.5 } };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
