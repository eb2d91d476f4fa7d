/*
 * PartyMooc.QuickCheck — the platform's own minimal H5P content type: one question, a few
 * answers as buttons. Choosing one shows whether it was right and sends an xAPI "answered"
 * statement with the score and result.completion = true, like H5P's single-question types,
 * and the chosen answer as an xAPI "choice" response (its index): the server grades that
 * response itself and ignores the score (courses/h5p/grading.py).
 */
// H5P core finds a content type's constructor by its machine name, from window.
var PartyMooc = window.PartyMooc = window.PartyMooc || {};

PartyMooc.QuickCheck = (function (EventDispatcher) {
  "use strict";

  function QuickCheck(params, contentId) {
    EventDispatcher.call(this);
    this.params = params || {};
    this.contentId = contentId;
    this.score = 0;
    this.answered = false;
  }

  QuickCheck.prototype = Object.create(EventDispatcher.prototype);
  QuickCheck.prototype.constructor = QuickCheck;

  QuickCheck.prototype.getScore = function () {
    return this.score;
  };

  QuickCheck.prototype.getMaxScore = function () {
    return 1;
  };

  QuickCheck.prototype.attach = function ($container) {
    var self = this;
    var params = self.params;
    var root = $container.get(0);
    root.classList.add("pm-quick-check");

    var question = document.createElement("p");
    question.className = "pm-quick-check__question";
    question.textContent = params.question || "";
    root.appendChild(question);

    var list = document.createElement("div");
    list.className = "pm-quick-check__answers";
    root.appendChild(list);

    var feedback = document.createElement("p");
    feedback.className = "pm-quick-check__feedback";
    feedback.setAttribute("role", "status");
    root.appendChild(feedback);

    (params.answers || []).forEach(function (text, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pm-quick-check__answer";
      button.textContent = text;
      button.addEventListener("click", function () {
        if (self.answered) {
          return;
        }
        self.answered = true;
        var correct = index === params.correct;
        self.score = correct ? 1 : 0;
        button.classList.add(correct ? "is-correct" : "is-wrong");
        Array.prototype.forEach.call(list.children, function (other) {
          other.disabled = true;
        });
        feedback.textContent = correct ? params.correctFeedback : params.wrongFeedback;
        self.trigger(answeredEvent(self, index, correct));
        self.trigger("resize");
      });
      list.appendChild(button);
    });
  };

  function answeredEvent(instance, index, correct) {
    var event = instance.createXAPIEventTemplate("answered");
    var object = event.data.statement.object;
    var definition = object.definition = object.definition || {};
    definition.interactionType = "choice";
    definition.choices = (instance.params.answers || []).map(function (text, choice) {
      return { id: String(choice), description: { "en-US": text } };
    });
    event.setScoredResult(instance.score, 1, instance, true, correct);
    event.data.statement.result.response = String(index);
    return event;
  }

  return QuickCheck;
})(H5P.EventDispatcher);
