"""Member pages: taking a quiz with plain forms, 我的积分, leaderboards, contests, daily login."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.core import days
from quizzes import points, services
from quizzes.models import Attempt, PointEntry, Quiz, QuizDrawRule

from .factories import correct_answers, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, people):
    client.force_login(people["member_a1"])
    return client


def _form_data(attempt) -> dict:
    """The attempt form as a browser would fill it with the right answers."""
    data = {}
    for question_id, answer in correct_answers(attempt).items():
        data[f"q{question_id}"] = answer if isinstance(answer, str) else [str(a) for a in answer]
    return data


def test_taking_a_quiz_with_plain_forms(member_client, people, quiz):
    started = member_client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(member=people["member_a1"], quiz=quiz)
    assert started.status_code == 302
    assert started["Location"] == reverse("quizzes:attempt", args=[attempt.pk])

    form = member_client.get(started["Location"])
    html = form.content.decode()
    assert form.status_code == 200
    assert html.count('class="quiz-question"') == 8
    assert "解析" not in html and "服务人民" not in html  # nothing that gives the answer away

    submitted = member_client.post(
        reverse("quizzes:submit", args=[attempt.pk]), _form_data(attempt)
    )
    result = member_client.get(submitted["Location"])

    assert "得分：8 / 8" in result.content.decode()
    assert "已通过" in result.content.decode() or "通过" in result.content.decode()
    assert services.has_passed(people["member_a1"], quiz)


def test_the_block_is_swapped_in_place_when_javascript_asks_for_a_fragment(member_client, quiz):
    headers = {"HTTP_X_QUIZ_FRAGMENT": "1"}
    started = member_client.post(
        reverse("quizzes:start", args=[quiz.pk]), {"next": "/lesson/1/"}, **headers
    )
    html = started.content.decode()

    assert started.status_code == 200
    assert html.lstrip().startswith("<section") and "<html" not in html
    assert f'id="quiz-{quiz.pk}"' in html
    attempt = Attempt.objects.get(quiz=quiz)

    graded = member_client.post(
        reverse("quizzes:submit", args=[attempt.pk]), {"next": "/lesson/1/"}, **headers
    )
    assert "得分：0 / 8" in graded.content.decode()
    assert 'href="/lesson/1/"' in graded.content.decode()


def test_a_second_form_submission_keeps_the_first_result(member_client, quiz):
    member_client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(quiz=quiz)
    member_client.post(reverse("quizzes:submit", args=[attempt.pk]), _form_data(attempt))

    again = member_client.post(reverse("quizzes:submit", args=[attempt.pk]), {}, follow=True)

    assert "本次作答已经交卷" in again.content.decode()
    assert Attempt.objects.get(pk=attempt.pk).score == 8


def test_an_offsite_next_is_ignored(member_client, quiz):
    started = member_client.post(
        reverse("quizzes:start", args=[quiz.pk]), {"next": "https://evil.example/"}
    )

    assert "evil" not in started["Location"]


def test_the_quiz_page_of_another_organisation_is_a_404(client, people, org_tree, bank):
    quiz = make_quiz(bank, organization=org_tree["branch_b1"])
    client.force_login(people["member_a1"])

    assert client.get(reverse("quizzes:quiz", args=[quiz.pk])).status_code == 404
    assert client.post(reverse("quizzes:start", args=[quiz.pk])).status_code == 302
    assert not Attempt.objects.exists()


def test_someone_elses_attempt_page_is_a_404(client, people, quiz):
    attempt = services.start_attempt(people["member_a1"], quiz).attempt
    client.force_login(people["member_a2"])

    assert client.get(reverse("quizzes:attempt", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("quizzes:submit", args=[attempt.pk])).status_code == 404


def test_my_points_shows_progress_per_rule_history_and_rank(member_client, people, point_rules):
    member = people["member_a1"]
    for n in range(3):
        points.award_points(member, points.DAILY_QUIZ_CORRECT, "quiz", f"dq:{n}")
    points.award_points(people["member_a2"], points.COURSE_COMPLETED, "c", "other:1")

    html = member_client.get(reverse("quizzes:my_points")).content.decode()

    assert "每日答题" in html and "3/5" in html
    assert "登录" in html and "1/1" in html  # opening the page is today's first visit
    assert "在第一党支部本周排名第 1 名" in html
    assert html.count("<tr>") >= 3


def test_leaderboard_page_scoping(client, people, org_tree, point_rules):
    points.award_points(people["member_a2"], points.COURSE_COMPLETED, "c", "c:1")
    client.force_login(people["member_a1"])
    url = reverse("quizzes:leaderboard")

    own_general = client.get(url, {"org": org_tree["general_a"].pk, "period": "month"})
    other_branch = client.get(url, {"org": org_tree["branch_a2"].pk})
    other_tree = client.get(url, {"org": org_tree["branch_b1"].pk})

    assert own_general.status_code == 200 and "陈静" in own_general.content.decode()
    assert other_branch.status_code == 404
    assert other_tree.status_code == 404


def test_contest_ranking_by_score_then_time_and_its_scoping(client, people, org_tree, bank):
    now = timezone.now()
    contest = make_quiz(
        bank,
        kind=Quiz.Kind.CONTEST,
        organization=org_tree["general_a"],
        opens_at=now - dt.timedelta(hours=2),
        closes_at=now + dt.timedelta(hours=2),
        max_attempts=1,
    )
    start = now - dt.timedelta(hours=1)
    for name, seconds, right in (
        ("member_a1", 300, True),
        ("member_a2", 200, True),
        ("secretary_a1", 100, False),
    ):
        attempt = services.start_attempt(people[name], contest, at=start).attempt
        answers = correct_answers(attempt) if right else {}
        services.submit_attempt(
            people[name], attempt.pk, answers, at=start + dt.timedelta(seconds=seconds)
        )

    ranking = list(services.contest_ranking(contest))
    assert [a.member.username for a in ranking] == ["member_a2", "member_a1", "secretary_a1"]

    client.force_login(people["member_a1"])
    page = client.get(reverse("quizzes:ranking", args=[contest.pk])).content.decode()
    assert page.index("陈静") < page.index("刘洋")
    client.force_login(people["member_b1"])
    assert client.get(reverse("quizzes:ranking", args=[contest.pk])).status_code == 404
    assert client.get(reverse("quizzes:quiz", args=[contest.pk])).status_code == 404


def test_contest_answers_stay_secret_until_it_closes(people, org_tree, bank):
    now = timezone.now()
    contest = make_quiz(
        bank,
        kind=Quiz.Kind.CONTEST,
        organization=org_tree["committee"],
        opens_at=now - dt.timedelta(hours=2),
        closes_at=now + dt.timedelta(hours=2),
    )
    member = people["member_a1"]
    attempt = services.start_attempt(member, contest).attempt
    graded = services.submit_attempt(member, attempt.pk, correct_answers(attempt))

    during = services.result_payload(graded)
    after = services.result_payload(graded, at=now + dt.timedelta(hours=3))

    assert "correct" not in during["results"][0] and during["score"] == 8
    assert after["results"][0]["correct"] is True


def test_contest_placings_earn_points_once_after_the_close(people, org_tree, bank, point_rules):
    now = timezone.now()
    contest = make_quiz(
        bank,
        kind=Quiz.Kind.CONTEST,
        organization=org_tree["committee"],
        opens_at=now - dt.timedelta(hours=3),
        closes_at=now - dt.timedelta(hours=1),
        placing_count=2,
    )
    start = now - dt.timedelta(hours=2)
    for name, seconds in (("member_a1", 100), ("member_a2", 50), ("member_b1", 10)):
        attempt = services.start_attempt(people[name], contest, at=start).attempt
        answers = correct_answers(attempt) if name != "member_b1" else {}
        services.submit_attempt(
            people[name], attempt.pk, answers, at=start + dt.timedelta(seconds=seconds)
        )

    from quizzes.tasks import award_due_contest_placings

    assert award_due_contest_placings() == 2
    assert award_due_contest_placings() == 0  # once

    assert points.total_points(people["member_a2"]) == 20  # first of two: 2 × 10
    assert points.total_points(people["member_a1"]) == 10
    assert points.total_points(people["member_b1"]) == 0


def test_the_hub_lists_what_the_member_may_take(member_client, people, org_tree, bank):
    now = timezone.now()
    window = {"opens_at": now - dt.timedelta(days=1), "closes_at": now + dt.timedelta(days=1)}
    make_quiz(
        bank,
        title="本支部竞赛",
        kind=Quiz.Kind.CONTEST,
        organization=org_tree["branch_a1"],
        **window,
    )
    make_quiz(
        bank,
        title="别人的竞赛",
        kind=Quiz.Kind.CONTEST,
        organization=org_tree["branch_b1"],
        **window,
    )
    make_quiz(bank, title="专项", kind=Quiz.Kind.SPECIAL, **window)
    daily = Quiz.objects.create(title="每日答题", kind=Quiz.Kind.DAILY, selection="random")
    QuizDrawRule.objects.create(quiz=daily, bank=bank, count=3)

    html = member_client.get(reverse("quizzes:hub")).content.decode()

    assert "本支部竞赛" in html and "专项" in html
    assert "别人的竞赛" not in html
    assert "3 道题" in html


def test_daily_login_points_on_the_first_visit_of_each_day_only(
    client, people, point_rules, monkeypatch
):
    member = people["member_a1"]
    client.force_login(member)
    today = days.today()

    for _ in range(3):
        client.get(reverse("quizzes:hub"))

    entries = PointEntry.objects.filter(member=member, rule__code=points.DAILY_LOGIN)
    assert entries.count() == 1

    # The member stays logged in overnight (sessions last 14 days): the first visit of the
    # next day counts again, without logging in.
    tomorrow = timezone.now() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    client.get(reverse("quizzes:hub"))
    client.get(reverse("quizzes:hub"))

    assert sorted(entries.values_list("day", flat=True)) == [today, today + dt.timedelta(1)]


def test_daily_login_costs_no_query_after_the_first_visit(client, people, point_rules):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["member_a1"])
    client.get("/accounts/me/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/accounts/me/")

    assert not [q["sql"] for q in queries if "quizzes_" in q["sql"]]


def _other_option(question, right) -> list[str]:
    """The option of a true/false question that is not the right one."""
    return [str(o.pk) for o in question.options.all() if str(o.pk) not in right]


def test_results_say_whether_the_answer_was_right_apart_from_the_statement_and_offer_a_retry(
    member_client, people, bank
):
    """A true/false question whose right answer is 错误, answered 错误: the member reads
    「回答正确」, not a second 「正确」 beside 「错误」; a failed exam with attempts left offers
    再答一次 on its result page."""
    quiz = make_quiz(bank, max_attempts=3)
    started = member_client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(member=people["member_a1"], quiz=quiz)
    answers = _form_data(attempt)
    wrong = {}
    from quizzes.models import Question

    for question in Question.objects.filter(pk__in=attempt.question_ids()):
        key = f"q{question.pk}"
        if question.stem.startswith("党的最高领导机关"):
            wrong[key] = answers[key]  # right: 错误 is the right choice here
        elif question.stem.startswith("预备党员的预备期"):
            wrong[key] = _other_option(question, answers[key])  # wrong: 错误 chosen
        # the rest left unanswered: the exam is failed
    submitted = member_client.post(reverse("quizzes:submit", args=[attempt.pk]), wrong)

    html = member_client.get(submitted["Location"]).content.decode()

    assert started.status_code == 302
    assert "回答正确" in html and "回答错误" in html
    assert "再答一次" in html and "还剩 2 次" in html
    again = member_client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert again.status_code == 302
    assert Attempt.objects.filter(member=people["member_a1"], quiz=quiz).count() == 2


def test_my_points_says_which_days_this_week_and_this_month_are(member_client):
    today = days.today()
    monday = today - dt.timedelta(days=today.weekday())
    sunday = monday + dt.timedelta(days=6)

    html = member_client.get(reverse("quizzes:my_points")).content.decode()

    assert f"{monday.month}/{monday.day}–{sunday.month}/{sunday.day}" in html
    assert f"{today.month}月" in html
