/* Quiz blocks: take a quiz without leaving the page (a lesson), count down to the deadline
   the server enforces, keep a draft of the answers across reloads.

   Every quiz form works without this script (plain POST, full page). With it, the same forms
   are posted with fetch() and the server answers with the block's new HTML, which replaces
   the block. Nothing here knows an answer: grading happens on the server. */
(function () {
  "use strict";
  if (window.partyMoocQuizzes) return; // the block may appear (and load this file) twice
  window.partyMoocQuizzes = true;

  var DRAFT_PREFIX = "quiz-draft-";

  function draftKey(form) {
    return DRAFT_PREFIX + form.dataset.quizAttempt;
  }

  function saveDraft(form) {
    if (!form.dataset.quizAttempt) return;
    var answers = {};
    new FormData(form).forEach(function (value, name) {
      if (name.charAt(0) !== "q") return;
      (answers[name] = answers[name] || []).push(value);
    });
    try {
      sessionStorage.setItem(draftKey(form), JSON.stringify(answers));
    } catch (e) { /* private mode: no draft, nothing lost but the convenience */ }
  }

  function restoreDraft(form) {
    var saved;
    try {
      saved = JSON.parse(sessionStorage.getItem(draftKey(form)) || "{}");
    } catch (e) {
      return;
    }
    Object.keys(saved).forEach(function (name) {
      var values = saved[name];
      form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
        if (input.type === "radio" || input.type === "checkbox") {
          input.checked = values.indexOf(input.value) !== -1;
        } else {
          input.value = values[0] || "";
        }
      });
    });
  }

  function unanswered(form) {
    var missing = 0;
    form.querySelectorAll("[data-quiz-question]").forEach(function (fieldset) {
      var inputs = fieldset.querySelectorAll("input");
      var done = Array.prototype.some.call(inputs, function (input) {
        return input.type === "text" ? input.value.trim() !== "" : input.checked;
      });
      if (!done) missing += 1;
    });
    return missing;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function startTimer(block) {
    var holder = block.querySelector("[data-quiz-deadline]");
    if (!holder) return;
    var deadline = Date.parse(holder.dataset.quizDeadline);
    var display = holder.querySelector("[data-quiz-timer]");
    var form = block.querySelector("form[data-quiz-attempt]");
    function tick() {
      if (!document.body.contains(holder)) return;
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      display.textContent = pad(Math.floor(left / 60)) + ":" + pad(left % 60);
      holder.classList.toggle("is-urgent", left <= 60);
      if (left <= 1) {
        // Submit on time: the server refuses answers that arrive after the deadline.
        if (form && !form.dataset.quizSent) {
          form.dataset.quizAutoSubmit = "1";
          holder.textContent = form.dataset.quizTimeUp;
          submitForm(form);
        }
        return;
      }
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  function init(block) {
    var form = block.querySelector("form[data-quiz-attempt]");
    if (form) restoreDraft(form);
    startTimer(block);
  }

  function submitForm(form) {
    if (form.dataset.quizSent) return;
    form.dataset.quizSent = "1";
    var block = form.closest("[data-quiz-block]");
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Quiz-Fragment": "1" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        if (form.dataset.quizAttempt) {
          try { sessionStorage.removeItem(draftKey(form)); } catch (e) { /* ignore */ }
        }
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.querySelector("[data-quiz-block]");
        if (!fresh) throw new Error("no quiz block in the answer");
        block.replaceWith(fresh);
        init(fresh);
        fresh.scrollIntoView({ block: "start", behavior: "smooth" });
        var focus = fresh.querySelector("[role=status], [role=alert], h2");
        if (focus) {
          focus.setAttribute("tabindex", "-1");
          focus.focus({ preventScroll: true });
        }
      })
      .catch(function () {
        // The network failed: fall back to an ordinary form post, which shows the outcome.
        form.submit();
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-quiz-form]")) return;
    event.preventDefault();
    if (
      form.dataset.quizAttempt &&
      !form.dataset.quizAutoSubmit &&
      unanswered(form) > 0 &&
      !window.confirm(form.dataset.quizUnanswered)
    ) {
      return;
    }
    submitForm(form);
  });

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.dataset.quizAttempt) saveDraft(form);
  });
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.dataset.quizAttempt && event.target.type === "text") saveDraft(form);
  });

  function initAll() {
    document.querySelectorAll("[data-quiz-block]").forEach(init);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
