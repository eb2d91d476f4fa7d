"""The course API: list, detail with lessons and progress, enrolment, and the schema."""

import pytest
from rest_framework.test import APIClient

from courses.models import Enrollment

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(people):
    client = APIClient()
    client.force_authenticate(people["member_a1"])
    return client


def test_list_shows_visible_courses_with_the_members_standing(api, course, point_rules):
    course.completion_points = 12
    course.save_revision().publish()

    data = api.get("/api/v1/courses/").json()

    assert data["count"] == 1
    item = data["results"][0]
    assert item["title"] == course.title
    assert item["enrolled"] is False
    assert item["lessons_required"] == 2
    assert item["topic"] == "党史"
    assert item["completion_points"] == 12


def test_enrol_then_detail_lists_lessons_with_rule_and_progress(api, people, course, lessons):
    first = api.post(f"/api/v1/courses/{course.pk}/enroll/")
    again = api.post(f"/api/v1/courses/{course.pk}/enroll/")
    assert (first.status_code, again.status_code) == (201, 200)
    assert Enrollment.objects.filter(user=people["member_a1"], course=course).count() == 1

    data = api.get(f"/api/v1/courses/{course.pk}/").json()

    assert data["enrolled"] is True
    assert [lesson["id"] for lesson in data["lessons"]] == [lesson.pk for lesson in lessons]
    lesson = data["lessons"][0]
    assert lesson["has_video"] is False
    assert lesson["completion_rule"] == {
        "video_percent": None,
        "quiz_passed": False,
        "h5p_completed": False,
        "read_seconds": 30,
    }
    assert lesson["progress"]["completed"] is False
    assert data["lessons"][2]["required"] is False


def test_endpoints_are_in_the_openapi_schema(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/courses/",
        "/api/v1/courses/{course_id}/",
        "/api/v1/courses/{course_id}/enroll/",
        "/api/v1/lessons/{lesson_id}/heartbeat/",
    ):
        assert path in schema
    assert "unique_watched_seconds" in schema


def test_token_clients_use_the_api(people, course, password):
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": "member_a1", "password": password}
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(f"/api/v1/courses/{course.pk}/").status_code == 200


def test_a_token_client_plays_a_lessons_h5p_activity_through_the_api(
    people, course, password, point_rules, django_capture_on_commit_callbacks, settings, tmp_path
):
    """A mobile app gets each activity's frame, xAPI address and the member's grant from the
    course detail, loads the frame, and a statement sent with them completes the activity and
    the lesson."""
    from django.core.files.base import ContentFile
    from django.test import Client

    from courses.h5p import services
    from courses.h5p.content_types import quick_check_package

    from .pages import add_lesson

    settings.MEDIA_ROOT, settings.H5P_CONTENT_ROOT = tmp_path / "media", tmp_path / "h5p"
    settings.H5P_MIN_PLAY_SECONDS = 0
    activity = quick_check_package(title="连连看", question="？", answers=["是", "否"], correct=0)
    package = services.create_package(ContentFile(activity, name="x.h5p"))
    lesson = add_lesson(course, "互动练习", [("h5p", {"package": package})], complete_h5p=True)
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": "member_a1", "password": password}, format="json"
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    client.post(f"/api/v1/courses/{course.pk}/enroll/")

    detail = client.get(f"/api/v1/courses/{course.pk}/").json()
    (activity,) = next(row for row in detail["lessons"] if row["id"] == lesson.pk)["activities"]
    assert (activity["id"], activity["completed"]) == (package.pk, False)
    assert activity["frame_url"].startswith("/h5p/p/")
    assert Client().get(activity["frame_url"]).status_code == 200  # the app's web view

    statement = {
        "id": "6f1d8d4e-6a31-4a35-9c57-3f9d2b0c1a11",
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": f"http://testserver/h5p/activities/{package.pk}"},
        "result": {"completion": True, "score": {"raw": 1, "max": 1}, "response": "0"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            activity["xapi_url"],
            {"grant": activity["grant"], "statement": statement},
            format="json",
        )

    assert sent.status_code in (200, 201), sent.content
    detail = client.get(f"/api/v1/courses/{course.pk}/").json()
    row = next(row for row in detail["lessons"] if row["id"] == lesson.pk)
    assert row["activities"][0]["completed"] is True
    assert row["progress"]["completed"] is True


def test_another_members_grant_is_refused(people, course, point_rules):
    from courses.h5p.grants import play_grant
    from courses.h5p.models import H5PPackage

    from .pages import add_lesson

    package = H5PPackage.objects.create(
        title="活动", file="h5p/packages/none.h5p", main_library="PartyMooc.Check 1.0"
    )
    add_lesson(course, "互动练习", [("h5p", {"package": package})], complete_h5p=True)
    client = APIClient()
    client.force_authenticate(people["member_a2"])
    statement = {
        "id": "0b3c5a74-1f0e-4e1a-8d6f-8c2a1f0b9e22",
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": f"http://testserver/h5p/activities/{package.pk}"},
        "result": {"completion": True},
    }

    response = client.post(
        f"/api/v1/h5p/packages/{package.pk}/xapi/",
        {"grant": play_grant(people["member_a1"], package), "statement": statement},
        format="json",
    )

    assert response.status_code == 404
