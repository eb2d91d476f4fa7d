"""A course's audience: members outside it get 404 from the page and the API."""

import pytest
from rest_framework.test import APIClient

from courses.enrolment import EnrolmentError, enroll

from .pages import add_course, add_lesson, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch_course(catalog, org_tree):
    course = add_course(catalog, "生产一线安全专题", audience=[org_tree["general_b"]])
    add_lesson(course, "第一课", [text("<p>安全生产。</p>")])
    return course


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_member_in_the_audience_subtree_sees_the_course(client, people, branch_course):
    member = people["member_b1"]  # branch_b1 is below general_b
    client.force_login(member)
    assert client.get(branch_course.url).status_code == 200
    assert client.get(branch_course.lessons().first().url).status_code == 200
    assert api_for(member).get(f"/api/v1/courses/{branch_course.pk}/").status_code == 200


def test_member_outside_the_audience_gets_404_everywhere(client, people, branch_course):
    member = people["member_a1"]
    client.force_login(member)
    assert client.get(branch_course.url).status_code == 404
    assert client.get(branch_course.lessons().first().url).status_code == 404
    api = api_for(member)
    assert api.get(f"/api/v1/courses/{branch_course.pk}/").status_code == 404
    assert api.post(f"/api/v1/courses/{branch_course.pk}/enroll/").status_code == 404
    listed = [c["id"] for c in api.get("/api/v1/courses/").json()["results"]]
    assert branch_course.pk not in listed
    assert client.post(f"/learning/courses/{branch_course.pk}/enroll/").status_code == 404
    with pytest.raises(EnrolmentError):
        enroll(member, branch_course)


def test_course_without_audience_is_for_everyone(client, people, course):
    for name in ("member_a1", "member_b1"):
        client.force_login(people[name])
        assert client.get(course.url).status_code == 200


def test_catalogue_lists_only_visible_courses(client, people, catalog, course, branch_course):
    client.force_login(people["member_a1"])
    titles = [c["course"].title for c in client.get(catalog.url).context["cards"]]
    assert titles == [course.title]


def test_unpublished_course_is_404(client, people, course):
    course.unpublish()
    client.force_login(people["member_a1"])
    assert client.get(f"/api/v1/courses/{course.pk}/").status_code == 404
