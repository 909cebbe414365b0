// Draws the home page's charts with ECharts (canvas, no inline script or style: the Content-Security-Policy).
// Each <div class="chart" data-source="ID"> reads the JSON of <script type="application/json" id="ID">
// (Django's json_script): {"kind": "bar" | "line" | "range", "categories": [...], "series": [{"name", "data"}]}.
// A "range" has three series: the lowest, the base and the highest value; it draws a bar from the lowest to the
// highest with the base as a mark. The table beside each chart holds the same numbers.
"use strict";
(() => {
  const COLOURS = ["#8b1a1a", "#2f5d8a", "#c9a227", "#5b8c5a"];

  function frame(data) {
    return {
      color: COLOURS,
      animation: false,
      // Rich text tooltips are drawn on the canvas: HTML ones would carry inline style attributes.
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: {
        type: "category", data: data.categories,
        axisLabel: { interval: 0, rotate: data.categories.length > 6 ? 35 : 0 },
      },
      yAxis: { type: "value", minInterval: 1 },
    };
  }

  function plain(data, type) {
    return { ...frame(data), series: data.series.map((one) => ({ name: one.name, type, data: one.data })) };
  }

  function range(data) {
    const [low, base, high] = data.series;
    const span = `${low.name}–${high.name}`;
    return {
      ...frame(data),
      legend: { top: 0, data: [span, base.name] },
      tooltip: {
        trigger: "axis", renderMode: "richText",
        formatter: (items) => {
          const index = items[0].dataIndex;
          return `${data.categories[index]}\n${span}: ${low.data[index]}–${high.data[index]}\n`
            + `${base.name}: ${base.data[index]}`;
        },
      },
      yAxis: { type: "value", scale: true, minInterval: 1 },
      series: [
        { name: low.name, type: "bar", stack: "range", silent: true, itemStyle: { color: "transparent" },
          data: low.data },
        { name: span, type: "bar", stack: "range", data: high.data.map((value, i) => value - low.data[i]) },
        { name: base.name, type: "scatter", symbol: "diamond", symbolSize: 12, data: base.data },
      ],
    };
  }

  function option(data) {
    if (data.kind === "range") {
      return range(data);
    }
    return plain(data, data.kind === "line" ? "line" : "bar");
  }

  function draw() {
    const charts = [];
    document.querySelectorAll(".chart[data-source]").forEach((element) => {
      const source = document.getElementById(element.dataset.source);
      if (!source) {
        return;
      }
      const chart = echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(option(JSON.parse(source.textContent)));
      element.dataset.rendered = "true";
      charts.push(chart);
    });
    window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
