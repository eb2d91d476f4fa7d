"""The quiz and points API: shapes as documented, refusals with reasons, organisation scoping."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes import points
from quizzes.models import PointEntry, Quiz, QuizDrawRule

from .factories import correct_answers, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def client_for(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for


def test_starting_an_attempt_returns_questions_without_answers(people, quiz, api):
    response = api(people["member_a1"]).post(f"/api/v1/quizzes/{quiz.pk}/attempts/")

    assert response.status_code == 201
    body = response.json()
    assert set(body) >= {"attempt_id", "questions", "deadline"}
    assert body["deadline"] is None
    assert len(body["questions"]) == 8
    for question in body["questions"]:
        assert set(question) == {"id", "type", "stem", "options"}
        assert all(set(option) == {"id", "text"} for option in question["options"])
    raw = response.content.decode()
    for secret in ("is_correct", "correct", "accepted", "explanation", "服务人民", "解析"):
        assert secret not in raw


def test_submitting_grades_on_the_server(people, quiz, api):
    client = api(people["member_a1"])
    started = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    from quizzes.models import Attempt

    answers = correct_answers(Attempt.objects.get(pk=started["attempt_id"]))
    fill = next(q for q in started["questions"] if q["type"] == "fill_blank")
    answers[str(fill["id"])] = "  ＿＿不对＿＿ "  # one wrong answer

    response = client.post(
        f"/api/v1/attempts/{started['attempt_id']}/submit/", {"answers": answers}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["score"], body["max_score"], body["passed"]) == (7, 8, True)
    assert body["points_awarded"] == 0
    wrong = next(r for r in body["results"] if r["question_id"] == fill["id"])
    assert wrong["correct"] is False and wrong["accepted_answers"]


def test_a_second_submission_is_refused_with_409(people, quiz, api):
    client = api(people["member_a1"])
    attempt_id = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["attempt_id"]
    url = f"/api/v1/attempts/{attempt_id}/submit/"
    assert client.post(url, {"answers": {}}, format="json").status_code == 200

    again = client.post(url, {"answers": {}}, format="json")

    assert again.status_code == 409
    assert again.json() == {
        "detail": "本次作答已经交卷，不能重复提交。",
        "code": "already_submitted",
    }


def test_an_answer_to_a_question_outside_the_attempt_is_a_400(people, bank, api):
    quiz = Quiz.objects.create(title="随机", selection=Quiz.Selection.RANDOM)
    QuizDrawRule.objects.create(quiz=quiz, bank=bank, count=2)
    client = api(people["member_a1"])
    started = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    drawn = {q["id"] for q in started["questions"]}
    outside = bank.questions.exclude(pk__in=drawn).first()

    response = client.post(
        f"/api/v1/attempts/{started['attempt_id']}/submit/",
        {"answers": {str(outside.pk): "1921"}},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_question"
    assert f"题目 {outside.pk} 不在本次作答中" in response.json()["detail"]


def test_a_late_submission_is_refused(people, bank, api):
    quiz = make_quiz(bank, time_limit_minutes=1)
    member = people["member_a1"]
    from quizzes import services

    attempt = services.start_attempt(
        member, quiz, at=timezone.now() - dt.timedelta(minutes=2)
    ).attempt

    response = api(member).post(
        f"/api/v1/attempts/{attempt.pk}/submit/", {"answers": {}}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "time_up"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"answers": "all of them"}',
        b'{"answers": {"abc": 1}}',
        b'{"answers": {"1": {"deep": [1]}}}',
        b'{"answers": null}',
        b"{}",
    ],
)
def test_tampered_payloads_never_crash(people, quiz, api, body):
    client = api(people["member_a1"])
    attempt_id = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["attempt_id"]

    response = client.post(
        f"/api/v1/attempts/{attempt_id}/submit/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["detail"]


def test_garbage_for_a_real_question_is_a_400(people, quiz, api):
    client = api(people["member_a1"])
    started = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    choice = next(q for q in started["questions"] if q["type"] == "single")

    for answer in ([10**12], ["x"], [True], {"a": 1}, [choice["options"][0]["id"]] * 50):
        response = client.post(
            f"/api/v1/attempts/{started['attempt_id']}/submit/",
            {"answers": {str(choice["id"]): answer}},
            format="json",
        )
        assert response.status_code == 400, answer
        assert response.json()["code"] == "bad_answers"


def test_someone_elses_attempt_is_a_404(people, quiz, api):
    attempt_id = (
        api(people["member_a1"]).post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["attempt_id"]
    )

    response = api(people["member_a2"]).post(
        f"/api/v1/attempts/{attempt_id}/submit/", {"answers": {}}, format="json"
    )

    assert response.status_code == 404


def test_a_quiz_of_another_organisation_is_a_404(people, org_tree, bank, api):
    quiz = make_quiz(bank, organization=org_tree["branch_b1"])

    assert api(people["member_a1"]).post(f"/api/v1/quizzes/{quiz.pk}/attempts/").status_code == 404
    assert api(people["member_b1"]).post(f"/api/v1/quizzes/{quiz.pk}/attempts/").status_code == 201


def test_the_attempts_limit_is_a_403_with_a_reason(people, bank, api):
    quiz = make_quiz(bank, max_attempts=1)
    client = api(people["member_a1"])
    attempt_id = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["attempt_id"]
    client.post(f"/api/v1/attempts/{attempt_id}/submit/", {"answers": {}}, format="json")

    response = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")

    assert response.status_code == 403
    assert response.json()["detail"] == "您已用完本测验的全部 1 次作答机会。"


def test_the_daily_quiz_once_a_day_with_points_per_correct_answer(people, bank, api, point_rules):
    daily = Quiz.objects.create(title="每日答题", kind=Quiz.Kind.DAILY, selection="random")
    QuizDrawRule.objects.create(quiz=daily, bank=bank, count=5)
    member = people["member_a1"]
    client = api(member)

    started = client.post("/api/v1/daily-quiz/attempts/")
    assert started.status_code == 201
    assert len(started.json()["questions"]) == 5
    resumed = client.post("/api/v1/daily-quiz/attempts/")
    assert (
        resumed.status_code == 200 and resumed.json()["attempt_id"] == started.json()["attempt_id"]
    )

    from quizzes.models import Attempt

    attempt = Attempt.objects.get(pk=started.json()["attempt_id"])
    answers = correct_answers(attempt)
    del answers[next(iter(answers))]  # four right, one unanswered
    graded = client.post(
        f"/api/v1/attempts/{attempt.pk}/submit/", {"answers": answers}, format="json"
    ).json()
    assert graded["score"] == 4 and graded["points_awarded"] == 4

    again = client.post("/api/v1/daily-quiz/attempts/")
    assert again.status_code == 403 and again.json()["code"] == "daily_done"
    mine = client.get("/api/v1/me/points/").json()
    daily_rule = next(r for r in mine["today"] if r["rule"] == points.DAILY_QUIZ_CORRECT)
    assert daily_rule == {
        "rule": "daily_quiz_correct",
        "name": "每日答题",
        "points": 4,
        "daily_cap": 5,
    }


def test_the_daily_quiz_draws_fresh_questions_while_the_bank_allows(people, bank):
    daily = Quiz.objects.create(title="每日答题", kind=Quiz.Kind.DAILY, selection="random")
    QuizDrawRule.objects.create(quiz=daily, bank=bank, count=4)
    member = people["member_a1"]
    from quizzes import services

    today = timezone.now()
    first = services.start_daily_attempt(member, at=today - dt.timedelta(days=1)).attempt
    second = services.start_daily_attempt(member, at=today).attempt

    assert not set(first.question_ids()) & set(second.question_ids())
    assert len(second.question_ids()) == 4


def token_client(user) -> APIClient:
    """A client like the mobile app: `Authorization: Token <key>`, no session."""
    from tests.factories import api_token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return client


def test_my_points_has_total_today_and_history(people, point_rules):
    member = people["member_a1"]
    points.award_points(member, points.COURSE_COMPLETED, "course:1", "cc:1")
    points.award_points(member, points.LESSON_COMPLETED, "lesson:1", "lc:1")

    body = token_client(member).get("/api/v1/me/points/").json()

    # the API call itself is the day's first visit: +1 for logging in
    assert body["total"] == 7
    assert {"rule", "name", "points", "daily_cap"} == set(body["today"][0])
    assert [h["rule"] for h in body["history"]] == [
        "daily_login",
        "lesson_completed",
        "course_completed",
    ]
    assert body["history"][2]["points"] == 5


def test_a_token_clients_first_request_of_the_day_is_its_daily_login(people, point_rules):
    member, other = people["member_a1"], people["member_a2"]
    app = token_client(member)

    # Any endpoint counts, not only the quiz ones; the second request adds nothing.
    assert app.get("/api/v1/me/").status_code == 200
    assert app.get("/api/v1/courses/").status_code == 200
    assert [e.rule.code for e in PointEntry.objects.filter(member=member)] == ["daily_login"]
    # A wrong token earns nothing, and nobody else is credited.
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert stranger.get("/api/v1/me/").status_code == 401
    assert not PointEntry.objects.exclude(member=member).exists()
    assert app.get("/api/v1/me/points/").json()["total"] == 1
    token_client(other).get("/api/v1/me/")
    assert PointEntry.objects.filter(member=other, rule__code="daily_login").count() == 1


def test_leaderboard_ranks_the_organisation_subtree(people, org_tree, api, point_rules):
    for name, count in (("member_a1", 3), ("member_a2", 5), ("member_b1", 9)):
        for n in range(count):
            points.award_points(people[name], points.LESSON_COMPLETED, "l", f"{name}:{n}")

    body = (
        api(people["member_a1"])
        .get(f"/api/v1/leaderboard/?org={org_tree['general_a'].pk}&period=week")
        .json()
    )

    assert [(e["name"], e["points"], e["rank"]) for e in body["entries"]] == [
        ("陈静", 5, 1),
        ("刘洋", 3, 2),
    ]
    assert body["me"] == {"rank": 2, "points": 3}
    assert body["organization"]["name"] == "机关党总支"


def test_leaderboard_of_an_organisation_the_member_is_not_in_is_a_404(people, org_tree, api):
    member = api(people["member_a1"])

    assert member.get(f"/api/v1/leaderboard/?org={org_tree['branch_b1'].pk}").status_code == 404
    assert member.get(f"/api/v1/leaderboard/?org={org_tree['branch_a2'].pk}").status_code == 404
    assert member.get(f"/api/v1/leaderboard/?org={org_tree['committee'].pk}").status_code == 200
    assert member.get("/api/v1/leaderboard/").json()["organization"]["name"] == "第一党支部"
    # a role covers a subtree: the general branch's organiser sees its branches
    organiser = api(people["head_general_a"])
    assert organiser.get(f"/api/v1/leaderboard/?org={org_tree['branch_a2'].pk}").status_code == 200
    assert organiser.get(f"/api/v1/leaderboard/?org={org_tree['branch_b1'].pk}").status_code == 404


def test_leaderboard_refuses_an_unknown_period(people, api):
    response = api(people["member_a1"]).get("/api/v1/leaderboard/?period=decade")

    assert response.status_code == 400
    assert "period" in response.json()["detail"]


def test_the_endpoints_are_in_the_openapi_schema(people, api):
    schema = api(people["member_a1"]).get("/api/schema/?format=json").json()

    for path in (
        "/api/v1/quizzes/{quiz_id}/attempts/",
        "/api/v1/attempts/{attempt_id}/submit/",
        "/api/v1/daily-quiz/attempts/",
        "/api/v1/me/points/",
        "/api/v1/leaderboard/",
    ):
        assert path in schema["paths"], path


def test_anonymous_callers_get_nothing(quiz):
    client = APIClient()

    assert client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").status_code in (401, 403)
    assert client.get("/api/v1/me/points/").status_code in (401, 403)


def test_points_history_says_in_words_what_earned_the_points(
    client, people, bank, api, point_rules
):
    """Members and branch heads read 「每日答题：党史每日一练」, never `attempt:25`."""
    daily = Quiz.objects.create(title="党史每日一练", kind=Quiz.Kind.DAILY, selection="random")
    QuizDrawRule.objects.create(quiz=daily, bank=bank, count=3)
    member = people["member_a1"]
    member_api = api(member)
    attempt_id = member_api.post("/api/v1/daily-quiz/attempts/").json()["attempt_id"]
    from quizzes.models import Attempt

    answers = correct_answers(Attempt.objects.get(pk=attempt_id))
    member_api.post(f"/api/v1/attempts/{attempt_id}/submit/", {"answers": answers}, format="json")

    history = member_api.get("/api/v1/me/points/").json()["history"]
    quiz_line = next(h for h in history if h["rule"] == points.DAILY_QUIZ_CORRECT)
    assert quiz_line["source"] == "党史每日一练"
    assert quiz_line["source_label"] == "每日答题：党史每日一练"
    client.force_login(member)
    page = client.get("/quizzes/points/").content.decode()
    assert "每日答题：党史每日一练" in page and f"attempt:{attempt_id}" not in page
    client.force_login(people["secretary_a1"])
    record = client.get(f"/dashboards/members/{member.pk}/").content.decode()
    assert "党史每日一练" in record and f"attempt:{attempt_id}" not in record
