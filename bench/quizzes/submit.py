"""Quiz submission throughput as a ratio to a minimal Django JSON view, in one run.

Builds a scratch database (SQLite in a temporary folder, or the PostgreSQL database in
DATABASE_URL) with a 10-question exam and a daily quiz, and, per client thread, enough
started attempts to submit for the whole run. Starts gunicorn (2 sync workers, the
production server) serving the site plus a minimal JSON view behind the same middleware, then
for the same number of seconds each POSTs, with token auth:

- `/api/bench/minimal/` (the baseline),
- `/api/v1/attempts/{id}/submit/` for an exam attempt (grading, no points),
- `/api/v1/attempts/{id}/submit/` for a daily-quiz attempt (grading and `award_points`).

Prints requests/s of each and the ratios to the baseline.

    .venv/bin/python bench/quizzes/submit.py
    DATABASE_URL=postgres://postgres@127.0.0.1/pm_bench \
        .venv/bin/python bench/quizzes/submit.py
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from bench import harness

harness.setup("bench-quizzes")

SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
# Attempts prepared per client and kind; a run that uses them all up stops with an error.
ATTEMPTS = int(os.environ.get("BENCH_ATTEMPTS", "1500"))
WARM_UP_SECONDS = 5.0


def build() -> tuple[list[str], dict[str, list[list[tuple[str, dict]]]]]:
    """Tokens of CLIENTS members and, per client, prepared (token, attempt id, answers) work
    for the exam and for the daily quiz (one member per daily attempt: once a day each)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from lms.accounts.models import MemberProfile, User
    from lms.core import days
    from quizzes import services
    from quizzes.models import Attempt, Quiz, QuizDrawRule
    from tests.factories import OrganizationFactory, api_token
    from tests.quizzes.factories import correct_answers, make_bank, make_quiz

    branch = OrganizationFactory(name="基准党支部")
    bank = make_bank("基准题库")
    extra = make_bank("基准题库二")
    exam = make_quiz(bank, title="基准考试", max_attempts=0)
    for question in extra.questions.all()[:2]:
        exam.fixed_questions.create(question=question, sort_order=99)
    daily = Quiz.objects.create(title="每日答题", kind=Quiz.Kind.DAILY, selection="random")
    QuizDrawRule.objects.create(quiz=daily, bank=bank, count=5)

    users = User.objects.bulk_create(
        [
            User(username=f"bench{n}", password=make_password(None))
            for n in range(CLIENTS * (ATTEMPTS + 1))
        ],
        batch_size=2000,
    )
    if users[0].pk is None:
        users = list(User.objects.filter(username__startswith="bench").order_by("pk"))
    MemberProfile.objects.bulk_create(
        [MemberProfile(user=u, real_name=u.username, organization=branch) for u in users],
        batch_size=2000,
    )
    with transaction.atomic():
        tokens = {u.pk: api_token(u, "bench") for u in users}

    now = timezone.now()
    today = days.day_of(now)
    template_exam = services.start_attempt(users[0], exam, at=now).attempt
    exam_answers = correct_answers(template_exam)
    template_daily = services.start_attempt(users[0], daily, at=now).attempt
    daily_answers = correct_answers(template_daily)
    clients = users[1 : CLIENTS + 1]
    exam_attempts = Attempt.objects.bulk_create(
        [
            Attempt(
                quiz=exam,
                member=member,
                number=n + 1,
                layout=template_exam.layout,
                started_at=now,
                max_score=template_exam.max_score,
            )
            for member in clients
            for n in range(ATTEMPTS)
        ],
        batch_size=2000,
    )
    daily_members = users[CLIENTS + 1 :]
    daily_attempts = Attempt.objects.bulk_create(
        [
            Attempt(
                quiz=daily,
                member=member,
                day=today,
                layout=template_daily.layout,
                started_at=now,
                max_score=template_daily.max_score,
            )
            for member in daily_members
        ],
        batch_size=2000,
    )
    if exam_attempts[0].pk is None:
        exam_attempts = list(Attempt.objects.filter(quiz=exam).exclude(pk=template_exam.pk))
        daily_attempts = list(Attempt.objects.filter(quiz=daily).exclude(pk=template_daily.pk))

    client_tokens = [tokens[m.pk] for m in clients]
    work = {"exam": [[] for _ in range(CLIENTS)], "daily": [[] for _ in range(CLIENTS)]}
    for index, attempt in enumerate(exam_attempts):
        work["exam"][index % CLIENTS].append(
            (tokens[attempt.member_id], f"/api/v1/attempts/{attempt.pk}/submit/", exam_answers)
        )
    for index, attempt in enumerate(daily_attempts):
        work["daily"][index % CLIENTS].append(
            (tokens[attempt.member_id], f"/api/v1/attempts/{attempt.pk}/submit/", daily_answers)
        )
    return client_tokens, work


def main() -> None:
    tokens, work = build()

    def prepared(queue: list[tuple[str, str, dict]]):
        return ((token, path, {"answers": answers}) for token, path, answers in queue)

    with harness.gunicorn() as port:
        # Warm up: each worker loads the whole site on its first requests.
        harness.requests_per_second(
            port, [harness.minimal_requests(t) for t in tokens], WARM_UP_SECONDS, warm_up=True
        )
        warm = [queue[-20:] for queue in work["exam"]]
        for queue in work["exam"]:
            del queue[-20:]
        harness.requests_per_second(port, [prepared(q) for q in warm], 10.0, warm_up=True)
        minimal = harness.requests_per_second(
            port, [harness.minimal_requests(t) for t in tokens], SECONDS
        )
        exam = harness.requests_per_second(port, [prepared(q) for q in work["exam"]], SECONDS)
        daily = harness.requests_per_second(port, [prepared(q) for q in work["daily"]], SECONDS)
    print(f"{harness.database_name()}; {CLIENTS} clients, {SECONDS:g} s each, gunicorn 2 workers")
    print(f"minimal Django JSON view:          {minimal:8.1f} requests/s")
    print(f"submit a 10-question exam:         {exam:8.1f} requests/s")
    print(f"submit the daily quiz (+ points):  {daily:8.1f} requests/s")
    print(f"ratio exam submit/minimal:         {exam / minimal:8.3f}")
    print(f"ratio daily-quiz submit/minimal:   {daily / minimal:8.3f}")


if __name__ == "__main__":
    main()
