"""Courses are managed by an organisation: trainers and reviewers work on the courses (and
lessons) of the organisations their roles cover, and are turned back, with the reason, from a
sibling organisation's or a higher one's."""

import re

import pytest
from wagtail.models import Page
from wagtail.test.utils.form_data import rich_text

from courses.models import CoursePage, CourseReviewTask, LessonPage
from courses.workflow import ensure_review_workflow
from lms.orgs.models import OrgRole
from lms.orgs.services import grant_role
from tests.factories import make_member

from .pages import add_course, add_lesson, text

pytestmark = pytest.mark.django_db

REFUSAL = "所属课程的管理组织不在你的讲师或审核员角色范围内"


@pytest.fixture(autouse=True)
def workflow(site):
    ensure_review_workflow()


@pytest.fixture
def courses(catalog, org_tree):
    made = {}
    for key, title in (
        ("committee", "党委的课程"),
        ("general_a", "机关总支的课程"),
        ("branch_a1", "第一支部的课程"),
        ("general_b", "生产总支的课程"),
    ):
        course = add_course(catalog, title, managed_by=org_tree[key])
        add_lesson(course, f"{title}第一课", [text("<p>学习。</p>")], complete_read_seconds=30)
        made[key] = course
    return made


def _lesson(course: CoursePage) -> LessonPage:
    return LessonPage.objects.child_of(course).get()


def _refused(client, response) -> bool:
    if response.status_code != 302:
        return False
    page = client.get(response["Location"]).content.decode()
    return REFUSAL in page


def test_a_trainer_works_on_the_courses_of_their_subtree(client, trainer_a, courses):
    client.force_login(trainer_a)

    for key in ("general_a", "branch_a1"):
        course = courses[key]
        assert client.get(f"/admin/pages/{course.pk}/edit/").status_code == 200, key
        assert client.get(f"/admin/pages/{_lesson(course).pk}/edit/").status_code == 200, key
        add_lesson_url = f"/admin/pages/add/courses/lessonpage/{course.pk}/"
        assert client.get(add_lesson_url).status_code == 200, key


def test_other_organisations_courses_are_refused_with_the_reason(client, trainer_a, courses):
    client.force_login(trainer_a)

    for key in ("general_b", "committee"):  # a sibling's, and the one above
        course = courses[key]
        lesson = _lesson(course)
        for url in (
            f"/admin/pages/{course.pk}/edit/",
            f"/admin/pages/{lesson.pk}/edit/",
            f"/admin/pages/add/courses/lessonpage/{course.pk}/",
            f"/admin/pages/{lesson.pk}/copy/",
        ):
            assert _refused(client, client.get(url)), url
        # Deleting is refused too (by Wagtail already: trainers cannot delete live pages).
        assert client.post(f"/admin/pages/{lesson.pk}/delete/").status_code == 302
        assert LessonPage.objects.filter(pk=lesson.pk).exists()
    # Nor may a lesson of their own be moved into someone else's course.
    own = _lesson(courses["general_a"])
    move = f"/admin/pages/{own.pk}/move/{courses['general_b'].pk}/confirm/"
    assert _refused(client, client.post(move))
    assert Page.objects.get(pk=own.pk).get_parent().pk == courses["general_a"].pk


def test_the_catalogue_lists_only_the_courses_a_trainer_works_on(
    client, trainer_a, people, catalog, courses
):
    client.force_login(trainer_a)
    listing = client.get(f"/admin/pages/{catalog.pk}/").content.decode()

    assert "机关总支的课程" in listing and "第一支部的课程" in listing
    assert "生产总支的课程" not in listing and "党委的课程" not in listing

    client.force_login(people["trainer"])  # the committee's trainer covers them all
    listing = client.get(f"/admin/pages/{catalog.pk}/").content.decode()
    for course in courses.values():
        assert course.title in listing


def _new_course(client, catalog, title: str, managed_by, audience=None) -> object:
    """Post the new-course form; the audience is the managing organisation unless given
    (a list of organisations, empty for everyone)."""
    audience = [managed_by] if audience is None else audience
    return client.post(
        f"/admin/pages/add/courses/coursepage/{catalog.pk}/",
        {
            "title": title,
            "slug": f"course-{managed_by.pk}-{len(title)}",
            "summary": "新课程。",
            "description": rich_text(""),
            "credit_hours": "1.0",
            "managed_by": managed_by.pk,
            "audience": [org.pk for org in audience],
            "trainers-TOTAL_FORMS": "0",
            "trainers-INITIAL_FORMS": "0",
            "trainers-MIN_NUM_FORMS": "0",
            "trainers-MAX_NUM_FORMS": "1000",
        },
    )


def test_a_new_course_is_managed_by_one_of_the_trainers_organisations(
    client, trainer_a, org_tree, catalog
):
    client.force_login(trainer_a)

    form = client.get(f"/admin/pages/add/courses/coursepage/{catalog.pk}/").content.decode()
    sibling = _new_course(client, catalog, "替兄弟总支建的课", org_tree["general_b"])
    own = _new_course(client, catalog, "本总支的新课", org_tree["branch_a1"])

    offered = form.split('name="managed_by"')[1].split("</select>")[0]
    assert "生产党总支" not in offered
    assert re.search(r'<option value="\d+" selected>机关党总支</option>', offered)  # the widest
    assert sibling.status_code == 200
    assert "请选择你的讲师或审核员角色覆盖的组织。" in sibling.content.decode()
    assert not CoursePage.objects.filter(title="替兄弟总支建的课").exists()
    assert own.status_code == 302, own.content.decode()[-2000:]
    created = CoursePage.objects.get(title="本总支的新课")
    assert created.managed_by == org_tree["branch_a1"] and not created.live


def test_a_reviewer_approves_only_the_courses_of_their_organisations(
    client, org_tree, people, courses
):
    reviewer = make_member(org_tree["general_a"], "reviewer_a", real_name="吴审核")
    grant_role(reviewer, org_tree["general_a"], OrgRole.Kind.REVIEWER)
    workflow = courses["general_a"].get_workflow()
    task = workflow.tasks.get().specific
    assert isinstance(task, CourseReviewTask)
    states = {}
    for key in ("general_a", "general_b"):
        course = courses[key]
        course.unpublish()
        course.save_revision(user=people["trainer"])
        states[key] = workflow.start(course, people["trainer"]).current_task_state

    awaiting = list(task.get_task_states_user_can_moderate(reviewer))
    client.force_login(reviewer)
    sibling = client.post(
        f"/admin/pages/workflow/action/{courses['general_b'].pk}/approve/{states['general_b'].pk}/",
        {"comment": "越权审核"},
    )
    own = client.post(
        f"/admin/pages/workflow/action/{courses['general_a'].pk}/approve/{states['general_a'].pk}/",
        {"comment": "同意发布。"},
    )

    assert [s.pk for s in awaiting] == [states["general_a"].pk]  # the review list
    assert sibling.status_code in (302, 403)
    assert not CoursePage.objects.get(pk=courses["general_b"].pk).live
    states["general_b"].refresh_from_db()
    assert states["general_b"].status == "in_progress"
    assert own.status_code in (200, 302)
    assert CoursePage.objects.get(pk=courses["general_a"].pk).live
    # The committee's reviewer covers both.
    committee_reviewer = make_member(org_tree["committee"], "reviewer_c", real_name="王审核")
    grant_role(committee_reviewer, org_tree["committee"], OrgRole.Kind.REVIEWER)
    assert task.get_actions(courses["general_b"], committee_reviewer)


AUDIENCE_OUTSIDE = "受众只能是你的角色覆盖的组织。"
AUDIENCE_EVERYONE = "请选择受众：“所有人”超出了你的角色覆盖的范围。"


def test_a_course_is_aimed_only_inside_the_trainers_subtree(client, trainer_a, org_tree, catalog):
    client.force_login(trainer_a)

    form = client.get(f"/admin/pages/add/courses/coursepage/{catalog.pk}/").content.decode()
    sibling = _new_course(
        client, catalog, "开给兄弟支部的课", org_tree["general_a"], [org_tree["branch_b1"]]
    )
    everyone = _new_course(client, catalog, "开给所有人的课", org_tree["general_a"], [])
    own = _new_course(
        client, catalog, "开给本支部的课", org_tree["general_a"], [org_tree["branch_a1"]]
    )

    offered = form.split('name="audience"')[1].split("</select>")[0]
    assert "机关党总支" in offered and "第一党支部" in offered
    assert "一线党支部" not in offered and "测试党委" not in offered
    assert sibling.status_code == 200 and AUDIENCE_OUTSIDE in sibling.content.decode()
    assert everyone.status_code == 200 and AUDIENCE_EVERYONE in everyone.content.decode()
    assert not CoursePage.objects.filter(title__in=["开给兄弟支部的课", "开给所有人的课"]).exists()
    assert own.status_code == 302, own.content.decode()[-2000:]
    created = CoursePage.objects.get(title="开给本支部的课")
    assert list(created.audience.all()) == [org_tree["branch_a1"]]


def test_a_trainer_of_the_whole_tree_and_a_site_admin_aim_anywhere(
    client, people, org_tree, catalog
):
    from lms.accounts.models import User

    client.force_login(people["trainer"])  # trainer of the only committee
    everyone = _new_course(client, catalog, "全体党员的课", org_tree["committee"], [])
    client.force_login(User.objects.create_superuser("root", password="x"))
    anywhere = _new_course(
        client, catalog, "管理员开的课", org_tree["general_a"], [org_tree["branch_b1"]]
    )

    assert everyone.status_code == 302, everyone.content.decode()[-2000:]
    assert not CoursePage.objects.get(title="全体党员的课").audience.exists()
    assert anywhere.status_code == 302, anywhere.content.decode()[-2000:]
