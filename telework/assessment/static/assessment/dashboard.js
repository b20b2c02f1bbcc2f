/* The pilot dashboard's charts (Chart.js, served locally). Data comes from json_script blocks; no inline script, so
   the page works under a strict Content-Security-Policy. Every chart has a table with the same numbers. */
(function () {
  "use strict";

  var COLOURS = { pilot: "#0d6efd", comparison: "#fd7e14", all: "#198754", one: "#9ec5fe", two: "#3d8bfd", three: "#0a58ca" };

  function data(id) {
    var element = document.getElementById(id);
    if (!element) { return null; }
    try { return JSON.parse(element.textContent); } catch (error) { return null; }
  }

  function formatter(unit) {
    var format = new Intl.NumberFormat(document.documentElement.lang || "vi", { maximumFractionDigits: 1 });
    return function (value) { return value === null || value === undefined ? "—" : format.format(value) + (unit === "%" || unit.indexOf("%") >= 0 ? " %" : ""); };
  }

  /* Vertical dashed lines at the phase's start and its waves' starts, with their labels. */
  var markers = {
    id: "telework-markers",
    afterDatasetsDraw: function (chart, args, options) {
      var list = (options && options.items) || [];
      var x = chart.scales.x, area = chart.chartArea, context = chart.ctx;
      list.forEach(function (marker, index) {
        var position = x.getPixelForValue(marker.index);
        if (position < area.left || position > area.right) { return; }
        context.save();
        context.strokeStyle = "#6c757d";
        context.setLineDash([5, 4]);
        context.beginPath();
        context.moveTo(position, area.top);
        context.lineTo(position, area.bottom);
        context.stroke();
        context.setLineDash([]);
        context.fillStyle = "#495057";
        context.font = "11px system-ui, sans-serif";
        context.textAlign = position > (area.left + area.right) / 2 ? "right" : "left";
        context.fillText(marker.label, position + (context.textAlign === "left" ? 4 : -4), area.top + 12 + 13 * index);
        context.restore();
      });
    }
  };

  function weekly(canvasId, payload, stacked) {
    var canvas = document.getElementById(canvasId);
    if (!canvas || !payload || !payload.labels || typeof Chart === "undefined") { return; }
    var format = formatter(payload.unit || "");
    new Chart(canvas, {
      type: stacked ? "bar" : "line",
      data: {
        labels: payload.labels,
        datasets: payload.series.map(function (series) {
          return {
            label: series.label,
            data: series.values,
            borderColor: COLOURS[series.key] || "#6c757d",
            backgroundColor: COLOURS[series.key] || "#6c757d",
            pointRadius: 0,
            borderWidth: 2,
            spanGaps: false,
            stack: stacked ? "bands" : undefined
          };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { stacked: !!stacked, ticks: { maxTicksLimit: 8, autoSkip: true, autoSkipPadding: 16, maxRotation: 0 } },
          y: { stacked: !!stacked, beginAtZero: !!stacked, ticks: { callback: format }, title: { display: true, text: payload.unit || "" } }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (item) { return item.dataset.label + ": " + format(item.raw); } } },
          "telework-markers": { items: payload.markers || [] }
        }
      },
      plugins: [markers]
    });
  }

  /* The event study: each period's estimate as a point, its 95 % interval as a floating bar. */
  function eventStudy(canvasId, payload) {
    var canvas = document.getElementById(canvasId);
    if (!canvas || !payload || !payload.labels || typeof Chart === "undefined") { return; }
    var format = formatter(payload.unit || "");
    new Chart(canvas, {
      data: {
        labels: payload.labels,
        datasets: [
          { type: "bar", label: payload.intervalLabel, data: payload.intervals, backgroundColor: "rgba(13, 110, 253, 0.25)", barPercentage: 0.25 },
          { type: "line", label: payload.estimateLabel, data: payload.estimates, borderColor: "#0d6efd", backgroundColor: "#0d6efd", showLine: false, pointRadius: 4 }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { ticks: { callback: format }, title: { display: true, text: payload.unit || "" } } },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                if (Array.isArray(item.raw)) { return item.dataset.label + ": " + format(item.raw[0]) + " – " + format(item.raw[1]); }
                return item.dataset.label + ": " + format(item.raw);
              }
            }
          },
          "telework-markers": { items: payload.markers || [] }
        }
      },
      plugins: [markers]
    });
  }

  /* Picking another agency leaves the unit picked for the previous one. */
  var agency = document.getElementById("filter-agency");
  var unit = document.getElementById("filter-unit");
  if (agency && unit) {
    agency.addEventListener("change", function () { unit.value = ""; unit.disabled = true; });
  }

  weekly("trend-chart", data("trend-data"), false);
  weekly("satisfaction-chart", data("satisfaction-data"), false);
  weekly("participation-chart", data("participation-data"), true);
  eventStudy("event-study-chart", data("event-study-data"));
})();
