"""In chromium: a member plays a transcoded lecture, reloads the lesson, and the player resumes
where they stopped; the heartbeats it sent are credited as unique watched seconds."""

from playwright.sync_api import expect

from courses.enrolment import enroll
from courses.models import LessonProgress
from tests.utils import wait_until

from .pages import add_course, add_lesson
from .videos import transcoded_video


def wait_for_position(page, condition, timeout: float = 30) -> None:
    """Poll the video's current time (the strict CSP forbids Playwright's in-page polling)."""
    wait_until(
        lambda: condition(page.evaluate("document.querySelector('video').currentTime")),
        timeout=timeout,
        message="the video did not get there",
    )


def test_player_resumes_after_reload(
    celery_worker, login, people, live_server, page, catalog, lecture_clip
):
    video = transcoded_video(lecture_clip, people["trainer"])
    course = add_course(catalog, "党史学习教育")
    lesson = add_lesson(
        course,
        "第一课 开天辟地",
        [("video", {"video": video, "caption": "主讲：李讲师"})],
        complete_video_percent=90,
    )
    member = people["member_a1"]
    enroll(member, course)
    login("member_a1")
    page.goto(f"{live_server.url}{lesson.url}")
    player = page.locator("video").first
    expect(player).to_be_visible()

    page.evaluate("document.querySelector('video').muted = true")
    page.evaluate("document.querySelector('video').play()")
    wait_for_position(page, lambda t: t > 6)
    with page.expect_response(lambda r: "/heartbeat/" in r.url and r.status == 200) as answer:
        page.evaluate("document.querySelector('video').pause()")
    stopped_at = answer.value.json()["resume_position"]
    assert stopped_at > 5

    progress = LessonProgress.objects.get(user=member, lesson=lesson)
    assert progress.unique_watched_seconds > 4
    expect(page.locator("[data-lesson-percent-text]")).not_to_have_text("0%")

    page.reload()
    wait_for_position(page, lambda t: abs(t - stopped_at) < 1.5)
