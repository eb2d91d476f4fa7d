"""Taking a quiz: draws and shuffles, server-side grading, refusals, passing and its signal."""

import datetime as dt

import pytest
from django.utils import timezone

from quizzes import points, services
from quizzes.grading import AnswerError, clean_answer
from quizzes.models import Attempt, Question, Quiz, QuizDrawRule, normalise_text
from quizzes.services import QuizError
from quizzes.signals import quiz_passed

from .factories import correct_answers, make_bank, make_question, make_quiz

pytestmark = pytest.mark.django_db


def _answers_with(attempt, **wrong):
    answers = correct_answers(attempt)
    for question_id, value in wrong.items():
        answers[question_id] = value
    return answers


def test_all_right_answers_pass_and_score_full_marks(people, quiz):
    member = people["member_a1"]
    attempt = services.start_attempt(member, quiz).attempt

    graded = services.submit_attempt(member, attempt.pk, correct_answers(attempt))

    assert (graded.score, graded.max_score, graded.passed) == (8, 8, True)
    assert services.has_passed(member, quiz)
    assert not services.has_passed(people["member_a2"], quiz)


def test_below_the_pass_mark_fails(people, quiz):
    member = people["member_a1"]
    attempt = services.start_attempt(member, quiz).attempt
    answers = correct_answers(attempt)
    for key in list(answers)[:4]:
        del answers[key]  # four unanswered: 4/8 = 50 % < 60 %

    graded = services.submit_attempt(member, attempt.pk, answers)

    assert (graded.score, graded.passed) == (4, False)
    assert not services.has_passed(member, quiz)


def test_fill_in_the_blank_accepts_any_listed_answer_whatever_the_width_and_spaces(bank):
    question = bank.questions.get(type=Question.Type.FILL_BLANK, stem__contains="成立于")
    cases = {"1921": True, " １９２１ ": True, "一九二一": True, "1922": False, "": False}
    from quizzes.grading import is_correct

    for text, expected in cases.items():
        assert is_correct(question, set(), clean_answer(question, [], text)) is expected, text
    assert normalise_text("  ＡＢＣ　ｄ ") == "abc d"


def test_multiple_choice_needs_exactly_the_correct_options(bank):
    question = bank.questions.get(stem__startswith="党的纪律")
    options = list(question.options.order_by("sort_order"))
    right = {o.pk for o in options if o.is_correct}
    from quizzes.grading import is_correct

    shown = [o.pk for o in options]
    assert is_correct(question, right, clean_answer(question, shown, sorted(right)))
    assert not is_correct(question, right, clean_answer(question, shown, sorted(right)[:2]))
    assert not is_correct(question, right, clean_answer(question, shown, shown))


def test_a_single_choice_answer_with_two_options_is_refused(bank):
    question = bank.questions.filter(type=Question.Type.SINGLE).first()
    shown = list(question.options.values_list("pk", flat=True))

    with pytest.raises(AnswerError, match="只能选择一个"):
        clean_answer(question, shown, shown[:2])


def test_the_browser_gets_no_answer_before_submission(people, quiz):
    attempt = services.start_attempt(people["member_a1"], quiz).attempt

    questions = services.attempt_questions(attempt)

    assert len(questions) == 8
    for question in questions:
        assert set(question) == {"id", "type", "stem", "options"}
        for option in question["options"]:
            assert set(option) == {"id", "text"}
    flat = repr(questions)
    assert "服务人民" not in flat and "解析" not in flat  # accepted answers, explanations


def test_question_and_option_order_is_shuffled_per_attempt(people, bank):
    many = make_bank(
        questions=[
            (f"第{n}题", Question.Type.SINGLE, [(c, c == "甲") for c in "甲乙丙丁戊"], "", [], 2)
            for n in range(12)
        ]
    )
    quiz = make_quiz(many, max_attempts=0)
    member = people["member_a1"]
    layouts = []
    for _ in range(4):
        attempt = services.start_attempt(member, quiz).attempt
        layouts.append(attempt.layout)
        services.submit_attempt(member, attempt.pk, {})

    assert len({tuple(i["question"] for i in layout) for layout in layouts}) > 1
    correct_positions = set()
    for layout in layouts:
        for item in layout:
            correct = Question.objects.get(pk=item["question"]).options.get(is_correct=True).pk
            correct_positions.add(item["options"].index(correct))
    assert len(correct_positions) > 1, "the correct option always sits in the same place"


def test_random_draw_by_knowledge_point_and_difficulty(people, bank):
    quiz = Quiz.objects.create(title="随机", selection=Quiz.Selection.RANDOM)
    QuizDrawRule.objects.create(quiz=quiz, bank=bank, tag="党史", count=2)
    QuizDrawRule.objects.create(
        quiz=quiz, bank=bank, tag="党章", difficulty=Question.Difficulty.EASY, count=2
    )

    attempt = services.start_attempt(people["member_a1"], quiz).attempt
    drawn = Question.objects.filter(pk__in=attempt.question_ids())

    assert drawn.count() == 4
    assert drawn.filter(tags__name="党史").count() == 2
    easy_rules = drawn.filter(tags__name="党章")
    assert easy_rules.count() == 2
    assert set(easy_rules.values_list("difficulty", flat=True)) == {Question.Difficulty.EASY}


def test_an_answer_to_a_question_not_in_the_attempt_is_refused(people, bank):
    quiz = Quiz.objects.create(title="随机", selection=Quiz.Selection.RANDOM)
    QuizDrawRule.objects.create(quiz=quiz, bank=bank, tag="党史", count=1)
    member = people["member_a1"]
    attempt = services.start_attempt(member, quiz).attempt
    other = bank.questions.exclude(pk__in=attempt.question_ids()).first()

    with pytest.raises(QuizError) as refused:
        services.submit_attempt(member, attempt.pk, {str(other.pk): "1921"})

    assert refused.value.code == "unknown_question"
    assert str(other.pk) in refused.value.message
    attempt.refresh_from_db()
    assert attempt.submitted_at is None  # nothing was recorded; the member can still submit


def test_an_option_of_another_question_is_refused(people, quiz):
    member = people["member_a1"]
    attempt = services.start_attempt(member, quiz).attempt
    first, second = [item for item in attempt.layout if item["options"]][:2]
    alien = second["options"][0]
    with pytest.raises(QuizError) as refused:
        services.submit_attempt(member, attempt.pk, {str(first["question"]): [alien]})

    assert refused.value.code == "bad_answers"


@pytest.mark.parametrize(
    "payload",
    [None, [], "answers", 42, {"not-a-number": [1]}, {"1": {"x": 1}}, {"": None}],
)
def test_tampered_payloads_are_refused_with_a_reason(people, quiz, payload):
    member = people["member_a1"]
    attempt = services.start_attempt(member, quiz).attempt

    with pytest.raises(QuizError) as refused:
        services.submit_attempt(member, attempt.pk, payload)

    assert refused.value.code in {"bad_answers", "unknown_question"}
    assert refused.value.message


def test_a_second_submission_is_refused(people, quiz):
    member = people["member_a1"]
    attempt = services.start_attempt(member, quiz).attempt
    services.submit_attempt(member, attempt.pk, {})

    with pytest.raises(QuizError) as refused:
        services.submit_attempt(member, attempt.pk, correct_answers(attempt))

    assert refused.value.code == "already_submitted"
    assert Attempt.objects.get(pk=attempt.pk).score == 0


def test_a_late_submission_is_refused(people, bank):
    quiz = make_quiz(bank, time_limit_minutes=5)
    member = people["member_a1"]
    started = timezone.now() - dt.timedelta(minutes=6)
    attempt = services.start_attempt(member, quiz, at=started).attempt
    assert attempt.deadline == started + dt.timedelta(minutes=5)

    with pytest.raises(QuizError) as refused:
        services.submit_attempt(member, attempt.pk, correct_answers(attempt))

    assert refused.value.code == "time_up"
    assert "截止" in refused.value.message
    # within the grace for the network, it still counts
    on_time = services.start_attempt(member, quiz).attempt
    graded = services.submit_attempt(
        member,
        on_time.pk,
        correct_answers(on_time),
        at=on_time.deadline + dt.timedelta(seconds=5),
    )
    assert graded.passed


def test_someone_elses_attempt_cannot_be_submitted(people, quiz):
    attempt = services.start_attempt(people["member_a1"], quiz).attempt

    with pytest.raises(QuizError) as refused:
        services.submit_attempt(people["member_a2"], attempt.pk, correct_answers(attempt))

    assert refused.value.code == "not_found"


def test_the_attempts_limit_counts_every_started_attempt(people, bank):
    quiz = make_quiz(bank, max_attempts=2)
    member = people["member_a1"]
    for _ in range(2):
        attempt = services.start_attempt(member, quiz).attempt
        services.submit_attempt(member, attempt.pk, {})

    with pytest.raises(QuizError) as refused:
        services.start_attempt(member, quiz)

    assert refused.value.code == "no_attempts_left"
    assert "2" in refused.value.message


def test_starting_again_resumes_the_attempt_in_progress(people, quiz):
    member = people["member_a1"]
    first = services.start_attempt(member, quiz)
    again = services.start_attempt(member, quiz)

    assert not first.resumed and again.resumed
    assert again.attempt.pk == first.attempt.pk
    assert again.attempt.layout == first.attempt.layout


def test_a_quiz_for_another_organisation_cannot_be_started(people, org_tree, bank):
    quiz = make_quiz(bank, organization=org_tree["branch_b1"])

    with pytest.raises(QuizError) as refused:
        services.start_attempt(people["member_a1"], quiz)

    assert refused.value.code == "not_found"
    assert services.start_attempt(people["member_b1"], quiz).attempt.pk


def test_a_quiz_outside_its_window_cannot_be_started(people, bank):
    now = timezone.now()
    later = make_quiz(
        bank,
        kind=Quiz.Kind.SPECIAL,
        opens_at=now + dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
    )
    over = make_quiz(
        bank,
        kind=Quiz.Kind.SPECIAL,
        opens_at=now - dt.timedelta(days=2),
        closes_at=now - dt.timedelta(days=1),
    )

    with pytest.raises(QuizError) as not_yet:
        services.start_attempt(people["member_a1"], later)
    with pytest.raises(QuizError) as closed:
        services.start_attempt(people["member_a1"], over)

    assert not_yet.value.code == "not_open_yet" and closed.value.code == "closed"


def test_the_window_close_is_the_deadline_when_it_comes_first(people, bank):
    now = timezone.now()
    quiz = make_quiz(
        bank,
        kind=Quiz.Kind.SPECIAL,
        time_limit_minutes=30,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(minutes=10),
    )

    attempt = services.start_attempt(people["member_a1"], quiz, at=now).attempt

    assert attempt.deadline == quiz.closes_at


def test_passing_sends_quiz_passed_after_commit(people, quiz, django_capture_on_commit_callbacks):
    member = people["member_a1"]
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs["user"], kwargs["quiz"], kwargs["attempt"].passed))

    quiz_passed.connect(receiver)
    try:
        attempt = services.start_attempt(member, quiz).attempt
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.submit_attempt(member, attempt.pk, correct_answers(attempt))
            assert received == []  # not before the commit
        failing = services.start_attempt(member, quiz).attempt
        with django_capture_on_commit_callbacks(execute=True):
            services.submit_attempt(member, failing.pk, {})
    finally:
        quiz_passed.disconnect(receiver)

    assert len(callbacks) == 1
    assert received == [(Quiz, member, quiz, True)]


def test_answers_are_shown_after_submission_only_when_the_quiz_says_so(people, bank):
    member = people["member_a1"]
    shown = make_quiz(bank, show_answers=True)
    hidden = make_quiz(bank, show_answers=False)

    payloads = []
    for quiz in (shown, hidden):
        attempt = services.start_attempt(member, quiz).attempt
        payloads.append(services.result_payload(services.submit_attempt(member, attempt.pk, {})))

    assert {"correct", "correct_options", "explanation"} <= set(payloads[0]["results"][0])
    assert set(payloads[1]["results"][0]) == {"question_id", "answer"}
    assert payloads[1]["score"] == 0 and payloads[1]["max_score"] == 8


def test_a_special_quiz_earns_its_points_once_when_passed(people, bank, point_rules):
    now = timezone.now()
    quiz = make_quiz(
        bank,
        kind=Quiz.Kind.SPECIAL,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
    )
    member = people["member_a1"]
    results = []
    for _ in range(2):
        attempt = services.start_attempt(member, quiz).attempt
        results.append(services.submit_attempt(member, attempt.pk, correct_answers(attempt)))

    assert [a.points_awarded for a in results] == [10, 0]
    assert points.total_points(member) == 10


def test_question_scores_weight_the_grade(people, bank):
    heavy = make_question(
        bank, "重题", Question.Type.TRUE_FALSE, [("正确", True), ("错误", False)], score=5
    )
    light = make_question(
        bank, "轻题", Question.Type.TRUE_FALSE, [("正确", True), ("错误", False)], score=1
    )
    quiz = Quiz.objects.create(title="加权", pass_mark=80)
    quiz.fixed_questions.create(question=heavy, sort_order=0)
    quiz.fixed_questions.create(question=light, sort_order=1)
    quiz.save()
    member = people["member_a1"]
    attempt = services.start_attempt(member, quiz).attempt
    answers = correct_answers(attempt)
    del answers[str(light.pk)]

    graded = services.submit_attempt(member, attempt.pk, answers)

    assert (graded.score, graded.max_score, graded.passed) == (5, 6, True)
