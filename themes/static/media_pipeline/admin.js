// Video library in the Wagtail admin: keep the progress of queued and converting videos
// current by asking the API every few seconds; reload once a video is done or has failed.
(function () {
  "use strict";
  const POLL_MS = 3000;

  function poll(element) {
    const url = element.dataset.videoStatusUrl;
    const bar = element.querySelector("progress");
    const percent = element.querySelector("[data-video-percent]");
    const label = element.querySelector("[data-video-status-label]");
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((video) => {
          if (video.status === "ready" || video.status === "failed") {
            window.location.reload();
            return;
          }
          bar.value = video.progress;
          bar.textContent = `${video.progress}%`;
          percent.textContent = `${video.progress}%`;
          if (video.status === "processing" && element.dataset.videoStatus !== "processing") {
            element.dataset.videoStatus = "processing";
            label.textContent = label.dataset.processingText;
          }
          window.setTimeout(tick, POLL_MS);
        })
        .catch(() => window.setTimeout(tick, POLL_MS * 3));
    }
    window.setTimeout(tick, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-video-status-url]").forEach(poll);
  });
})();
