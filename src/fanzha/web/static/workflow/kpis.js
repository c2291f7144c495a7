// KPI chart (vendored ECharts, no CDN): sign-off, meet and success rates per unit.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("kpi-chart");
    var data = document.getElementById("kpi-data");
    if (!el || !data || typeof echarts === "undefined") { return; }
    var rows = JSON.parse(data.textContent);
    var keys = [["sign_rate", "签收率"], ["on_time_rate", "劝阻率"], ["meet_rate", "见面率"], ["success_rate", "成功率"]];
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 60 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { rotate: 30 } },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: keys.map(function (k) {
        return {
          name: k[1], type: "bar",
          data: rows.map(function (r) { var v = r.rates[k[0]].value; return v === null ? null : Math.round(v * 1000) / 10; })
        };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
