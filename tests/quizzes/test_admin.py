"""The Wagtail admin of quizzes: trainers build questions (checked), admins own point rules and
the ledger (corrections only)."""

import pytest

from quizzes import points
from quizzes.models import PointEntry, Question

pytestmark = pytest.mark.django_db


def _question_form(bank, qtype, options, **extra):
    data = {
        "bank": bank.pk,
        "type": qtype,
        "difficulty": 2,
        "score": 1,
        "stem": extra.pop("stem", "新的题目？"),
        "accepted_answers": extra.pop("accepted_answers", ""),
        "explanation": "",
        "tags": "党史",
        "options-TOTAL_FORMS": len(options),
        "options-INITIAL_FORMS": 0,
        "options-MIN_NUM_FORMS": 0,
        "options-MAX_NUM_FORMS": 1000,
    }
    for n, (text, correct) in enumerate(options):
        data[f"options-{n}-text"] = text
        data[f"options-{n}-ORDER"] = n + 1
        if correct:
            data[f"options-{n}-is_correct"] = "on"
    return data


ADD_QUESTION = "/admin/snippets/quizzes/question/add/"


def test_a_trainer_adds_a_single_choice_question(client, people, bank):
    client.force_login(people["trainer"])

    response = client.post(
        ADD_QUESTION, _question_form(bank, "single", [("甲", False), ("乙", True), ("丙", False)])
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    question = Question.objects.get(stem="新的题目？")
    assert question.options.get(is_correct=True).text == "乙"
    assert list(question.tags.names()) == ["党史"]


@pytest.mark.parametrize(
    ("qtype", "options", "extra", "message"),
    [
        ("single", [("甲", True)], {}, "选择题至少需要两个选项。"),
        ("single", [("甲", True), ("乙", True)], {}, "请标记且只标记一个正确选项。"),
        ("multiple", [("甲", False), ("乙", False)], {}, "请至少标记一个正确选项。"),
        ("fill_blank", [], {}, "填空题需要至少一个参考答案。"),
        (
            "fill_blank",
            [("甲", True)],
            {"accepted_answers": "甲"},
            "填空题填写参考答案，不设选项。",
        ),
        (
            "single",
            [("1921年", True), ("1922年", False)],
            {"stem": "中国共产党第一次全国代表大会于哪一年召开？"},
            "本题库中已有相同的题目。",
        ),
    ],
)
def test_bad_questions_are_refused_with_the_reason(
    client, people, bank, qtype, options, extra, message
):
    client.force_login(people["trainer"])
    before = Question.objects.count()

    response = client.post(ADD_QUESTION, _question_form(bank, qtype, options, **extra))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Question.objects.count() == before


def test_members_do_not_get_the_question_admin(client, people):
    client.force_login(people["member_a1"])

    assert client.get(ADD_QUESTION).status_code in (302, 403)


def test_point_rules_belong_to_site_admins_and_keep_their_code(client, people, point_rules):
    rule = point_rules[points.DAILY_QUIZ_CORRECT]
    edit = f"/admin/snippets/quizzes/pointrule/edit/{rule.pk}/"
    client.force_login(people["trainer"])
    assert client.get(edit).status_code in (302, 403)

    from lms.accounts.models import User

    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)
    response = client.post(
        edit,
        {
            "code": "renamed",
            "name": "每日答题",
            "description": "",
            "points": 2,
            "daily_cap": 10,
            "weekly_cap": "",
            "enabled": "on",
            "sort_order": 50,
        },
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.code, rule.points, rule.daily_cap) == (points.DAILY_QUIZ_CORRECT, 2, 10)


def test_the_ledger_is_read_and_corrected_never_edited(client, people, point_rules):
    from lms.accounts.models import User

    entry = points.award_points(people["member_a1"], points.COURSE_COMPLETED, "课程", "cc:1")
    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)

    listing = client.get("/admin/points_ledger/")
    assert listing.status_code == 200 and "完成课程" in listing.content.decode()
    assert client.get(f"/admin/points_ledger/edit/{entry.pk}/").status_code in (302, 403)
    assert client.get(f"/admin/points_ledger/delete/{entry.pk}/").status_code in (302, 403)

    too_much = client.post(
        f"/admin/quizzes/ledger/{entry.pk}/correct/", {"points": -9, "note": "x"}
    )
    assert "扣回的积分不能超过" in too_much.content.decode()
    done = client.post(
        f"/admin/quizzes/ledger/{entry.pk}/correct/", {"points": -5, "note": "重复计分"}
    )

    assert done.status_code == 302
    assert PointEntry.objects.get(pk=entry.pk).points == 5
    assert PointEntry.objects.get(corrects=entry).points == -5
    assert points.total_points(people["member_a1"]) == 0
    client.force_login(people["secretary_a1"])
    assert client.get(f"/admin/quizzes/ledger/{entry.pk}/correct/").status_code in (302, 403)


def test_a_quiz_chooser_block_renders_the_quiz_block(rf, people, quiz):
    from quizzes.blocks import QuizChooserBlock

    block = QuizChooserBlock()
    request = rf.get("/lesson/")
    request.user = people["member_a1"]

    html = block.render(quiz, context={"request": request})

    assert f'id="quiz-{quiz.pk}"' in html and "开始答题" in html
    assert block.deconstruct()[0] == "quizzes.blocks.QuizChooserBlock"


def _quiz_form(**fields):
    data = {
        "title": "新竞赛",
        "description": "",
        "kind": "contest",
        "selection": "random",
        "time_limit_minutes": "10",
        "max_attempts": "1",
        "pass_mark": "60",
        "placing_count": "3",
        "shuffle_questions": "on",
        "shuffle_options": "on",
        "show_answers": "on",
        "is_active": "on",
        "opens_at": "",
        "closes_at": "",
        "organization": "",
        "managed_by": "",
        "fixed_questions-TOTAL_FORMS": 0,
        "fixed_questions-INITIAL_FORMS": 0,
        "fixed_questions-MIN_NUM_FORMS": 0,
        "fixed_questions-MAX_NUM_FORMS": 1000,
        "draw_rules-TOTAL_FORMS": 0,
        "draw_rules-INITIAL_FORMS": 0,
        "draw_rules-MIN_NUM_FORMS": 0,
        "draw_rules-MAX_NUM_FORMS": 1000,
    }
    data.update(fields)
    return data


def test_a_contest_needs_a_window_an_organisation_and_questions(client, people, org_tree, bank):
    from quizzes.models import Quiz

    client.force_login(people["trainer"])
    url = "/admin/snippets/quizzes/quiz/add/"

    refused = client.post(url, _quiz_form()).content.decode()

    assert "专项答题和知识竞赛需要设置开始和结束时间。" in refused
    assert "知识竞赛需要指定组织。" in refused
    assert "请至少添加一条抽题规则。" in refused
    accepted = client.post(
        url,
        _quiz_form(
            opens_at="2026-12-01 09:00",
            closes_at="2026-12-01 10:00",
            organization=org_tree["general_a"].pk,
            managed_by=org_tree["committee"].pk,
            **{
                "draw_rules-TOTAL_FORMS": 1,
                "draw_rules-0-bank": bank.pk,
                "draw_rules-0-count": 5,
                "draw_rules-0-tag": "党史",
                "draw_rules-0-difficulty": "",
                "draw_rules-0-ORDER": 1,
            },
        ),
    )
    assert accepted.status_code == 302, accepted.content.decode()[-3000:]
    contest = Quiz.objects.get(title="新竞赛")
    assert contest.organization == org_tree["general_a"]
    assert contest.question_count() == 5


def test_the_admin_pages_open(client, people, quiz, point_rules):
    from lms.accounts.models import User

    entry = points.award_points(people["member_a1"], points.COURSE_COMPLETED, "课程", "cc:open")
    client.force_login(people["trainer"])
    for url in (
        "/admin/snippets/quizzes/questionbank/",
        "/admin/snippets/quizzes/question/",
        ADD_QUESTION,
        "/admin/snippets/quizzes/quiz/add/",
        f"/admin/snippets/quizzes/quiz/edit/{quiz.pk}/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/points_ledger/").status_code in (302, 403)  # admins only

    client.force_login(User.objects.create_superuser("root", password="x"))
    for url in (
        "/admin/points_ledger/",
        f"/admin/points_ledger/inspect/{entry.pk}/",
        f"/admin/quizzes/ledger/{entry.pk}/correct/",
        "/admin/snippets/quizzes/pointrule/",
    ):
        assert client.get(url).status_code == 200, url
