/*
 * File inputs with data-max-bytes (lms/core/uploads.py): a file larger than that is refused
 * as soon as it is chosen — the input is emptied and the reason shown next to it — instead of
 * being uploaded for minutes only to be turned away by the server.
 */
(function () {
  "use strict";

  function formatSize(bytes) {
    var units = ["B", "KB", "MB", "GB", "TB"];
    var size = bytes;
    var unit = 0;
    while (size >= 1024 && unit < units.length - 1) {
      size /= 1024;
      unit += 1;
    }
    return (unit === 0 ? size : size.toFixed(1)) + " " + units[unit];
  }

  function messageFor(input) {
    var next = input.nextElementSibling;
    if (next && next.hasAttribute("data-upload-limit-message")) {
      return next;
    }
    var message = document.createElement("p");
    message.className = "error-message";
    message.setAttribute("data-upload-limit-message", "");
    message.setAttribute("role", "alert");
    input.insertAdjacentElement("afterend", message);
    return message;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxBytes) {
      return;
    }
    var limit = Number(input.dataset.maxBytes);
    var tooLarge = Array.prototype.find.call(input.files || [], function (file) {
      return file.size > limit;
    });
    var message = messageFor(input);
    if (tooLarge) {
      message.textContent = input.dataset.tooLarge.replace("{size}", formatSize(tooLarge.size));
      message.hidden = false;
      input.value = "";
    } else {
      message.textContent = "";
      message.hidden = true;
    }
  });
})();
