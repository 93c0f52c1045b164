// Charts of the supervisor view (Apache ECharts from the npm install). The data and the labels come
// from the page as JSON (<script type="application/json" id="chart-data">), computed by the server.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("chart-data");
  if (!el || !window.echarts) { return; }
  var data = JSON.parse(el.textContent);
  var labels = data.labels;
  function chart(id, option) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var c = echarts.init(node);
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }
  function col(rows, i) { return rows.map(function (r) { return r[i]; }); }
  function pct(v) { return v === null ? null : Math.round(v * 1000) / 10; }
  var grid = {left: 40, right: 10, top: 30, bottom: 30};
  chart("chart-daily", {
    tooltip: {trigger: "axis"}, legend: {top: 0}, grid: grid,
    xAxis: {type: "category", data: col(data.daily, 0)}, yAxis: {type: "value", minInterval: 1},
    series: [{name: labels.accepted, type: "bar", data: col(data.daily, 1)},
             {name: labels.completed, type: "bar", data: col(data.daily, 2)}]});
  chart("chart-departments", {
    tooltip: {trigger: "axis"}, legend: {top: 0}, grid: {left: 40, right: 10, top: 30, bottom: 60},
    xAxis: {type: "category", data: col(data.departments, 0), axisLabel: {rotate: 30}},
    yAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%"}},
    series: [{name: labels.on_the_spot_rate, type: "bar", data: col(data.departments, 1).map(pct)},
             {name: labels.on_time_rate, type: "bar", data: col(data.departments, 2).map(pct)}]});
  chart("chart-waits", {
    tooltip: {trigger: "axis"}, grid: grid,
    xAxis: {type: "category", data: col(data.waits, 0)}, yAxis: {type: "value"},
    series: [{name: labels.wait, type: "line", data: col(data.waits, 1)}]});
});
