"""Watch time against a real lecture video: an ffmpeg-made clip uploaded and transcoded by a
real Celery worker, its probed duration measuring the watched share."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from courses.enrolment import enroll
from courses.models import LessonProgress, StudyClock

from .pages import add_course, add_lesson
from .videos import CLIP_SECONDS, transcoded_video


@pytest.mark.worker
def test_watching_a_transcoded_lecture_completes_the_lesson(
    celery_worker, site, catalog, people, lecture_clip
):
    video = transcoded_video(lecture_clip, people["trainer"])
    assert video.duration == pytest.approx(CLIP_SECONDS, abs=0.5)
    course = add_course(catalog, "党史学习教育")
    lesson = add_lesson(
        course,
        "第一课 开天辟地",
        [("video", {"video": video, "caption": ""})],
        complete_video_percent=80,
    )
    member = people["member_a1"]
    enroll(member, course)
    api = APIClient()
    api.force_authenticate(member)
    url = f"/api/v1/lessons/{lesson.pk}/heartbeat/"

    def beat(played, position, seconds_later):
        StudyClock.objects.update_or_create(
            member=member,
            defaults={"last_video_heartbeat_at": timezone.now() - timedelta(seconds=seconds_later)},
        )
        return api.post(url, {"played": played, "position": position}, format="json").json()

    # Plays 10 s, then seeks to 25 s and plays to the end: only what was played counts.
    beat([[0, 10]], 10, seconds_later=10)
    skipped = beat([[25, 40]], 30, seconds_later=6)
    assert skipped["unique_watched_seconds"] == pytest.approx(15, abs=0.6)
    assert skipped["resume_position"] == pytest.approx(CLIP_SECONDS, abs=0.6)
    assert not skipped["completed"]

    # Goes back and watches the part skipped over.
    done = beat([[10, 25]], 25, seconds_later=15)
    assert done["percent"] == pytest.approx(100, abs=2)
    assert done["completed"]
    progress = LessonProgress.objects.get(user=member, lesson=lesson)
    assert progress.completed_at is not None
