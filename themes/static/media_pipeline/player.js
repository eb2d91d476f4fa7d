// The lecture video player (themes/templates/media_pipeline/player.html).
//
// hls.js where the browser has Media Source Extensions (quality switch, adaptive bitrate),
// otherwise the browser's own HLS (iOS Safari). Heartbeats follow the contract in
// coord/CONTRACTS.md: POST {"position", "played": [[start, end], …]} every 12 s and on
// pause / ended / page hide, with X-CSRFToken; `played` holds only time actually played since
// the last heartbeat (a seek closes the range, seeked-over time is never in it). Each answer
// is dispatched as a `lesson:progress` CustomEvent on the player element.
(function () {
  "use strict";

  const HEARTBEAT_MS = 12000;
  const SEEK_STEP = 5;
  // timeupdate fires every 250 ms (about 1 s in a background tab); a larger jump is a seek.
  const MAX_GAP = 1.5;

  function formatTime(seconds) {
    const s = Math.max(0, Math.floor(seconds || 0));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const ss = String(s % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
  }

  function round(value) {
    return Math.round(value * 1000) / 1000;
  }

  // --- what was played -------------------------------------------------------------------

  class PlayedRanges {
    constructor() {
      this.closed = [];
      this.open = null;
    }

    // Called on every timeupdate while playing.
    observe(time, rate) {
      if (this.open && time >= this.open[1] && time - this.open[1] <= MAX_GAP * Math.max(1, rate)) {
        this.open[1] = time;
      } else {
        this.close();
        this.open = [time, time];
      }
    }

    // Extend to `time` if it continues the open range (pause, ended), then close it.
    close(time) {
      if (this.open && time !== undefined && time >= this.open[1] && time - this.open[1] <= MAX_GAP) {
        this.open[1] = time;
      }
      if (this.open && this.open[1] > this.open[0]) {
        this.closed.push([round(this.open[0]), round(this.open[1])]);
      }
      this.open = null;
    }

    // Everything played so far; an open range is cut here and goes on from `time`.
    take(time) {
      const playing = this.open !== null;
      this.close(time);
      const taken = this.closed;
      this.closed = [];
      if (playing) {
        this.open = [time, time];
      }
      return taken;
    }

    giveBack(ranges) {
      this.closed = ranges.concat(this.closed);
    }
  }

  // --- scrub previews --------------------------------------------------------------------

  function parseTimestamp(text) {
    const parts = text.trim().split(":").map(Number);
    return parts.reduce((total, part) => total * 60 + part, 0);
  }

  function loadThumbnails(url) {
    if (!url) {
      return Promise.resolve([]);
    }
    return fetch(url, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : ""))
      .then((text) => {
        const cues = [];
        const lines = text.split(/\r?\n/);
        for (let i = 0; i < lines.length; i += 1) {
          if (!lines[i].includes("-->")) {
            continue;
          }
          const [start, end] = lines[i].split("-->");
          const [image, fragment] = (lines[i + 1] || "").split("#xywh=");
          if (!fragment) {
            continue;
          }
          const [x, y, w, h] = fragment.split(",").map(Number);
          cues.push({
            start: parseTimestamp(start),
            end: parseTimestamp(end),
            url: new URL(image, new URL(url, window.location.href)).href,
            x, y, w, h,
          });
        }
        return cues;
      })
      .catch(() => []);
  }

  // --- the player ------------------------------------------------------------------------

  function setup(root) {
    const video = root.querySelector("video");
    const playButton = root.querySelector("[data-action=play]");
    const muteButton = root.querySelector("[data-action=mute]");
    const fullscreenButton = root.querySelector("[data-action=fullscreen]");
    const seek = root.querySelector("[data-control=seek]");
    const timeLabel = root.querySelector("[data-time]");
    const speed = root.querySelector("[data-control=speed]");
    const quality = root.querySelector("[data-control=quality]");
    const captions = root.querySelector("[data-control=captions]");
    const message = root.querySelector(".video-player__message");
    const thumb = root.querySelector(".video-player__thumb");
    const thumbImage = root.querySelector(".video-player__thumb-image");
    const thumbTime = root.querySelector(".video-player__thumb-time");
    const data = root.dataset;
    const played = new PlayedRanges();
    let hls = null;
    let dragging = false;
    let thumbnails = [];
    let inFlight = false;
    let sendAgain = false;
    let lastSentPosition = null;

    function showError() {
      message.textContent = data.labelError;
      message.hidden = false;
    }

    // -- signed URLs, renewed before they expire
    // Every URL of the video carries "/<expires>/<signature>/" in its path (the playlists'
    // relative URLs inherit it, media_pipeline/delivery.py). Before it expires the player asks
    // data.renewUrl for new ones; hls.js's later requests get the new signature from
    // xhrSetup, the browser's own HLS is pointed at the new master playlist if a request fails.
    const SIGNED = /\/\d+\/[0-9A-Za-z_-]{22}\//;
    let signedPart = (data.hlsUrl.match(SIGNED) || [""])[0];
    let currentUrl = data.hlsUrl;
    let expiresAt = parseInt(data.expiresAt, 10) || 0;

    function resign(url) {
      return signedPart && SIGNED.test(url) ? url.replace(SIGNED, signedPart) : url;
    }

    function scheduleRenewal() {
      if (!data.renewUrl || !expiresAt) {
        return;
      }
      const left = expiresAt * 1000 - Date.now();
      const wait = Math.max(1000, left - Math.min(300000, left / 2));
      window.setTimeout(renew, wait);
    }

    function renew() {
      fetch(data.renewUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : null))
        .then((fresh) => {
          if (fresh && fresh.hls_url) {
            currentUrl = fresh.hls_url;
            signedPart = (fresh.hls_url.match(SIGNED) || [signedPart])[0];
            expiresAt = fresh.expires_at || expiresAt;
            root.dataset.renewedAt = String(Date.now());
            if (fresh.thumbnails_url) {
              loadThumbnails(fresh.thumbnails_url).then((cues) => { thumbnails = cues; });
            }
          }
          scheduleRenewal();
        })
        .catch(() => window.setTimeout(renew, 15000));
    }

    // -- source
    if (window.Hls && window.Hls.isSupported()) {
      hls = new window.Hls({
        capLevelToPlayerSize: true,
        xhrSetup(xhr, url) {
          xhr.open("GET", resign(url), true);
        },
      });
      hls.loadSource(data.hlsUrl);
      hls.attachMedia(video);
      hls.on(window.Hls.Events.MANIFEST_PARSED, () => {
        const levels = hls.levels
          .map((level, index) => ({ index, height: level.height }))
          .filter((level) => level.height)
          .sort((a, b) => b.height - a.height);
        if (levels.length > 1) {
          levels.forEach((level) => {
            const option = document.createElement("option");
            option.value = String(level.index);
            option.textContent = `${level.height}p`;
            quality.append(option);
          });
          root.querySelector("[data-quality]").hidden = false;
        }
      });
      hls.on(window.Hls.Events.LEVEL_SWITCHED, (_event, info) => {
        const level = hls.levels[info.level];
        const auto = quality.querySelector("option[value='-1']");
        auto.textContent = level && level.height && hls.autoLevelEnabled
          ? `${data.labelAuto} (${level.height}p)`
          : data.labelAuto;
      });
      hls.on(window.Hls.Events.ERROR, (_event, error) => {
        if (!error.fatal) {
          return;
        }
        if (error.type === window.Hls.ErrorTypes.NETWORK_ERROR) {
          hls.startLoad();
        } else if (error.type === window.Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
        } else {
          showError();
        }
      });
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = data.hlsUrl;
      video.addEventListener("error", () => {
        if (currentUrl !== video.currentSrc) {
          const at = video.currentTime;
          video.src = currentUrl;
          video.addEventListener("loadedmetadata", () => { video.currentTime = at; }, { once: true });
        }
      });
    } else {
      showError();
      return;
    }
    root.dataset.engine = hls ? "hls.js" : "native";
    scheduleRenewal();

    // -- resume where the member left off
    video.addEventListener("loadedmetadata", () => {
      const resume = parseFloat(data.resumePosition) || 0;
      if (resume > 1 && resume < video.duration - 3) {
        video.currentTime = resume;
      }
      seek.max = String(video.duration);
      updateTime();
    }, { once: true });

    // -- heartbeats
    function send(options = {}) {
      if (!data.heartbeatUrl) {
        return;
      }
      if (inFlight) {
        // Whatever happened meanwhile (a pause, the end) goes out as soon as this one is back.
        sendAgain = true;
        return;
      }
      const position = round(video.currentTime || 0);
      const ranges = played.take(video.currentTime || 0);
      if (!ranges.length && position === lastSentPosition) {
        return;
      }
      inFlight = true;
      fetch(data.heartbeatUrl, {
        method: "POST",
        credentials: "same-origin",
        keepalive: Boolean(options.keepalive),
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": data.csrfToken,
        },
        body: JSON.stringify({ position, played: ranges }),
      })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((answer) => {
          lastSentPosition = position;
          root.dispatchEvent(new CustomEvent("lesson:progress", { detail: answer, bubbles: true }));
        })
        .catch(() => played.giveBack(ranges))
        .finally(() => {
          inFlight = false;
          if (sendAgain) {
            sendAgain = false;
            send(options);
          }
        });
    }

    window.setInterval(() => {
      if (!video.paused) {
        send();
      }
    }, HEARTBEAT_MS);
    video.addEventListener("timeupdate", () => {
      if (!video.paused && !video.seeking) {
        played.observe(video.currentTime, video.playbackRate);
      }
      updateTime();
    });
    video.addEventListener("seeking", () => played.close());
    video.addEventListener("pause", () => {
      played.close(video.currentTime);
      send();
    });
    video.addEventListener("ended", () => {
      played.close(video.duration);
      send();
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") {
        send({ keepalive: true });
      }
    });
    window.addEventListener("pagehide", () => send({ keepalive: true }));

    // -- controls
    function updateTime() {
      if (!dragging) {
        seek.value = String(video.currentTime || 0);
      }
      seek.setAttribute("aria-valuetext", `${formatTime(video.currentTime)} / ${formatTime(video.duration)}`);
      timeLabel.textContent = `${formatTime(video.currentTime)} / ${formatTime(video.duration)}`;
    }

    function togglePlay() {
      if (video.paused || video.ended) {
        video.play().catch(() => {});
      } else {
        video.pause();
      }
    }

    function showIcon(button, name) {
      button.querySelectorAll("[data-icon]").forEach((icon) => {
        icon.toggleAttribute("hidden", icon.dataset.icon !== name);
      });
    }

    function syncPlayButton() {
      const paused = video.paused || video.ended;
      playButton.setAttribute("aria-label", paused ? data.labelPlay : data.labelPause);
      showIcon(playButton, paused ? "play" : "pause");
    }

    function syncMuteButton() {
      muteButton.setAttribute("aria-label", video.muted ? data.labelUnmute : data.labelMute);
      showIcon(muteButton, video.muted ? "muted" : "sound");
    }

    function skip(seconds) {
      video.currentTime = Math.min(Math.max(0, video.currentTime + seconds), video.duration || 0);
    }

    function showCaptions(index) {
      Array.from(video.textTracks).forEach((track, i) => {
        track.mode = String(i) === String(index) ? "showing" : "disabled";
      });
    }

    playButton.addEventListener("click", togglePlay);
    video.addEventListener("click", togglePlay);
    video.addEventListener("play", syncPlayButton);
    video.addEventListener("pause", syncPlayButton);
    video.addEventListener("ended", syncPlayButton);
    muteButton.addEventListener("click", () => {
      video.muted = !video.muted;
    });
    video.addEventListener("volumechange", syncMuteButton);
    speed.addEventListener("change", () => {
      video.playbackRate = parseFloat(speed.value);
    });
    quality.addEventListener("change", () => {
      if (hls) {
        hls.currentLevel = parseInt(quality.value, 10);
      }
    });
    if (captions) {
      captions.addEventListener("change", () => showCaptions(captions.value));
      showCaptions("");
    }
    if (fullscreenButton) {
      fullscreenButton.addEventListener("click", () => {
        if (document.fullscreenElement) {
          document.exitFullscreen();
        } else if (root.requestFullscreen) {
          root.requestFullscreen().catch(() => {});
        } else if (video.webkitEnterFullscreen) {
          video.webkitEnterFullscreen();
        }
      });
    }
    seek.addEventListener("input", () => {
      dragging = true;
      showThumbnail(parseFloat(seek.value), seek.value / (seek.max || 1));
    });
    seek.addEventListener("change", () => {
      dragging = false;
      video.currentTime = parseFloat(seek.value);
      thumb.hidden = true;
    });

    // -- scrub previews
    function showThumbnail(time, fraction) {
      const cue = thumbnails.find((c) => time >= c.start && time < c.end);
      if (!cue) {
        thumb.hidden = true;
        return;
      }
      thumbImage.style.width = `${cue.w}px`;
      thumbImage.style.height = `${cue.h}px`;
      thumbImage.style.backgroundImage = `url("${cue.url}")`;
      thumbImage.style.backgroundPosition = `-${cue.x}px -${cue.y}px`;
      thumbTime.textContent = formatTime(time);
      const stage = root.querySelector(".video-player__stage").getBoundingClientRect();
      const bar = seek.getBoundingClientRect();
      const left = bar.left - stage.left + fraction * bar.width - cue.w / 2;
      thumb.style.left = `${Math.min(Math.max(0, left), stage.width - cue.w)}px`;
      thumb.hidden = false;
    }

    loadThumbnails(data.thumbnailsUrl).then((cues) => {
      thumbnails = cues;
    });
    seek.addEventListener("pointermove", (event) => {
      const bar = seek.getBoundingClientRect();
      const fraction = Math.min(Math.max(0, (event.clientX - bar.left) / bar.width), 1);
      showThumbnail(fraction * (video.duration || 0), fraction);
    });
    seek.addEventListener("pointerleave", () => {
      if (!dragging) {
        thumb.hidden = true;
      }
    });

    // -- keyboard: anywhere in the player, except where the key already means something
    root.addEventListener("keydown", (event) => {
      const target = event.target;
      const inField = target.tagName === "SELECT" || target === seek;
      if (event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      const key = event.key;
      let handled = true;
      if ((key === " " && target.tagName !== "BUTTON" && !inField) || key === "k" || key === "K") {
        togglePlay();
      } else if (key === "ArrowLeft" && !inField) {
        skip(-SEEK_STEP);
      } else if (key === "ArrowRight" && !inField) {
        skip(SEEK_STEP);
      } else if (key === "ArrowUp" && !inField) {
        video.volume = Math.min(1, video.volume + 0.1);
      } else if (key === "ArrowDown" && !inField) {
        video.volume = Math.max(0, video.volume - 0.1);
      } else if (key === "m" || key === "M") {
        video.muted = !video.muted;
      } else if ((key === "c" || key === "C") && captions) {
        captions.selectedIndex = captions.selectedIndex === 0 ? 1 : 0;
        showCaptions(captions.value);
      } else if ((key === "f" || key === "F") && fullscreenButton) {
        fullscreenButton.click();
      } else {
        handled = false;
      }
      if (handled) {
        event.preventDefault();
      }
    });
    root.tabIndex = 0;
    syncPlayButton();
    syncMuteButton();
  }

  function init() {
    document.querySelectorAll("[data-video-player]:not([data-ready])").forEach((root) => {
      root.dataset.ready = "true";
      if (root.querySelector("video")) {
        setup(root);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
