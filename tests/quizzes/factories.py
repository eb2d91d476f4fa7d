"""Question banks and quizzes for tests, built the way a trainer would in the admin."""

import itertools

from quizzes.models import Question, QuestionBank, QuestionOption, Quiz, QuizQuestion

_numbers = itertools.count(1)

# stem, type, options (text, correct), accepted answers, tags, difficulty
QUESTIONS = [
    (
        "中国共产党第一次全国代表大会于哪一年召开？",
        Question.Type.SINGLE,
        [("1919年", False), ("1921年", True), ("1927年", False), ("1949年", False)],
        "",
        ["党史"],
        Question.Difficulty.EASY,
    ),
    (
        "遵义会议召开于哪一年？",
        Question.Type.SINGLE,
        [("1935年", True), ("1934年", False), ("1936年", False)],
        "",
        ["党史"],
        Question.Difficulty.MEDIUM,
    ),
    (
        "党的纪律包括哪些？",
        Question.Type.MULTIPLE,
        [("政治纪律", True), ("组织纪律", True), ("娱乐纪律", False), ("廉洁纪律", True)],
        "",
        ["党章"],
        Question.Difficulty.MEDIUM,
    ),
    (
        "党员的权利包括哪些？",
        Question.Type.MULTIPLE,
        [("参加党的有关会议", True), ("表决权", True), ("免于批评", False)],
        "",
        ["党章"],
        Question.Difficulty.HARD,
    ),
    (
        "预备党员的预备期为一年。",
        Question.Type.TRUE_FALSE,
        [("正确", True), ("错误", False)],
        "",
        ["党章"],
        Question.Difficulty.EASY,
    ),
    (
        "党的最高领导机关是党的中央纪律检查委员会。",
        Question.Type.TRUE_FALSE,
        [("正确", False), ("错误", True)],
        "",
        ["党章"],
        Question.Difficulty.EASY,
    ),
    (
        "党的根本宗旨是全心全意为人民____。",
        Question.Type.FILL_BLANK,
        [],
        "服务\n服务人民",
        ["党章"],
        Question.Difficulty.EASY,
    ),
    (
        "中国共产党成立于____年。",
        Question.Type.FILL_BLANK,
        [],
        "1921\n一九二一",
        ["党史"],
        Question.Difficulty.EASY,
    ),
]


def make_question(bank, stem, qtype, options=(), accepted="", tags=(), difficulty=2, score=1):
    question = Question(
        bank=bank,
        type=qtype,
        stem=stem,
        accepted_answers=accepted,
        explanation=f"解析：{stem}",
        difficulty=difficulty,
        score=score,
    )
    question.save()
    QuestionOption.objects.bulk_create(
        [
            QuestionOption(question=question, text=text, is_correct=correct, sort_order=order)
            for order, (text, correct) in enumerate(options)
        ]
    )
    if tags:
        question.tags.add(*tags)
        question.save()  # ClusterTaggableManager keeps tags in memory until the save
    return question


def make_bank(name: str | None = None, questions=QUESTIONS, organization=None) -> QuestionBank:
    """A bank of `questions`; without an organisation it is the platform's."""
    bank = QuestionBank.objects.create(
        name=name or f"题库{next(_numbers)}", organization=organization
    )
    for stem, qtype, options, accepted, tags, difficulty in questions:
        make_question(bank, stem, qtype, options, accepted, tags, difficulty)
    return bank


def make_quiz(bank: QuestionBank, **fields) -> Quiz:
    """A fixed quiz of the bank's questions, managed (by default) by the bank's organisation."""
    quiz = Quiz.objects.create(
        **{
            "title": f"测验{next(_numbers)}",
            "selection": Quiz.Selection.FIXED,
            "managed_by": bank.organization,
            **fields,
        }
    )
    if quiz.selection == Quiz.Selection.FIXED:
        QuizQuestion.objects.bulk_create(
            [
                QuizQuestion(quiz=quiz, question=q, sort_order=i)
                for i, q in enumerate(bank.questions.order_by("pk"))
            ]
        )
    return quiz


def correct_answers(attempt) -> dict:
    """The right answer to every question of an attempt, as a client would send it."""
    answers = {}
    for item in attempt.layout:
        question = Question.objects.get(pk=item["question"])
        if question.type == Question.Type.FILL_BLANK:
            answers[str(question.pk)] = question.accepted_answer_list()[0]
        else:
            answers[str(question.pk)] = list(
                question.options.filter(is_correct=True).values_list("pk", flat=True)
            )
    return answers
