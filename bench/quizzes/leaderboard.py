"""Leaderboard time and query count for an organisation of 10k and of 100k members.

Builds, in a scratch SQLite database (or the PostgreSQL one in DATABASE_URL), a committee
with 10 general branches × 10 branches and N members with this week's points (the period
totals `award_points` keeps; written here in bulk so that 100k members build in seconds).
For each N it measures the week's board of the whole committee (the top 50 and the viewer's
own rank), of one branch, and the whole API request `GET /api/v1/leaderboard/`. Prints time
and query count per board and size; the query count must be the same for every size.

    .venv/bin/python bench/quizzes/leaderboard.py
    DATABASE_URL=postgres://postgres@127.0.0.1/pm_bench \
        .venv/bin/python bench/quizzes/leaderboard.py
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from bench import harness

harness.setup("bench-leaderboard")

from django.db import connection

SIZES = (10_000, 100_000)


def build(members: int):
    """The tree and `members` members, each with points this week (a few with none)."""
    from lms.core import days
    from quizzes.models import PointTotal
    from quizzes.points import period_start

    PointTotal.objects.all().delete()
    committee, _generals, branches = harness.build_tree()
    users = harness.bulk_members(members, branches)
    rng = random.Random(7)
    today = days.today()
    rows = []
    for user in users:
        if rng.random() < 0.9:
            for period in ("day", "week", "month", "year"):
                rows.append(
                    PointTotal(
                        member=user,
                        period=period,
                        start=period_start(period, today),
                        points=rng.randrange(1, 400),
                    )
                )
    PointTotal.objects.bulk_create(rows, batch_size=5000)
    viewer = users[len(users) // 2]
    return committee, branches[0], viewer


def main() -> None:
    from rest_framework.test import APIClient

    from lms.accounts.models import User
    from quizzes.leaderboard import leaderboard

    print(f"database: {harness.database_name()}")
    results = {}
    for size in SIZES:
        started = time.perf_counter()
        committee, branch, viewer = build(size)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"built {size} members in {time.perf_counter() - started:.1f} s")
        client = APIClient()

        def committee_board(committee=committee, viewer=viewer):
            member = User.objects.get(pk=viewer.pk)
            leaderboard(committee, "week", viewer=member)

        def branch_board(branch=branch, viewer=viewer):
            member = User.objects.get(pk=viewer.pk)
            leaderboard(branch, "week", viewer=member)

        def api_request(committee=committee, viewer=viewer, client=client):
            client.force_authenticate(User.objects.get(pk=viewer.pk))
            response = client.get(f"/api/v1/leaderboard/?org={committee.pk}&period=week")
            assert response.status_code == 200, response.content

        results[size] = {
            "committee board (top 50 + my rank)": harness.best_time(committee_board),
            "one branch's board": harness.best_time(branch_board),
            "GET /api/v1/leaderboard/ (committee)": harness.best_time(api_request),
        }
        for name, (seconds, queries) in results[size].items():
            print(f"{size:>7} members | {name:<38} {seconds * 1000:8.2f} ms  {queries} queries")
    print()
    small, large = SIZES[0], SIZES[-1]
    for name in results[small]:
        a, b = results[small][name], results[large][name]
        same = "same" if a[1] == b[1] else "DIFFERENT"
        ratio = b[0] / a[0]
        print(
            f"{name:<38} time {large // 1000}k/{small // 1000}k = {ratio:5.1f}×  "
            f" query count {same}"
        )


if __name__ == "__main__":
    main()
