"""Reactions to events: members joining organisations, quizzes passed and H5P activities
completed (lesson completion), completions (study points)."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from courses.h5p.signals import h5p_completed
from lms.accounts.models import MemberProfile
from quizzes.signals import quiz_passed

from . import points, signals


@receiver(post_save, sender="courses.CatalogPage")
def _catalog_created(sender, instance, created: bool, raw: bool = False, **kwargs):
    """Trainers and reviewers may work on the courses of a new catalogue (courses.workflow)."""
    if created and not raw:
        from .workflow import grant_catalog_permissions

        grant_catalog_permissions(instance.pk)


@receiver(post_save, sender=MemberProfile)
def _member_placed(sender, instance: MemberProfile, created: bool, update_fields=None, **kwargs):
    """A new member, or one transferred in, is enrolled in the courses required there."""
    if not created and update_fields is not None and "organization" not in update_fields:
        return
    from .enrolment import enroll_in_required_courses

    user = instance.user
    transaction.on_commit(lambda: enroll_in_required_courses(user))


def _reevaluate(user, block_type: str, field: str, chosen) -> None:
    """Re-evaluate the member's unfinished lessons whose body holds `chosen` in a block."""
    from .completion import update_lesson_completion
    from .models import Enrollment, LessonPage, LessonProgress

    course_paths = Enrollment.objects.filter(user=user).values_list("course__path", flat=True)
    done = LessonProgress.objects.filter(user=user, completed_at__isnull=False).values("lesson_id")
    flag = {"quiz": "complete_quiz", "h5p": "complete_h5p"}[block_type]
    for path in course_paths:
        lessons = (
            LessonPage.objects.live()
            .filter(path__startswith=path, **{flag: True})
            .exclude(pk__in=done)
        )
        for lesson in lessons:
            if any(value[field] == chosen for value in lesson.blocks_of_type(block_type)):
                update_lesson_completion(user, lesson)


@receiver(quiz_passed)
def _quiz_passed(sender, user, quiz, **kwargs) -> None:
    _reevaluate(user, "quiz", "quiz", quiz)


@receiver(h5p_completed)
def _h5p_completed(sender, user, package, **kwargs) -> None:
    _reevaluate(user, "h5p", "package", package)


@receiver(signals.lesson_completed)
def _lesson_points(sender, user, lesson, **kwargs) -> None:
    points.award_lesson_completed(user, lesson)


@receiver(signals.course_completed)
def _course_points(sender, user, course, **kwargs) -> None:
    points.award_course_completed(user, course)
