"""Heartbeat endpoint throughput as a ratio to a minimal Django JSON view, in one run.

Builds a scratch database (SQLite in a temporary folder, or the PostgreSQL database in
DATABASE_URL), a course with a ten-minute lecture video and one enrolled member per client,
starts gunicorn (2 sync workers, the production server) with the site plus a minimal JSON view
behind the same middleware, then for the same number of seconds each POSTs
`/api/bench/minimal/` and `/api/v1/lessons/{id}/heartbeat/` (token auth, a played range and a
position per request) from BENCH_CLIENTS threads. Prints requests/s of each and their ratio.

    .venv/bin/python bench/heartbeat/run.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pm_bench .venv/bin/python bench/heartbeat/run.py
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from bench import harness

harness.setup("bench-heartbeat")

SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
WARM_UP_SECONDS = 8.0


def build() -> tuple[int, list[str]]:
    """A published course with a video lesson; CLIENTS enrolled members and their tokens."""
    from courses.enrolment import enroll
    from courses.models import CatalogPage, CoursePage, LessonPage
    from lms.core.models import HomePage
    from media_pipeline.models import VideoAsset
    from tests.factories import OrganizationFactory, api_token, make_member

    home = HomePage.objects.first()
    catalog = home.add_child(instance=CatalogPage(title="课程中心", slug="bench-courses"))
    course = catalog.add_child(instance=CoursePage(title="基准课程", summary="基准测试"))
    video = VideoAsset.objects.create(
        title="基准视频", original="videos/bench.mp4", status="ready", duration=600
    )
    lesson = course.add_child(
        instance=LessonPage(
            title="第一课", body=[("video", {"video": video})], complete_video_percent=90
        )
    )
    branch = OrganizationFactory(name="基准党支部")
    tokens = []
    for n in range(CLIENTS):
        member = make_member(branch, f"bench{n}")
        enroll(member, course)
        tokens.append(api_token(member, "bench"))
    return lesson.pk, tokens


def heartbeats(token: str, lesson_id: int):
    """Endless heartbeats of ten played seconds each, moving through the video."""
    path = f"/api/v1/lessons/{lesson_id}/heartbeat/"
    step = 0
    while True:
        start = (step * 10) % 590
        yield token, path, {"position": start + 10, "played": [[start, start + 10]]}
        step += 1


def main() -> None:
    lesson_id, tokens = build()
    with harness.gunicorn() as port:
        harness.requests_per_second(
            port, [harness.minimal_requests(t) for t in tokens], WARM_UP_SECONDS, warm_up=True
        )
        harness.requests_per_second(
            port, [heartbeats(t, lesson_id) for t in tokens], WARM_UP_SECONDS, warm_up=True
        )
        minimal = harness.requests_per_second(
            port, [harness.minimal_requests(t) for t in tokens], SECONDS
        )
        beats = harness.requests_per_second(
            port, [heartbeats(t, lesson_id) for t in tokens], SECONDS
        )
    print(f"{harness.database_name()}; {CLIENTS} clients, {SECONDS:g} s each, gunicorn 2 workers")
    print(f"minimal Django JSON view: {minimal:8.1f} requests/s")
    print(f"heartbeat endpoint:       {beats:8.1f} requests/s")
    print(f"ratio heartbeat/minimal:  {beats / minimal:8.3f}")


if __name__ == "__main__":
    main()
