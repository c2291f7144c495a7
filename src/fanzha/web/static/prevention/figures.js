// 宣防 chart by unit (vendored ECharts, no CDN, no inline script): events, reach and SMS per sub-unit.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("publicity-chart");
    var data = document.getElementById("publicity-data");
    var names = document.getElementById("publicity-labels");
    if (!el || !data || !names || typeof echarts === "undefined") { return; }
    var rows = JSON.parse(data.textContent);
    var labels = JSON.parse(names.textContent);
    var bars = ["publicity_events", "publicity_posts"];
    var lines = ["publicity_reach", "publicity_sms"];
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 56, right: 64, top: 40, bottom: 60 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { rotate: 30 } },
      yAxis: [{ type: "value", name: "场次/篇" }, { type: "value", name: "人/条" }],
      series: bars.map(function (k) {
        return { name: labels[k], type: "bar", data: rows.map(function (r) { return r[k]; }) };
      }).concat(lines.map(function (k) {
        return { name: labels[k], type: "line", yAxisIndex: 1, data: rows.map(function (r) { return r[k]; }) };
      }))
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
