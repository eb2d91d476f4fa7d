// Lesson page: shows progress as heartbeats are answered, and reports time on the page.
// The video player (media_pipeline) sends its own heartbeats and announces each answer with a
// `lesson:progress` event; this script sends page heartbeats without `position`/`played`, which
// count as reading time only. Its first one, at once, says the lesson was `opened`: that starts
// the lesson's clocks (the page's GET writes nothing).
(function () {
  "use strict";
  var root = document.querySelector("[data-lesson-root]");
  if (!root) return;
  var url = root.getAttribute("data-heartbeat-url");
  var INTERVAL_MS = 15000;

  function render(data) {
    if (!data) return;
    var bar = root.querySelector("[data-lesson-percent]");
    var text = root.querySelector("[data-lesson-percent-text]");
    if (bar && typeof data.percent === "number") bar.value = data.percent;
    if (reading && typeof data.read_seconds === "number") {
      // The server's count wins when it is ahead (another tab, a slow timer in the background).
      var shown = parseFloat(reading.getAttribute("data-read-done") || "0");
      if (data.read_seconds > shown) reading.setAttribute("data-read-done", String(data.read_seconds));
      showReading();
    }
    if (text && typeof data.percent === "number") text.textContent = Math.floor(data.percent) + "%";
    var state = root.querySelector("[data-lesson-state]");
    if (state && data.completed && !state.hasAttribute("data-done")) {
      var badge = document.createElement("span");
      badge.className = "badge badge--done";
      badge.textContent = state.getAttribute("data-done-text");
      state.replaceChildren(badge);
      state.setAttribute("data-done", "");
      root.querySelectorAll("[data-condition]").forEach(function (item) {
        item.classList.add("is-met");
        item.firstElementChild.textContent = "✔";
      });
    }
  }

  // The reading condition counts down while the page is in view and ticks when it is met
  // (the server decides completion from the heartbeats; this only shows the time left).
  var reading = root.querySelector("[data-condition=read]");
  var readLeft = reading && reading.querySelector("[data-read-left]");
  function clock(seconds) {
    var s = Math.max(0, Math.ceil(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function showReading() {
    if (!readLeft) return;
    var left = parseFloat(reading.getAttribute("data-read-required")) -
      parseFloat(reading.getAttribute("data-read-done") || "0");
    if (left <= 0) {
      reading.classList.add("is-met");
      reading.firstElementChild.textContent = "✔";
      readLeft.textContent = "";
      readLeft = null;
      return;
    }
    readLeft.textContent = reading.getAttribute("data-left-text").replace("{time}", clock(left));
  }
  if (readLeft) {
    showReading();
    window.setInterval(function () {
      if (!readLeft || document.visibilityState !== "visible") return;
      var done = parseFloat(reading.getAttribute("data-read-done") || "0") + 1;
      reading.setAttribute("data-read-done", String(done));
      showReading();
    }, 1000);
  }

  document.addEventListener("lesson:progress", function (event) { render(event.detail); }, true);
  if (!url) return;

  function beat(leaving, opened) {
    if (!leaving && !opened && document.visibilityState !== "visible") return;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!leaving,
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": root.getAttribute("data-csrf-token"),
      },
      body: JSON.stringify(opened ? { played: [], opened: true } : { played: [] }),
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(render)
      .catch(function () { /* offline: the next heartbeat reports the time */ });
  }

  beat(false, true);
  window.setInterval(function () { beat(false, false); }, INTERVAL_MS);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") beat(true);
  });
})();
