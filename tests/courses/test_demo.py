"""The demo courses built by `manage.py load_demo_data` (after the other apps' demo data)."""

import pytest
from django.core.management import call_command

from courses.models import (
    CatalogPage,
    Certificate,
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    RequiredCourseAssignment,
)
from lms.accounts.models import User
from lms.core import days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site")]


def test_demo_catalogue_is_built_once_and_is_usable(client):
    call_command("load_demo_data")
    call_command("load_demo_data")

    assert CatalogPage.objects.live().count() == 1
    titles = set(CoursePage.objects.live().values_list("title", flat=True))
    assert {"党史学习教育", "党章党规专题"} <= titles
    history = CoursePage.objects.get(title="党史学习教育")
    first = history.lessons().first()
    assert first.has_video and first.complete_video_percent == 90
    block_types = {b.block_type for lesson in LessonPage.objects.all() for b in lesson.body}
    assert {"text", "video", "quiz", "h5p", "quote"} <= block_types
    # Published through the workflow's roles: the trainer's revision, the reviewer's approval.
    revision = history.get_latest_revision()
    assert revision.user.username == "trainer"
    assert history.live_revision == revision

    # (The dashboards' demo requires two more courses of 机关党总支 and the branch.)
    assignment = RequiredCourseAssignment.objects.get(course__title="党章党规专题")
    secretary = User.objects.get(username="secretary")
    assert assignment.organization == secretary.organization
    # Required by the secretary, due in the future, with every branch member enrolled.
    assert assignment.assigned_by == secretary and assignment.deadline > days.today()
    branch_members = User.objects.filter(profile__organization=secretary.organization)
    assert branch_members.count() >= 5
    assert set(branch_members) <= {e.user for e in assignment.course.enrollments.all()}
    member = User.objects.get(username="member")
    assert Enrollment.objects.filter(user=member, course=assignment.course).exists()
    assert LessonProgress.objects.filter(user=member, completed_at__isnull=False).exists()
    assert Certificate.objects.filter(course=assignment.course).count() == 3

    client.force_login(member)
    assert "党史学习教育" in client.get("/").content.decode()
    assert client.get(first.url).status_code == 200
    assert client.get("/learning/").status_code == 200
    member2 = User.objects.get(username="member2")
    practice = CoursePage.objects.get(title="基层党务工作实务")
    client.force_login(member2)
    assert client.get(practice.url).status_code == 404  # for 机关党总支 only
