"""When a lesson and a course are complete: the one place that applies completion rules.

A lesson's rule is the conditions its trainer chose (watched ≥ N % of the lecture video,
every quiz passed, every H5P activity completed, on the page ≥ N seconds); all chosen ones
must hold, and a lesson with none is complete once opened. A course is complete when every
required live lesson is. Completion times are written once and never moved; the signals
`lesson_completed` / `course_completed` go out after the transaction commits.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import User
from lms.core.locking import lock_or_create

from . import signals
from .models import Certificate, CoursePage, Enrollment, LessonPage, LessonProgress


@dataclass
class Condition:
    """One condition of a lesson's rule and whether this member meets it."""

    code: str
    label: str
    met: bool


def lesson_conditions(user: User, lesson: LessonPage, progress: LessonProgress) -> list[Condition]:
    """The conditions of the lesson's rule, each with whether `user` meets it now."""
    conditions = []
    if lesson.complete_video_percent:
        percent = progress.watched_percent(lesson.video_duration())
        conditions.append(
            Condition(
                "video",
                _("Watch at least %(percent)s%% of the video")
                % {"percent": lesson.complete_video_percent},
                percent >= lesson.complete_video_percent,
            )
        )
    if lesson.complete_quiz:
        conditions.append(Condition("quiz", _("Pass the quiz"), quizzes_passed(user, lesson)))
    if lesson.complete_h5p:
        conditions.append(
            Condition("h5p", _("Complete the interactive activity"), h5p_completed(user, lesson))
        )
    if lesson.complete_read_seconds:
        minutes, seconds = divmod(lesson.complete_read_seconds, 60)
        conditions.append(
            Condition(
                "read",
                _("Study the page for %(time)s") % {"time": f"{minutes}:{seconds:02d}"},
                progress.read_seconds >= lesson.complete_read_seconds,
            )
        )
    return conditions


def rule_summary(lesson: LessonPage) -> dict:
    """The lesson's rule as data (for the API)."""
    return {
        "video_percent": lesson.complete_video_percent,
        "quiz_passed": lesson.complete_quiz,
        "h5p_completed": lesson.complete_h5p,
        "read_seconds": lesson.complete_read_seconds,
    }


def quizzes_passed(user: User, lesson: LessonPage) -> bool:
    """Whether the member has passed every quiz in the lesson."""
    from quizzes.services import has_passed

    quizzes = [value["quiz"] for value in lesson.blocks_of_type("quiz")]
    return bool(quizzes) and all(q is not None and has_passed(user, q) for q in quizzes)


def h5p_completed(user: User, lesson: LessonPage) -> bool:
    """Whether the member has completed every H5P activity in the lesson."""
    from courses.h5p.services import has_completed

    packages = [value["package"] for value in lesson.blocks_of_type("h5p")]
    return bool(packages) and all(p is not None and has_completed(user, p) for p in packages)


def update_lesson_completion(
    user: User,
    lesson: LessonPage,
    progress: LessonProgress | None = None,
    *,
    now: datetime | None = None,
) -> bool:
    """Evaluate the lesson's rule for an enrolled member; record the completion once.

    Returns whether the lesson is complete. Call with the progress row locked (inside a
    transaction) or without one: it is then locked here.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if progress is None:
            progress = lock_or_create(LessonProgress, user=user, lesson=lesson)
        if progress.completed_at is not None:
            return True
        if not all(c.met for c in lesson_conditions(user, lesson, progress)):
            return False
        progress.completed_at = now
        progress.save(update_fields=["completed_at", "updated_at"])
        transaction.on_commit(
            lambda: signals.lesson_completed.send(
                sender=LessonPage, user=user, lesson=lesson, progress=progress
            )
        )
        course = lesson.course
        if course is not None:
            update_course_completion(user, course, now=now)
    return True


def required_lessons(course: CoursePage) -> models.QuerySet[LessonPage]:
    """The course's live lessons that count for its completion."""
    return course.lessons().filter(is_required=True)


def update_course_completion(
    user: User, course: CoursePage, *, now: datetime | None = None
) -> bool:
    """Complete the member's enrolment when every required live lesson is complete: the time
    is recorded once, a certificate is issued and `course_completed` is sent."""
    now = now or timezone.now()
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().filter(user=user, course=course).first()
        if enrollment is None:
            return False
        if enrollment.completed_at is not None:
            return True
        lesson_ids = list(required_lessons(course).values_list("pk", flat=True))
        if not lesson_ids:
            return False
        done = LessonProgress.objects.filter(
            user=user, lesson_id__in=lesson_ids, completed_at__isnull=False
        ).count()
        if done < len(lesson_ids):
            return False
        enrollment.completed_at = now
        enrollment.save(update_fields=["completed_at"])
        issue_certificate(enrollment)
        transaction.on_commit(
            lambda: signals.course_completed.send(
                sender=CoursePage, user=user, course=course, enrollment=enrollment
            )
        )
    return True


def issue_certificate(enrollment: Enrollment) -> Certificate:
    """The certificate for a completed enrolment (one per member and course)."""
    if enrollment.completed_at is None:
        raise ValueError("A certificate is for a completed enrolment.")
    user, course = enrollment.user, enrollment.course
    organization = user.organization
    certificate, _created = Certificate.objects.get_or_create(
        user=user,
        course=course,
        defaults={
            "holder_name": user.display_name,
            "organization_name": organization.name if organization else "",
            "course_title": course.title,
            "credit_hours": course.credit_hours,
            "completed_at": enrollment.completed_at,
        },
    )
    return certificate


def course_progress(user: User, course: CoursePage) -> tuple[int, int]:
    """(required lessons completed, required lessons) for the member."""
    lesson_ids = list(required_lessons(course).values_list("pk", flat=True))
    done = LessonProgress.objects.filter(
        user=user, lesson_id__in=lesson_ids, completed_at__isnull=False
    ).count()
    return done, len(lesson_ids)


def progress_by_course(user: User, courses: list[CoursePage]) -> dict[int, tuple[int, int]]:
    """Course id → (required lessons completed, required lessons), in three queries."""
    if not courses:
        return {}
    by_path = {course.path: course.pk for course in courses}
    depths = {course.depth + 1 for course in courses}
    lessons = list(
        LessonPage.objects.live()
        .filter(is_required=True, depth__in=depths)
        .filter(reduce(or_, (Q(path__startswith=path) for path in by_path)))
        .values_list("pk", "path")
    )
    done = set(
        LessonProgress.objects.filter(
            user=user, lesson_id__in=[pk for pk, _path in lessons], completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    counts = {pk: [0, 0] for pk in by_path.values()}
    for pk, path in lessons:
        course_id = by_path.get(path[: -LessonPage.steplen])
        if course_id is not None:
            counts[course_id][1] += 1
            counts[course_id][0] += pk in done
    return {course_id: (d, t) for course_id, (d, t) in counts.items()}
