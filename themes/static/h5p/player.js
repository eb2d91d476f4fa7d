/*
 * The parent side of the H5P player (our page, our origin). The activity runs in a sandboxed
 * iframe with an opaque origin; it can only talk to us with postMessage. We accept messages
 * from that very iframe only, check their shape, and POST each xAPI statement to our API with
 * the member's session and CSRF token — which the activity itself never sees.
 */
(function () {
  "use strict";

  var MAX_HEIGHT = 20000;
  var RETRY_DELAYS = [2000, 5000, 15000];

  function uuid4() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function isPlainObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function setup(player) {
    // The include may appear several times on a page, each loading this script.
    if (player.dataset.h5pBound) {
      return;
    }
    player.dataset.h5pBound = "true";
    var frame = player.querySelector("iframe");
    var data = player.dataset;
    var message = player.querySelector("[data-h5p-message]");
    var done = player.querySelector("[data-h5p-done]");
    var queue = Promise.resolve();

    function say(text, isError) {
      message.textContent = text;
      message.classList.toggle("is-error", !!isError);
    }

    function post(body, attempt) {
      return fetch(data.xapiUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": data.csrfToken },
        body: JSON.stringify(body),
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (response.ok) {
            return answer;
          }
          // Refusals carry a reason in the member's language; anything else is "try again".
          var error = new Error(answer.detail || data.failedText);
          error.status = response.status;
          error.answer = answer;
          throw error;
        });
      }).catch(function (error) {
        // Network trouble and server hiccups are retried with the same statement id (the
        // server stores it once); refusals are not.
        var retriable = !error.status || error.status >= 500 || error.status === 429;
        if (retriable && attempt < RETRY_DELAYS.length) {
          say(data.failedText, true);
          return new Promise(function (resolve) {
            window.setTimeout(resolve, RETRY_DELAYS[attempt]);
          }).then(function () { return post(body, attempt + 1); });
        }
        throw error;
      });
    }

    function send(body) {
      queue = queue.then(function () {
        return post(body, 0).then(function (answer) {
          if (answer.completed) {
            done.hidden = false;
            say(answer.newly_completed ? data.completedText : "", false);
          } else if (body.statement.result) {
            say(data.savedText, false);
          }
          player.dispatchEvent(new CustomEvent("h5p:statement", { bubbles: true, detail: answer }));
        }, function (error) {
          var code = error.answer && error.answer.code;
          if (code === "too_soon") {
            // A completion counts once the activity has been open a little while: the same
            // statement (same id) goes again when the server says it will count.
            say(data.waitText, false);
            var seconds = Math.min(Math.max(Number(error.answer.retry_after) || 1, 1), 600);
            window.setTimeout(function () { send(body); }, seconds * 1000 + 250);
          } else if (code === "grant_expired") {
            say(data.reloadText, true);
          } else {
            say(error.status ? error.message : data.failedText, true);
          }
        });
      });
    }

    function record(statement) {
      var copy = Object.assign({}, statement);
      // The activity does not know who the member is; the server sets the actor.
      delete copy.actor;
      copy.id = uuid4();
      send({ grant: data.grant, statement: copy });
    }

    // The frame holds its messages until we say hello (we may have started after it).
    // Its origin is opaque, so "*" is the only target origin that reaches it; the hello
    // carries nothing.
    function hello() {
      if (frame.contentWindow) {
        frame.contentWindow.postMessage({ type: "h5p:hello" }, "*");
      }
    }

    window.addEventListener("message", function (event) {
      // Only our own iframe; sandboxed without allow-same-origin it posts from origin "null".
      if (event.source !== frame.contentWindow || event.origin !== "null") {
        return;
      }
      var payload = event.data;
      if (!isPlainObject(payload)) {
        return;
      }
      if (payload.type === "h5p:loaded") {
        hello();
      } else if (payload.type === "h5p:xapi" && isPlainObject(payload.statement)) {
        record(payload.statement);
      } else if (payload.type === "h5p:resize" && typeof payload.height === "number" && isFinite(payload.height)) {
        frame.style.height = Math.min(Math.max(Math.ceil(payload.height), 150), MAX_HEIGHT) + "px";
      } else if (payload.type === "h5p:error") {
        say(data.loadErrorText, true);
      } else if (payload.type === "h5p:ready") {
        player.classList.add("is-ready");
      }
    });
    hello();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-h5p-player]"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
