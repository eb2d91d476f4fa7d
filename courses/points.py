"""Study points for learning (rules in quizzes.points): a completed lesson, a completed
course, each full minute of lecture video watched. Idempotency keys are stable, so a retried
or repeated call never pays twice; awards are made after the progress is committed."""

from django.db import transaction

from lms.accounts.models import User
from quizzes.models import PointRule
from quizzes.points import (
    COURSE_COMPLETED,
    LESSON_COMPLETED,
    VIDEO_MINUTES,
    award_points,
    point_key,
)

from .models import CoursePage, LessonPage, LessonProgress

VIDEO_MINUTE_SECONDS = 60


def course_completed_rule() -> PointRule | None:
    return PointRule.objects.filter(code=COURSE_COMPLETED, enabled=True).first()


def course_completion_points(course: CoursePage, rule: PointRule | None) -> int | None:
    """Points completing `course` earns: its own value, else the "course_completed" rule's
    (`rule`, from `course_completed_rule()`); None when that rule is switched off — every
    point comes from a rule, which also caps it."""
    if rule is None:
        return None
    return course.completion_points or rule.points


def award_lesson_completed(user: User, lesson: LessonPage) -> None:
    award_points(
        user, LESSON_COMPLETED, lesson.title, point_key(LESSON_COMPLETED, user.pk, lesson.pk)
    )


def award_course_completed(user: User, course: CoursePage) -> None:
    award_points(
        user,
        COURSE_COMPLETED,
        course.title,
        point_key(COURSE_COMPLETED, user.pk, course.pk),
        points=course.completion_points,
    )


def award_video_minutes(progress: LessonProgress) -> None:
    """Points for each newly completed minute of unique watched time (call with the progress
    row locked; the counter moves in the same transaction, the awards follow the commit)."""
    minutes = int(progress.unique_watched_seconds // VIDEO_MINUTE_SECONDS)
    first_new = progress.video_minutes_credited + 1
    if minutes < first_new:
        return
    progress.video_minutes_credited = minutes
    progress.save(update_fields=["video_minutes_credited"])
    user, lesson = progress.user, progress.lesson

    def award() -> None:
        for minute in range(first_new, minutes + 1):
            award_points(
                user,
                VIDEO_MINUTES,
                lesson.title,
                point_key(VIDEO_MINUTES, user.pk, lesson.pk, minute),
            )

    transaction.on_commit(award)
