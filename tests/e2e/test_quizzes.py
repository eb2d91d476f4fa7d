"""Quizzes and points in a real browser (Debian's chromium through Playwright), on a phone."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes import points, services
from quizzes.models import Question, Quiz, QuizDrawRule
from tests.quizzes.factories import make_bank, make_quiz

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def rules(transactional_db):
    from importlib import import_module

    from django.apps import apps

    import_module("quizzes.migrations.0002_default_point_rules").create_rules(apps, None)


def _choose_right_answers(page, attempt_layout):
    """Tap the right options (and type the fill-in answers) as a member would."""
    for item in attempt_layout:
        question = Question.objects.get(pk=item["question"])
        if question.type == Question.Type.FILL_BLANK:
            page.fill(f"input[name='q{question.pk}']", " " + question.accepted_answer_list()[0])
            continue
        for option in question.options.filter(is_correct=True):
            page.locator(f"label.quiz-option:has(input[value='{option.pk}'])").click()


def _no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px on a 360px phone"


def test_a_member_takes_a_quiz_on_a_phone_without_leaving_the_page(
    login, people, live_server, page
):
    bank = make_bank()
    quiz = make_quiz(bank, title="党章知识小测", time_limit_minutes=10)
    page.set_viewport_size(PHONE)
    login("member_a1")

    page.goto(f"{live_server.url}/quizzes/{quiz.pk}/")
    expect(page.get_by_role("heading", name="党章知识小测")).to_be_visible()
    page.get_by_role("button", name="开始答题").click()

    expect(page.locator(".quiz-question")).to_have_count(8)
    expect(page.locator("[data-quiz-timer]")).to_have_text(re.compile(r"^(09|10):\d\d$"))
    html = page.content()
    assert "解析" not in html and "服务人民" not in html, "an answer reached the browser"
    _no_sideways_scroll(page)
    box = page.locator("label.quiz-option").first.bounding_box()
    assert box["height"] >= 44, "options are big enough to tap"

    from quizzes.models import Attempt

    attempt = Attempt.objects.get(quiz=quiz)
    _choose_right_answers(page, attempt.layout)
    page.get_by_role("button", name="交卷").click()

    expect(page.get_by_role("status")).to_contain_text("得分：8 / 8")
    expect(page.get_by_role("status")).to_contain_text("已通过")
    expect(page).to_have_url(f"{live_server.url}/quizzes/{quiz.pk}/")  # swapped in place
    expect(page.locator(".quiz-review__explanation").first).to_be_visible()
    _no_sideways_scroll(page)
    assert services.has_passed(people["member_a1"], quiz)


def test_submitting_with_unanswered_questions_asks_first(login, people, live_server, page):
    quiz = make_quiz(make_bank())
    login("member_a1")
    page.goto(f"{live_server.url}/quizzes/{quiz.pk}/")
    page.get_by_role("button", name="开始答题").click()
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_role("button", name="交卷").click()

    assert asked == ["还有题目没有作答，确定交卷吗？"]
    expect(page.locator(".quiz-question")).to_have_count(8)  # still answering
    from quizzes.models import Attempt

    assert Attempt.objects.get(quiz=quiz).submitted_at is None


def test_the_timer_submits_on_time_by_itself(login, people, live_server, page):
    quiz = make_quiz(make_bank(), time_limit_minutes=1)
    member = people["member_a1"]
    attempt = services.start_attempt(
        member, quiz, at=timezone.now() - dt.timedelta(seconds=55)
    ).attempt
    login("member_a1")

    page.goto(f"{live_server.url}/quizzes/attempts/{attempt.pk}/")

    expect(page.get_by_role("status")).to_contain_text("得分", timeout=15_000)
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    assert attempt.submitted_at <= attempt.deadline + services.SUBMIT_GRACE


def test_daily_quiz_then_my_points_shows_todays_progress(login, people, live_server, page, rules):
    bank = make_bank()
    daily = Quiz.objects.create(title="每日答题", kind=Quiz.Kind.DAILY, selection="random")
    QuizDrawRule.objects.create(quiz=daily, bank=bank, count=3)
    page.set_viewport_size(PHONE)
    login("member_a1")

    page.goto(f"{live_server.url}/quizzes/")
    page.get_by_role("link", name="开始今日答题").click()
    page.get_by_role("button", name="开始答题").click()
    expect(page.locator(".quiz-question")).to_have_count(3)
    from quizzes.models import Attempt

    _choose_right_answers(page, Attempt.objects.get(quiz=daily).layout)
    page.get_by_role("button", name="交卷").click()
    expect(page.get_by_role("status")).to_contain_text("+3 学习积分")

    page.get_by_role("link", name="我的积分").first.click()
    rule = page.locator(".points-rule", has_text="每日答题")
    expect(rule.locator(".points-rule__count")).to_have_text("3/5")
    login_rule = page.locator(".points-rule", has_text="登录")
    expect(login_rule.locator(".points-rule__count")).to_have_text("1/1")
    expect(page.locator(".points-history")).to_contain_text("每日答题")
    _no_sideways_scroll(page)


def test_leaderboard_shows_the_branch_and_hides_other_branches(
    login, people, live_server, page, org_tree, rules
):
    for name, count in (("member_a1", 2), ("secretary_a1", 4), ("member_b1", 6)):
        for n in range(count):
            points.award_points(people[name], points.LESSON_COMPLETED, "课时", f"{name}:{n}")
    page.set_viewport_size(PHONE)
    login("member_a1")

    page.goto(f"{live_server.url}/quizzes/leaderboard/")
    rows = page.locator(".board__row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("张书记")
    expect(rows.nth(1)).to_contain_text("刘洋")
    expect(page.locator(".board__row.is-me")).to_contain_text("刘洋")
    _no_sideways_scroll(page)

    response = page.goto(f"{live_server.url}/quizzes/leaderboard/?org={org_tree['branch_b1'].pk}")
    assert response.status == 404
