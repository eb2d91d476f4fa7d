/*
 * Runs inside the sandboxed iframe (an opaque origin, no access to the site's cookies or
 * pages): plays the package with h5p-standalone and hands what the parent page needs to it
 * with postMessage — every xAPI statement, and the content's height.
 */
(function () {
  "use strict";

  // The sandbox gives this page no storage of its own (an opaque origin may not keep data);
  // H5P core reaches for localStorage anyway, so it gets one that lives as long as the page.
  function memoryStorage() {
    var items = {};
    return {
      get length() { return Object.keys(items).length; },
      key: function (index) { return Object.keys(items)[index] || null; },
      getItem: function (key) { return Object.prototype.hasOwnProperty.call(items, key) ? items[key] : null; },
      setItem: function (key, value) { items[key] = String(value); },
      removeItem: function (key) { delete items[key]; },
      clear: function () { items = {}; },
    };
  }
  ["localStorage", "sessionStorage"].forEach(function (name) {
    try {
      if (window[name]) {
        return;
      }
    } catch (error) {
      // SecurityError: no storage in a sandboxed document.
    }
    Object.defineProperty(window, name, { value: memoryStorage(), configurable: true });
  });

  var container = document.getElementById("h5p-container");
  var data = container.dataset;
  var parentOrigin = data.parentOrigin;

  // The parent page may still be loading when the activity is ready (a member can answer
  // before the page's own script listens): messages wait until the parent says hello.
  var parentReady = false;
  var pending = [];

  function tell(message) {
    if (parentReady) {
      window.parent.postMessage(message, parentOrigin);
    } else {
      pending.push(message);
    }
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || event.origin !== parentOrigin) {
      return;
    }
    if (event.data && event.data.type === "h5p:hello" && !parentReady) {
      parentReady = true;
      pending.splice(0).forEach(function (message) {
        window.parent.postMessage(message, parentOrigin);
      });
    }
  });
  // Say so until the parent answers: a message sent before its script listens is lost.
  function announce() {
    if (!parentReady) {
      window.parent.postMessage({ type: "h5p:loaded" }, parentOrigin);
      window.setTimeout(announce, 500);
    }
  }
  announce();

  function showError() {
    document.getElementById("h5p-error").hidden = false;
    tell({ type: "h5p:error" });
  }

  var lastHeight = 0;
  function reportHeight() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== lastHeight) {
      lastHeight = height;
      tell({ type: "h5p:resize", height: height });
    }
  }
  if (window.ResizeObserver) {
    new ResizeObserver(reportHeight).observe(document.body);
  } else {
    window.setInterval(reportHeight, 500);
  }

  var options = {
    h5pJsonPath: data.h5pJsonPath,
    frameJs: data.frameJs,
    frameCss: data.frameCss,
    xAPIObjectIRI: data.xapiObjectIri,
    // Our iframe already isolates the content: H5P renders straight into this page (its
    // own iframe mode needs an inline script the frame's CSP forbids).
    embedType: "div",
    frame: false,
    copyright: false,
    export: false,
    embed: false,
    icon: false,
    fullScreen: false,
    // Init ourselves after the xAPI listener is attached, so no statement is missed.
    preventH5PInit: false,
  };

  try {
    new window.H5PStandalone.H5P(container, options)
      .then(function () {
        window.H5P.externalDispatcher.on("xAPI", function (event) {
          tell({ type: "h5p:xapi", statement: JSON.parse(JSON.stringify(event.data.statement)) });
        });
        window.H5P.init(document.body);
        tell({ type: "h5p:ready" });
        reportHeight();
      })
      .catch(function (error) { console.error("h5p frame", error && error.stack || error); showError(); });
  } catch (error) {
    showError();
  }
})();
