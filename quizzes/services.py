"""Taking quizzes: starting an attempt (draw, shuffle, deadline), grading a submission on the
server, the points it earns, contest rankings. Views and the API call these functions.
"""

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import User
from lms.core import days

from . import points
from .grading import AnswerError, clean_answer, is_correct
from .models import Attempt, Question, QuestionOption, Quiz
from .permissions import may_take
from .signals import quiz_passed

# A submission this long after the deadline still counts: the browser submits on time, the
# network may not deliver on time.
SUBMIT_GRACE = dt.timedelta(seconds=10)
# The daily quiz avoids questions the member saw in the last days, while the bank allows.
DAILY_REPEAT_FREE_DAYS = 7

_rng = random.SystemRandom()


class QuizError(Exception):
    """Why a quiz cannot be started or an attempt not be submitted, in the member's language.

    `code` is stable for API clients: not_found, closed, not_open_yet, no_attempts_left,
    daily_done, no_questions, already_submitted, time_up, bad_answers, unknown_question.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- starting ----------------------------------------------------------------------------------


def daily_quiz() -> Quiz | None:
    """The quiz members take as 每日答题: the oldest active quiz of kind "daily"."""
    return Quiz.objects.filter(kind=Quiz.Kind.DAILY, is_active=True).order_by("pk").first()


def open_attempt(user: User, quiz: Quiz, at: dt.datetime | None = None) -> Attempt | None:
    """The member's unsubmitted attempt at this quiz that can still be submitted, if any."""
    at = at or timezone.now()
    attempts = Attempt.objects.filter(quiz=quiz, member=user, submitted_at__isnull=True)
    if quiz.kind == Quiz.Kind.DAILY:
        attempts = attempts.filter(day=days.day_of(at))
    for attempt in attempts.order_by("-number"):
        if attempt.deadline is None or attempt.deadline + SUBMIT_GRACE > at:
            return attempt
    return None


def _draw(quiz: Quiz, user: User, at: dt.datetime) -> list[int]:
    """Question ids for a new attempt, in the order they will be shown."""
    if quiz.selection == Quiz.Selection.FIXED:
        ids = list(
            quiz.fixed_questions.order_by("sort_order").values_list("question_id", flat=True)
        )
        ids = list(dict.fromkeys(ids))  # a question listed twice is asked once
    else:
        recent: set[int] = set()
        if quiz.kind == Quiz.Kind.DAILY:
            since = days.day_of(at) - dt.timedelta(days=DAILY_REPEAT_FREE_DAYS)
            for layout in Attempt.objects.filter(
                quiz=quiz, member=user, day__gte=since
            ).values_list("layout", flat=True):
                recent.update(item["question"] for item in layout)
        ids = []
        for rule in quiz.draw_rules.order_by("sort_order"):
            pool = Question.objects.filter(bank_id=rule.bank_id).exclude(pk__in=ids)
            if rule.tag:
                pool = pool.filter(tags__name=rule.tag)
            if rule.difficulty:
                pool = pool.filter(difficulty=rule.difficulty)
            candidates = list(pool.values_list("pk", flat=True).distinct())
            fresh = [pk for pk in candidates if pk not in recent]
            if len(fresh) >= rule.count:
                candidates = fresh
            ids.extend(_rng.sample(candidates, min(rule.count, len(candidates))))
    if quiz.shuffle_questions:
        _rng.shuffle(ids)
    return ids


def _layout(quiz: Quiz, question_ids: list[int]) -> list[dict]:
    """Attach each question's option ids in the order this member will see them."""
    options: dict[int, list[int]] = {pk: [] for pk in question_ids}
    types = dict(Question.objects.filter(pk__in=question_ids).values_list("pk", "type"))
    for question_id, option_id in (
        QuestionOption.objects.filter(question_id__in=question_ids)
        .order_by("question_id", "sort_order", "pk")
        .values_list("question_id", "pk")
    ):
        options[question_id].append(option_id)
    layout = []
    for pk in question_ids:
        order = options[pk]
        # True/false keeps its conventional 正确 / 错误 order; it tells nothing either way.
        if quiz.shuffle_options and types.get(pk) != Question.Type.TRUE_FALSE:
            _rng.shuffle(order)
        layout.append({"question": pk, "options": order})
    return layout


def _deadline(quiz: Quiz, started: dt.datetime) -> dt.datetime | None:
    deadline = None
    if quiz.time_limit_minutes:
        deadline = started + dt.timedelta(minutes=quiz.time_limit_minutes)
    if quiz.closes_at is not None and (deadline is None or quiz.closes_at < deadline):
        deadline = quiz.closes_at
    return deadline


@dataclass
class AttemptStart:
    attempt: Attempt
    resumed: bool


def start_attempt(user: User, quiz: Quiz, *, at: dt.datetime | None = None) -> AttemptStart:
    """Start (or resume) the member's attempt at a quiz.

    An attempt that can still be submitted is resumed rather than a new one drawn, so a
    reload on a phone does not cost an attempt. Otherwise the quiz must be open, the member
    must have attempts left (the daily quiz: once a day), and the questions are drawn and
    their options shuffled for this attempt; the deadline is the time limit or the close of
    the quiz's window, whichever comes first.
    """
    at = at or timezone.now()
    if not may_take(user, quiz) or not quiz.is_active:
        raise QuizError("not_found", _("This quiz does not exist or is not for you."))
    with transaction.atomic():
        # Serialise this member's starts, so that two taps cannot exceed the attempts limit.
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk").get()
        current = open_attempt(user, quiz, at)
        if current is not None:
            return AttemptStart(current, resumed=True)
        if quiz.opens_at is not None and at < quiz.opens_at:
            raise QuizError(
                "not_open_yet",
                _("This quiz opens at %(time)s.")
                % {"time": timezone.localtime(quiz.opens_at).strftime("%Y-%m-%d %H:%M")},
            )
        if not quiz.is_open(at):
            raise QuizError("closed", _("This quiz has closed."))
        day = None
        if quiz.kind == Quiz.Kind.DAILY:
            day = days.day_of(at)
            if Attempt.objects.filter(quiz=quiz, member=user, day=day).exists():
                raise QuizError("daily_done", _("You have done today's quiz. Come back tomorrow!"))
        used = Attempt.objects.filter(quiz=quiz, member=user).count()
        if quiz.max_attempts and used >= quiz.max_attempts:
            raise QuizError(
                "no_attempts_left",
                _("You have used all %(count)d attempts at this quiz.")
                % {"count": quiz.max_attempts},
            )
        question_ids = _draw(quiz, user, at)
        if not question_ids:
            raise QuizError("no_questions", _("This quiz has no questions yet."))
        max_score = sum(
            Question.objects.filter(pk__in=question_ids).values_list("score", flat=True)
        )
        attempt = Attempt.objects.create(
            quiz=quiz,
            member=user,
            number=used + 1,
            day=day,
            layout=_layout(quiz, question_ids),
            started_at=at,
            deadline=_deadline(quiz, at),
            max_score=max_score,
        )
    return AttemptStart(attempt, resumed=False)


def start_daily_attempt(user: User, *, at: dt.datetime | None = None) -> AttemptStart:
    """Start (or resume) today's daily quiz."""
    quiz = daily_quiz()
    if quiz is None:
        raise QuizError("not_found", _("There is no daily quiz yet."))
    return start_attempt(user, quiz, at=at)


def attempt_questions(attempt: Attempt) -> list[dict]:
    """What the browser may know about an attempt's questions before submission: id, type,
    stem and options (id and text) in this attempt's order — never which option is right."""
    ids = attempt.question_ids()
    questions = {q.pk: q for q in Question.objects.filter(pk__in=ids).only("pk", "type", "stem")}
    option_texts = dict(
        QuestionOption.objects.filter(question_id__in=ids).values_list("pk", "text")
    )
    return [
        {
            "id": item["question"],
            "type": questions[item["question"]].type,
            "stem": questions[item["question"]].stem,
            "options": [
                {"id": pk, "text": option_texts[pk]} for pk in item["options"] if pk in option_texts
            ],
        }
        for item in attempt.layout
        if item["question"] in questions
    ]


# --- submitting ----------------------------------------------------------------------------


def _parse_answers(attempt: Attempt, answers: Any, questions: dict[int, Question]) -> dict:
    if not isinstance(answers, dict):
        raise QuizError("bad_answers", _('Answers must be an object of {"question id": answer}.'))
    options_shown = {item["question"]: item["options"] for item in attempt.layout}
    cleaned: dict[int, list[int] | str] = {}
    for key, raw in answers.items():
        try:
            question_id = int(key)
        except (TypeError, ValueError):
            question_id = None
        if question_id is None or question_id not in options_shown:
            raise QuizError(
                "unknown_question",
                _("Question %(id)s is not part of this attempt.") % {"id": str(key)[:20]},
            )
        question = questions.get(question_id)
        if question is None:
            continue  # deleted from its bank since the attempt began: not graded
        try:
            cleaned[question_id] = clean_answer(question, options_shown[question_id], raw)
        except AnswerError as exc:
            raise QuizError(
                "bad_answers",
                _("Question %(number)d: %(reason)s")
                % {"number": attempt.question_ids().index(question_id) + 1, "reason": exc},
            ) from None
    return cleaned


def submit_attempt(
    user: User, attempt_id: int, answers: Any, *, at: dt.datetime | None = None
) -> Attempt:
    """Grade and record a submission, once.

    Refused with a QuizError when the attempt is not the member's, was submitted before, is
    past its deadline (plus a short grace for the network), or answers a question that is not
    in it. Passing sends `quiz_passed` after commit; the daily quiz earns points per correct
    answer (capped by its rule), a special-topic quiz earns points once when passed.
    """
    at = at or timezone.now()
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update()
            .select_related("quiz")
            .filter(pk=attempt_id, member=user)
            .first()
        )
        if attempt is None:
            raise QuizError("not_found", _("This attempt does not exist or is not yours."))
        if attempt.submitted_at is not None:
            raise QuizError("already_submitted", _("This attempt has already been submitted."))
        if attempt.deadline is not None and at > attempt.deadline + SUBMIT_GRACE:
            raise QuizError("time_up", _("Time is up: the answers arrived after the deadline."))
        ids = attempt.question_ids()
        questions = {q.pk: q for q in Question.objects.filter(pk__in=ids)}
        cleaned = _parse_answers(attempt, answers, questions)
        correct_options: dict[int, set[int]] = {pk: set() for pk in ids}
        for question_id, option_id in QuestionOption.objects.filter(
            question_id__in=ids, is_correct=True
        ).values_list("question_id", "pk"):
            correct_options[question_id].add(option_id)

        results, score, correct_count = [], 0, 0
        for question_id in ids:
            question = questions.get(question_id)
            if question is None:
                continue
            answer = cleaned.get(question_id)
            right = answer is not None and is_correct(
                question, correct_options[question_id], answer
            )
            if right:
                score += question.score
                correct_count += 1
            results.append(
                {
                    "question_id": question_id,
                    "answer": answer,
                    "correct": right,
                    "correct_options": sorted(correct_options[question_id]),
                    "accepted_answers": question.accepted_answer_list(),
                    "explanation": question.explanation,
                }
            )
        max_score = sum(q.score for q in questions.values())
        attempt.answers = {str(k): v for k, v in cleaned.items()}
        attempt.results = results
        attempt.score = score
        attempt.max_score = max_score
        attempt.passed = max_score > 0 and score * 100 >= attempt.quiz.pass_mark * max_score
        attempt.submitted_at = at
        attempt.duration_seconds = max(0.0, (at - attempt.started_at).total_seconds())
        attempt.points_awarded = _award_for(attempt, user, correct_count, at)
        attempt.save(
            update_fields=[
                "answers",
                "results",
                "score",
                "max_score",
                "passed",
                "submitted_at",
                "duration_seconds",
                "points_awarded",
            ]
        )
        if attempt.passed:
            quiz = attempt.quiz
            transaction.on_commit(
                lambda: quiz_passed.send(sender=Quiz, user=user, quiz=quiz, attempt=attempt)
            )
    return attempt


def _award_for(attempt: Attempt, member: User, correct_count: int, at: dt.datetime) -> int:
    quiz = attempt.quiz
    entry = None
    if quiz.kind == Quiz.Kind.DAILY and correct_count:
        entry = points.award_points(
            member,
            points.DAILY_QUIZ_CORRECT,
            quiz.title,
            points.point_key(points.DAILY_QUIZ_CORRECT, member.pk, attempt.pk),
            events=correct_count,
            at=at,
        )
    elif quiz.kind == Quiz.Kind.SPECIAL and attempt.passed:
        entry = points.award_points(
            member,
            points.SPECIAL_QUIZ,
            quiz.title,
            points.point_key(points.SPECIAL_QUIZ, member.pk, quiz.pk),
            at=at,
        )
    return entry.points if entry is not None else 0


def result_payload(attempt: Attempt, at: dt.datetime | None = None) -> dict:
    """The grade as the member may see it: score and pass always; per question the answer
    given, and whether it was right, the right answer and the explanation only when the quiz
    shows answers (a contest: only once it has closed)."""
    visible = attempt.quiz.answers_visible(at)
    results = []
    for item in attempt.results:
        shown = {"question_id": item["question_id"], "answer": item["answer"]}
        if visible:
            shown.update(
                correct=item["correct"],
                correct_options=item["correct_options"],
                accepted_answers=item["accepted_answers"],
                explanation=item["explanation"],
            )
        results.append(shown)
    return {
        "attempt_id": attempt.pk,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "passed": attempt.passed,
        "points_awarded": attempt.points_awarded,
        "answers_shown": visible,
        "results": results,
    }


# --- reading -----------------------------------------------------------------------------


def has_passed(user: User, quiz: Quiz) -> bool:
    """Whether the member has a submitted attempt at the quiz that passed."""
    if not user.is_authenticated:
        return False
    return Attempt.objects.filter(
        quiz=quiz, member=user, passed=True, submitted_at__isnull=False
    ).exists()


@dataclass
class QuizState:
    """What a member's page shows about a quiz: attempts used and left, best result, the
    attempt in progress."""

    attempts_used: int
    attempts_left: int | None
    best_score: int | None
    max_score: int | None
    passed: bool
    open_attempt: Attempt | None
    last_attempt: Attempt | None
    done_today: bool = False
    blocked: str = ""  # why a new attempt cannot start now, in the member's language


def quiz_state(user: User, quiz: Quiz, at: dt.datetime | None = None) -> QuizState:
    at = at or timezone.now()
    attempts = list(Attempt.objects.filter(quiz=quiz, member=user).order_by("-number"))
    submitted = [a for a in attempts if a.submitted_at is not None]
    best = max(submitted, key=lambda a: (a.score, -(a.duration_seconds or 0)), default=None)
    left = None
    if quiz.max_attempts:
        left = max(0, quiz.max_attempts - len(attempts))
    today = days.day_of(at)
    done_today = quiz.kind == Quiz.Kind.DAILY and any(a.day == today for a in attempts)
    blocked = ""
    if not may_take(user, quiz):
        blocked = _("This quiz is for members of %(org)s.") % {"org": quiz.organization}
    elif quiz.opens_at is not None and at < quiz.opens_at:
        blocked = _("This quiz opens at %(time)s.") % {
            "time": timezone.localtime(quiz.opens_at).strftime("%Y-%m-%d %H:%M")
        }
    elif not quiz.is_open(at):
        blocked = _("This quiz has closed.")
    elif done_today:
        blocked = _("You have done today's quiz. Come back tomorrow!")
    elif left == 0:
        blocked = _("You have used all %(count)d attempts at this quiz.") % {
            "count": quiz.max_attempts
        }
    return QuizState(
        attempts_used=len(attempts),
        attempts_left=left,
        best_score=best.score if best else None,
        max_score=best.max_score if best else None,
        passed=any(a.passed for a in submitted),
        open_attempt=open_attempt(user, quiz, at),
        last_attempt=submitted[0] if submitted else None,
        done_today=done_today,
        blocked=blocked,
    )


def contest_ranking(quiz: Quiz) -> QuerySet[Attempt]:
    """Each member's best submitted attempt, ranked by score (high first), then time taken
    (short first), then who submitted first."""
    ordering = [F("score").desc(), F("duration_seconds").asc(), F("submitted_at").asc()]
    return (
        Attempt.objects.filter(quiz=quiz, submitted_at__isnull=False)
        .annotate(member_best=Window(RowNumber(), partition_by=[F("member_id")], order_by=ordering))
        .filter(member_best=1)
        .select_related("member__profile__organization")
        .order_by(*ordering, "pk")
    )


def award_contest_placings(quiz: Quiz, *, at: dt.datetime | None = None) -> int:
    """After a contest closes, the top `placing_count` members earn contest points: first
    place N events of the rule, second N-1, … Safe to run twice (idempotency keys)."""
    at = at or timezone.now()
    if quiz.kind != Quiz.Kind.CONTEST or not quiz.has_closed(at) or quiz.placings_awarded_at:
        return 0
    awarded = 0
    with transaction.atomic():
        placed = list(enumerate(contest_ranking(quiz)[: quiz.placing_count], start=1))
        # Award in member order: each award locks its member until commit, and a fixed order
        # keeps two contests closing at once from waiting on each other.
        for place, attempt in sorted(placed, key=lambda item: item[1].member_id):
            entry = points.award_points(
                attempt.member,
                points.CONTEST_PLACING,
                quiz.title,
                points.point_key(points.CONTEST_PLACING, attempt.member_id, quiz.pk),
                events=quiz.placing_count - place + 1,
                at=at,
            )
            awarded += 1 if entry is not None else 0
        Quiz.objects.filter(pk=quiz.pk).update(placings_awarded_at=at)
    return awarded


def attempt_review(attempt: Attempt, at: dt.datetime | None = None) -> list[dict]:
    """A submitted attempt question by question, for the result page: the stem, the options
    in the order shown with the member's choices, and — only when the quiz shows answers —
    which were right, the accepted answers and the explanation."""
    visible = attempt.quiz.answers_visible(at)
    graded = {item["question_id"]: item for item in attempt.results}
    review = []
    for number, question in enumerate(attempt_questions(attempt), start=1):
        result = graded.get(question["id"], {})
        answer = result.get("answer")
        chosen = set(answer) if isinstance(answer, list) else set()
        correct_options = set(result.get("correct_options", []))
        review.append(
            {
                "number": number,
                "stem": question["stem"],
                "type": question["type"],
                "options": [
                    {
                        "text": option["text"],
                        "chosen": option["id"] in chosen,
                        "correct": visible and option["id"] in correct_options,
                    }
                    for option in question["options"]
                ],
                "text_answer": answer if isinstance(answer, str) else "",
                "answered": answer not in (None, "", []),
                "correct": result.get("correct") if visible else None,
                "accepted_answers": result.get("accepted_answers", []) if visible else [],
                "explanation": result.get("explanation", "") if visible else "",
            }
        )
    return review
