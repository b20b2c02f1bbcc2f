// The work board's planned-load chart (assignments/board.html): one bar a person, from the json_script "load-data";
// dashed lines at the under-loaded, norm and over-loaded thresholds.
(function () {
  var data = JSON.parse(document.getElementById("load-data").textContent);
  var colours = {over: "#dc3545", under: "#ffc107", balanced: "#198754", none: "#6c757d"};
  var canvas = document.getElementById("load-chart");
  if (!canvas || typeof Chart === "undefined") { return; }
  // One bar of 28 px a person (at least 160 px, app.css): set through the CSSOM, which the policy allows.
  canvas.parentElement.style.height = canvas.parentElement.getAttribute("data-height") + "px";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{
        label: canvas.getAttribute("data-dataset-label"),
        data: data.percent,
        backgroundColor: data.status.map(function (status) { return colours[status] || colours.none; })
      }]
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      animation: false,
      scales: {x: {beginAtZero: true, suggestedMax: Math.max(150, data.over + 10), ticks: {callback: function (value) { return value + "%"; }}}},
      plugins: {
        legend: {display: false},
        tooltip: {callbacks: {label: function (context) {
          var index = context.dataIndex;
          return data.percent[index] + "% · " + data.planned[index] + " / " + data.norm[index] + " h";
        }}}
      }
    },
    plugins: [{
      id: "thresholds",
      afterDatasetsDraw: function (chart) {
        var x = chart.scales.x, area = chart.chartArea, context = chart.ctx;
        [[data.under, colours.under], [100, "#0d6efd"], [data.over, colours.over]].forEach(function (line) {
          var position = x.getPixelForValue(line[0]);
          context.save();
          context.strokeStyle = line[1];
          context.setLineDash([4, 4]);
          context.beginPath();
          context.moveTo(position, area.top);
          context.lineTo(position, area.bottom);
          context.stroke();
          context.restore();
        });
      }
    }]
  });
})();
