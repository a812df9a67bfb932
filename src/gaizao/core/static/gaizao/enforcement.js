/* The cases page: buildings standing at each month's end, new ones found and removals, from #cases-monthly. */
(function () {
  "use strict";
  const el = document.getElementById("chart-cases");
  const data = JSON.parse(document.getElementById("cases-monthly").textContent);
  if (!el || !window.echarts) return;
  echarts.init(el, null, { renderer: "canvas" }).setOption({
    tooltip: { trigger: "axis" },
    legend: { data: ["月末未拆", "新增", "拆除"] },
    grid: { left: 50, right: 20, top: 30, bottom: 30 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "月末未拆", type: "line", data: data.standing, itemStyle: { color: "#b42318" } },
      { name: "新增", type: "bar", data: data.new, itemStyle: { color: "#d69e2e" } },
      { name: "拆除", type: "bar", data: data.removed, itemStyle: { color: "#127a3d" } },
    ],
  });
})();
