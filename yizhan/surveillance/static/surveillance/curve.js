// The epidemic curve (Apache ECharts from the npm install): counts by onset day as bars, what the
// detector compared and its upper bound as lines, the alarms raised as red points. The data and the
// labels come from the page (<script type="application/json" id="curve-data">), computed by the server.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("curve-data");
  var node = document.getElementById("chart-curve");
  if (!el || !node || !window.echarts) { return; }
  var data = JSON.parse(el.textContent);
  var labels = data.labels;
  var series = [{name: labels.counts, type: "bar", data: data.counts, itemStyle: {color: "#7aa6d8"}}];
  if (data.observed) {
    series.push({name: labels.observed, type: "line", data: data.observed, showSymbol: false,
                 lineStyle: {color: "#1c4e9d"}, itemStyle: {color: "#1c4e9d"}});
    series.push({name: labels.upper, type: "line", data: data.upper, showSymbol: false, connectNulls: true,
                 lineStyle: {type: "dashed", color: "#c0392b"}, itemStyle: {color: "#c0392b"}});
  }
  series.push({name: labels.alarms, type: "scatter", symbolSize: 12, itemStyle: {color: "#d62728"},
               data: data.alarms.map(function (a) { return [a[0], a[1]]; })});
  var chart = echarts.init(node);
  chart.setOption({
    tooltip: {trigger: "axis"}, legend: {top: 0}, grid: {left: 40, right: 10, top: 30, bottom: 30},
    xAxis: {type: "category", data: data.days}, yAxis: {type: "value", minInterval: 1}, series: series});
  window.addEventListener("resize", function () { chart.resize(); });
});
