/* The dashboard and the big screen: draws the figures of /progress/dashboard/data/ with ECharts. */
(function () {
  "use strict";
  const charts = {};
  const COLOURS = { green: "#127a3d", yellow: "#d69e2e", red: "#b42318", grey: "#9aa5b1" };

  function chart(id, dark) {
    const el = document.getElementById(id);
    if (!el) return null;
    if (!charts[id]) charts[id] = echarts.init(el, dark ? "dark" : null, { renderer: "canvas" });
    return charts[id];
  }

  function targets(data, dark) {
    const c = chart("chart-targets", dark);
    if (!c) return;
    const rows = data.targets.filter((t) => t.top);
    c.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "axis" },
      legend: { data: ["完成率", "时序进度"] },
      grid: { left: 140, right: 30, top: 30, bottom: 20 },
      xAxis: { type: "value", max: (v) => Math.max(100, v.max), axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: rows.map((t) => t.unit + " " + t.indicator), inverse: true },
      series: [
        { name: "完成率", type: "bar", data: rows.map((t) => ({ value: t.completion, itemStyle: { color: COLOURS[t.colour] } })) },
        { name: "时序进度", type: "scatter", symbol: "rect", symbolSize: [3, 18], data: rows.map((t) => t.calendar), itemStyle: { color: dark ? "#ffd166" : "#1f2933" } },
      ],
    });
  }

  function trend(data, dark) {
    const c = chart("chart-trend", dark);
    if (!c) return;
    c.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "axis" },
      legend: { data: data.trend.series.map((s) => s.name) },
      grid: { left: 60, right: 20, top: 30, bottom: 30 },
      xAxis: { type: "category", data: data.trend.days, axisLabel: { formatter: (d) => d.slice(5) } },
      yAxis: { type: "value" },
      series: data.trend.series.map((s) => ({ name: s.name, type: "line", showSymbol: false, data: s.data })),
    });
  }

  function streets(data, dark) {
    const c = chart("chart-streets", dark);
    if (!c) return;
    c.setOption({
      backgroundColor: "transparent",
      tooltip: {},
      grid: { left: 90, right: 40, top: 10, bottom: 20 },
      xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: data.streets.map((s) => s.name), inverse: true },
      series: [{ type: "bar", label: { show: true, position: "right", formatter: "{c}%" },
        data: data.streets.map((s) => ({ value: s.completion, itemStyle: { color: COLOURS[s.colour] } })) }],
    });
    c.off("click");
    c.on("click", (p) => { const s = data.streets[p.dataIndex]; if (s) window.location = "/progress/units/" + s.unit + "/"; });
  }

  function money(data, dark) {
    const c = chart("chart-money", dark);
    if (!c) return;
    c.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "axis" },
      legend: { data: ["计划投资（万元）", "完成投资（万元）"] },
      grid: { left: 80, right: 20, top: 30, bottom: 30 },
      xAxis: { type: "category", data: data.money.years },
      yAxis: { type: "value" },
      series: [
        { name: "计划投资（万元）", type: "bar", data: data.money.planned },
        { name: "完成投资（万元）", type: "bar", data: data.money.actual },
      ],
    });
  }

  function feed(data) {
    const list = document.getElementById("signings");
    if (list) {
      list.replaceChildren(...(data.signings || []).map((s) => {
        const li = document.createElement("li");
        li.textContent = s.at + "  " + s.project + "  " + s.household;
        return li;
      }));
      if (!list.children.length) list.innerHTML = "<li>今日暂无签约</li>";
    }
    const box = document.getElementById("countdown");
    if (box) box.textContent = data.countdown ? data.countdown.project + " 签约期还剩 " + data.countdown.days + " 天（" + data.countdown.ends + "）" : "";
    const stamp = document.getElementById("stamp");
    if (stamp) stamp.textContent = new Date().toLocaleTimeString("zh-CN");
  }

  function draw(data, dark) {
    targets(data, dark); trend(data, dark); streets(data, dark); money(data, dark); feed(data);
  }

  window.gaizaoDashboard = function (options) {
    const dark = !!options.dark;
    const first = document.getElementById("dashboard-data");
    if (first) draw(JSON.parse(first.textContent), dark);
    window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
    if (options.refresh) {
      const load = () => fetch(options.url, { credentials: "same-origin" }).then((r) => r.json()).then((d) => draw(d, dark));
      setInterval(load, options.refresh * 1000);
    }
  };
})();
