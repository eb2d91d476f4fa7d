"""Required courses (必修课): assigned to a subtree with a deadline; current and future members
are enrolled; overdue is visible; only branch heads (and admins) of that subtree assign."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.assignments import assign_required_course
from courses.enrolment import EnrolmentError, enroll_assignment_members, required_for
from courses.models import Enrollment, RequiredCourseAssignment
from courses.tasks import enrol_required_course
from lms.orgs.services import transfer_member
from tests.factories import make_member
from tests.utils import wait_until

from .pages import add_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def deadline():
    return timezone.localdate() + timedelta(days=30)


def enrolled(course) -> set[str]:
    return set(Enrollment.objects.filter(course=course).values_list("user__username", flat=True))


def test_assignment_enrols_every_current_member_of_the_subtree(people, org_tree, course, deadline):
    assignment = assign_required_course(
        people["head_general_a"], course, org_tree["general_a"], deadline
    )
    enrol_required_course(assignment.pk)  # what the worker runs after commit

    assert enrolled(course) == {"secretary_a1", "head_general_a", "member_a1", "member_a2"}
    assert set(Enrollment.objects.values_list("source", flat=True)) == {"assigned"}
    assert enroll_assignment_members(assignment) == 0  # running again changes nothing


def test_members_who_join_or_transfer_in_later_are_enrolled(
    people, org_tree, course, deadline, django_capture_on_commit_callbacks
):
    assignment = assign_required_course(
        people["secretary_a1"], course, org_tree["branch_a1"], deadline
    )
    enroll_assignment_members(assignment)

    with django_capture_on_commit_callbacks(execute=True):
        newcomer = make_member(org_tree["branch_a1"], "newcomer", real_name="新党员")
    with django_capture_on_commit_callbacks(execute=True):
        transfer_member(people["member_b1"], org_tree["branch_a1"], by=None)

    assert {"newcomer", "member_b1"} <= enrolled(course)
    assert required_for(newcomer)[course.pk].assignment == assignment


def test_bulk_imported_members_are_caught_by_the_periodic_sync(people, org_tree, course, deadline):
    from courses.tasks import sync_required_enrolments
    from lms.accounts.models import MemberProfile, User

    assign_required_course(people["secretary_a1"], course, org_tree["branch_a1"], deadline)
    user = User.objects.create(username="imported")
    MemberProfile.objects.bulk_create(  # bulk import sends no signals
        [MemberProfile(user=user, real_name="导入", organization=org_tree["branch_a1"])]
    )

    sync_required_enrolments()

    assert "imported" in enrolled(course)


def test_branch_head_cannot_assign_outside_their_subtree(people, org_tree, course, deadline):
    with pytest.raises(EnrolmentError):
        assign_required_course(people["secretary_a1"], course, org_tree["branch_b1"], deadline)
    with pytest.raises(EnrolmentError):
        assign_required_course(people["member_a1"], course, org_tree["branch_a1"], deadline)
    assert not RequiredCourseAssignment.objects.exists()


def test_course_must_be_open_to_the_whole_subtree(people, org_tree, catalog, deadline):
    narrow = add_course(catalog, "第一支部专题", audience=[org_tree["branch_a1"]])
    with pytest.raises(EnrolmentError, match="学习对象"):
        assign_required_course(people["head_general_a"], narrow, org_tree["general_a"], deadline)


def test_deadline_in_the_past_is_refused(people, org_tree, course):
    with pytest.raises(EnrolmentError, match="截止日期"):
        assign_required_course(
            people["secretary_a1"],
            course,
            org_tree["branch_a1"],
            timezone.localdate() - timedelta(days=1),
        )


def test_overdue_state(people, org_tree, course):
    member = people["member_a1"]
    assignment = RequiredCourseAssignment.objects.create(
        course=course, organization=org_tree["branch_a1"], deadline=timezone.localdate()
    )
    enroll_assignment_members(assignment)
    assert not required_for(member)[course.pk].overdue  # the deadline day still counts

    assignment.deadline = timezone.localdate() - timedelta(days=1)
    assignment.save()
    status = required_for(member)[course.pk]
    assert status.overdue

    Enrollment.objects.filter(user=member, course=course).update(completed_at=timezone.now())
    status = required_for(member)[course.pk]
    assert not status.overdue
    assert status.completed_late


def test_my_learning_shows_required_courses_with_deadlines(client, people, org_tree, course):
    RequiredCourseAssignment.objects.create(
        course=course,
        organization=org_tree["general_a"],
        deadline=timezone.localdate() - timedelta(days=2),
    )
    client.force_login(people["member_a1"])

    page = client.get("/learning/").content.decode()

    assert course.title in page
    assert "逾期" in page
    assert Enrollment.objects.filter(user=people["member_a1"], course=course).exists()


def test_secretary_assigns_through_the_page(client, people, org_tree, course, deadline):
    client.force_login(people["secretary_a1"])
    assert 'href="/learning/required/"' in client.get("/learning/").content.decode()
    page = client.get("/learning/required/")
    assert page.status_code == 200
    assert list(page.context["form"].fields["organization"].queryset) == [org_tree["branch_a1"]]

    response = client.post(
        "/learning/required/",
        {
            "course": course.pk,
            "organization": org_tree["branch_a1"].pk,
            "deadline": deadline.isoformat(),
        },
    )
    assert response.status_code == 302
    assert RequiredCourseAssignment.objects.get().assigned_by == people["secretary_a1"]

    refused = client.post(
        "/learning/required/",
        {
            "course": course.pk,
            "organization": org_tree["branch_b1"].pk,
            "deadline": deadline.isoformat(),
        },
    )
    assert refused.status_code == 200
    assert RequiredCourseAssignment.objects.count() == 1


def test_members_without_a_managing_role_get_404(client, people):
    client.force_login(people["member_a1"])
    assert client.get("/learning/required/").status_code == 404


@pytest.mark.worker
def test_the_worker_enrols_the_subtree_after_commit(celery_worker, site, org_tree, people):
    """The assignment's enrolment job runs on a real Celery worker."""

    from courses.models import CatalogPage

    catalog = site.add_child(instance=CatalogPage(title="课程中心", slug="courses"))
    course = add_course(catalog, "党章党规专题")
    assign_required_course(
        people["head_general_a"],
        course,
        org_tree["general_a"],
        timezone.localdate() + timedelta(days=7),
    )

    wait_until(lambda: len(enrolled(course)) >= 4, message="the enrolment job did not run")
    assert enrolled(course) == {"secretary_a1", "head_general_a", "member_a1", "member_a2"}
