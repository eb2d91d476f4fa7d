// Dashboards: draws the charts described by <script type="application/json"> blocks (made
// with json_script, so no inline script runs), submits the tree picker on change, and follows
// an export's progress until its file can be downloaded.
(function () {
  "use strict";

  var style = getComputedStyle(document.documentElement);
  function colour(name, fallback) {
    var value = style.getPropertyValue(name).trim();
    return value || fallback;
  }
  // Party red first, then colours that stay apart for colour-blind readers.
  var PALETTE = [colour("--primary", "#b71c1c"), "#e0a100", "#9e9e9e", "#1f77b4", "#2e7d32"];

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var horizontal = !!spec.horizontal;
    var datasets = spec.datasets.map(function (set, i) {
      var c = PALETTE[i % PALETTE.length];
      var data = {
        label: set.label,
        data: set.data,
        backgroundColor: c,
        borderColor: c,
        borderWidth: spec.type === "line" ? 2 : 0,
        tension: 0.25,
        pointRadius: 3
      };
      if (set.axis === "y2") {
        data.yAxisID = "y2";
        data.type = "bar";
        data.backgroundColor = "rgba(224, 161, 0, 0.45)";
        data.order = 2;
      }
      return data;
    });
    var valueAxis = {
      beginAtZero: true,
      stacked: !!spec.stacked,
      ticks: { precision: 0 }
    };
    if (spec.percent) valueAxis.max = 100;
    var scales = {};
    scales[horizontal ? "x" : "y"] = valueAxis;
    scales[horizontal ? "y" : "x"] = { stacked: !!spec.stacked, ticks: { autoSkip: true } };
    if (datasets.some(function (d) { return d.yAxisID === "y2"; })) {
      scales.y2 = { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } };
    }
    canvas.chart = new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        responsive: true,
        animation: false,
        scales: scales,
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
      }
    });
    canvas.setAttribute("data-chart-ready", "");
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);

  // A button that sends something (reminders) is pressed once: it disables itself on submit.
  document.querySelectorAll("button[data-once]").forEach(function (button) {
    button.form.addEventListener("submit", function () {
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });

  document.querySelectorAll("[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  var tracker = document.querySelector("[data-export-status-url]");
  if (tracker) {
    var url = tracker.getAttribute("data-export-status-url");
    var bar = tracker.querySelector("progress");
    var label = tracker.querySelector("[data-export-status]");
    var link = tracker.querySelector("[data-export-download]");
    var error = tracker.querySelector("[data-export-error]");
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          bar.value = data.progress;
          label.textContent = data.status_display + " · " + data.progress + "%";
          if (data.download_url) {
            link.href = data.download_url;
            link.hidden = false;
            return;
          }
          if (data.status === "failed") {
            error.textContent = data.error;
            error.hidden = false;
            return;
          }
          window.setTimeout(poll, 1500);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    if (!tracker.hasAttribute("data-finished")) poll();
  }
})();
