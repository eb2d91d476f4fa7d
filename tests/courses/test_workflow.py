"""The review workflow: trainers submit, reviewers approve or send back; history is kept."""

import json

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import rich_text

from courses.models import CoursePage
from courses.workflow import REVIEWER_GROUP, TRAINER_GROUP, WORKFLOW_NAME, ensure_review_workflow
from lms.orgs.models import OrgRole
from lms.orgs.services import grant_role

from .pages import add_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def workflow(site):
    # The migration made it; repeated here because transactional tests empty the tables.
    ensure_review_workflow()


@pytest.fixture
def reviewer(people, org_tree):
    from tests.factories import make_member

    user = make_member(org_tree["committee"], "reviewer_c", real_name="王审核")
    grant_role(user, org_tree["committee"], OrgRole.Kind.REVIEWER)
    return user


@pytest.fixture
def draft_course(catalog, org_tree):
    course = add_course(catalog, "党章党规专题", managed_by=org_tree["committee"])
    course.unpublish()
    return CoursePage.objects.get(pk=course.pk)


def edit_url(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def post_edit(client, page, **action):
    return client.post(
        edit_url(page),
        {
            "title": page.title,
            "slug": page.slug,
            "summary": "学习党章，遵守党规。",
            "description": rich_text(""),
            "credit_hours": "2.0",
            "managed_by": page.managed_by_id or "",
            "trainers-TOTAL_FORMS": "0",
            "trainers-INITIAL_FORMS": "0",
            "trainers-MIN_NUM_FORMS": "0",
            "trainers-MAX_NUM_FORMS": "1000",
            **action,
        },
    )


def test_role_groups_exist_with_their_page_permissions_on_the_catalogue(catalog):
    trainers = Group.objects.get(name=TRAINER_GROUP)
    reviewers = Group.objects.get(name=REVIEWER_GROUP)
    trainer_codes = set(trainers.page_permissions.values_list("permission__codename", flat=True))
    reviewer_codes = set(reviewers.page_permissions.values_list("permission__codename", flat=True))
    assert "publish_page" not in trainer_codes
    assert {"add_page", "change_page"} <= trainer_codes
    assert "publish_page" in reviewer_codes
    # Made when the catalogue was (after the workflow), and only there.
    for group in (trainers, reviewers):
        assert set(group.page_permissions.values_list("page_id", flat=True)) == {catalog.pk}
    assert Page.get_first_root_node().get_workflow().name == WORKFLOW_NAME


def test_trainers_work_on_courses_but_not_on_the_home_page(client, people, site, draft_course):
    trainer = people["trainer"]
    assert draft_course.permissions_for_user(trainer).can_edit()
    assert not site.permissions_for_user(trainer).can_edit()
    assert not site.permissions_for_user(trainer).can_add_subpage()

    client.force_login(trainer)
    assert client.get(edit_url(draft_course)).status_code == 200
    assert client.get(edit_url(site)).status_code != 200
    # A catalogue may go under the home page; only the missing permission stops a trainer.
    assert client.get(f"/admin/pages/add/courses/catalogpage/{site.pk}/").status_code != 200


def test_an_old_install_moves_the_permissions_from_the_root_to_the_catalogues(catalog):
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    trainers = Group.objects.get(name=TRAINER_GROUP)
    root = Page.get_first_root_node()
    GroupPagePermission.objects.create(
        group=trainers, page=root, permission=Permission.objects.get(codename="change_page")
    )

    ensure_review_workflow()

    # (Wagtail's own Moderators and Editors keep theirs.)
    assert not GroupPagePermission.objects.filter(page=root, group=trainers).exists()
    assert trainers.page_permissions.filter(page=catalog).exists()


def test_trainer_cannot_publish(client, people, draft_course):
    client.force_login(people["trainer"])

    response = post_edit(client, draft_course, **{"action-publish": "action-publish"})

    draft_course.refresh_from_db()
    assert response.status_code in (200, 302)
    assert not draft_course.live
    assert draft_course.get_latest_revision().content["summary"] == "学习党章，遵守党规。"


def test_trainer_submits_and_reviewer_approves(client, people, reviewer, draft_course):
    client.force_login(people["trainer"])
    post_edit(client, draft_course, **{"action-submit": "action-submit"})
    state = WorkflowState.objects.get(object_id=str(draft_course.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not CoursePage.objects.get(pk=draft_course.pk).live

    client.force_login(reviewer)
    task_state = state.current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{draft_course.pk}/approve/{task_state.pk}/",
        {"comment": "内容准确，同意发布。"},
    )

    assert response.status_code in (200, 302)
    course = CoursePage.objects.get(pk=draft_course.pk)
    assert course.live
    assert course.summary == "学习党章，遵守党规。"
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    # Moderation history: who submitted, who approved with which comment.
    task_state.refresh_from_db()
    assert task_state.finished_by == reviewer
    assert task_state.comment == "内容准确，同意发布。"
    assert state.requested_by == people["trainer"]


def test_reviewer_sends_back_for_changes(client, people, reviewer, draft_course):
    client.force_login(people["trainer"])
    post_edit(client, draft_course, **{"action-submit": "action-submit"})
    state = WorkflowState.objects.get(object_id=str(draft_course.pk))

    client.force_login(reviewer)
    client.post(
        f"/admin/pages/workflow/action/{draft_course.pk}/reject/{state.current_task_state.pk}/",
        {"comment": "请补充第二课的学习目标。"},
    )

    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not CoursePage.objects.get(pk=draft_course.pk).live


def test_member_without_role_cannot_open_the_admin(client, people):
    client.force_login(people["member_a1"])
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert "/admin/login" in response.get("Location", "/admin/login")


def test_trainer_opens_the_lesson_editor_with_every_block(client, people, org_tree, course):
    CoursePage.objects.filter(pk=course.pk).update(managed_by=org_tree["committee"])
    client.force_login(people["trainer"])

    response = client.get(f"/admin/pages/add/courses/lessonpage/{course.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "完成规则" in html
    for label in ("讲课视频", "H5P 互动活动", "测验", "文档", "图片", "引用"):
        assert json.dumps(label)[1:-1] in html  # block labels travel as escaped JSON
