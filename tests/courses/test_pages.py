"""Member pages: catalogue filters, course page, lesson navigation, 我的学习, home's 继续学习."""

import pytest
from django.utils import timezone

from courses.enrolment import enroll
from courses.models import CourseTopic, Enrollment, RequiredCourseAssignment

from .pages import add_course, open_lesson

pytestmark = pytest.mark.django_db


def test_catalogue_filters_by_topic_and_required(client, people, catalog, course, org_tree):
    rules = add_course(catalog, "党章党规专题", topic=CourseTopic.objects.create(name="党章党规"))
    RequiredCourseAssignment.objects.create(
        course=rules, organization=org_tree["branch_a1"], deadline=timezone.localdate()
    )
    client.force_login(people["member_a1"])

    def titles(**params):
        return [c["course"].title for c in client.get(catalog.url, params).context["cards"]]

    assert titles() == [course.title, rules.title]
    assert titles(topic=course.topic_id) == [course.title]
    assert titles(kind="required") == [rules.title]
    assert titles(kind="elective") == [course.title]
    assert titles(topic="x") == [course.title, rules.title]  # nonsense is ignored


def test_course_page_shows_per_lesson_progress(client, people, course, lessons):
    from importlib import import_module

    from django.apps import apps

    import_module("quizzes.migrations.0002_default_point_rules").create_rules(apps, None)
    member = people["member_a1"]
    enroll(member, course)
    client.force_login(member)
    open_lesson(client, lessons[2])  # the optional lesson has no rule: opening completes it

    page = client.get(course.url)

    rows = page.context["lesson_rows"]
    assert [r["progress"] is not None and r["progress"].is_completed for r in rows] == [
        False,
        False,
        True,
    ]
    assert (page.context["done"], page.context["total"]) == (0, 2)
    html = page.content.decode()
    assert "已完成" in html
    assert "继续学习：延伸阅读" in html
    assert "完成积分" in html and "5 分" in html  # no points of its own: the rule's
    course.completion_points = 12
    course.save_revision().publish()
    assert "12 分" in client.get(course.url).content.decode()


def test_enrolling_from_the_course_page_opens_the_first_lesson(client, people, course, lessons):
    client.force_login(people["member_a1"])

    response = client.post(f"/learning/courses/{course.pk}/enroll/")

    assert response.status_code == 302
    assert response["Location"] == lessons[0].url
    assert Enrollment.objects.filter(user=people["member_a1"], course=course).exists()


def test_lesson_page_links_previous_and_next(client, people, course, lessons):
    enroll(people["member_a1"], course)
    client.force_login(people["member_a1"])

    context = client.get(lessons[1].url).context

    assert context["previous_lesson"].pk == lessons[0].pk
    assert context["next_lesson"].pk == lessons[2].pk
    assert context["heartbeat_url"] == f"/api/v1/lessons/{lessons[1].pk}/heartbeat/"
    assert client.get(lessons[0].url).context["previous_lesson"] is None


def test_home_continue_learning_and_my_learning(client, people, course, lessons):
    member = people["member_a1"]
    enroll(member, course)
    client.force_login(member)
    open_lesson(client, lessons[1])

    home = client.get("/").content.decode()
    assert "继续学习" in home
    assert lessons[1].title in home
    assert f'href="{lessons[1].url}"' in home

    mine = client.get("/learning/").content.decode()
    assert course.title in mine
    assert "已完成 0 / 2 课" in mine


def test_navigation_links_to_the_catalogue_and_my_learning(client, people, catalog):
    client.force_login(people["member_a1"])
    html = client.get("/").content.decode()
    assert f'href="{catalog.url}"' in html
    assert 'href="/learning/"' in html


def test_member_pages_say_study_hours_once_and_never_keshi(client, people, course, lessons):
    """学时 is study hours; a lesson is a 课 — never 课时 beside 学时, which reads the same."""
    member = people["member_a1"]
    enroll(member, course)
    client.force_login(member)
    catalog = course.get_parent().specific

    pages = [client.get(url).content.decode() for url in (catalog.url, course.url, "/learning/")]
    pages.append(open_lesson(client, lessons[0]).content.decode())

    assert all("课时" not in html for html in pages)
    assert "学时" in pages[1]


def test_a_completed_course_says_so_and_offers_review_not_start(client, people, course, lessons):
    from django.utils import timezone

    member = people["member_a1"]
    enrollment, _created = enroll(member, course)
    enrollment.completed_at = timezone.now()
    enrollment.save(update_fields=["completed_at"])
    client.force_login(member)

    html = client.get(course.url).content.decode()

    assert "已完成" in html and "复习" in html
    assert "开始学习" not in html
