"""The whole loop in chromium: a trainer uploads a package in the Wagtail admin, a member plays
it in a lesson, the lesson's "H5P completed" rule is met; a member outside the course's
audience never gets to record anything."""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from courses.enrolment import enroll
from courses.h5p import services
from courses.h5p.grants import play_grant
from courses.h5p.models import H5PPackage, H5PStatement
from courses.models import CatalogPage, LessonProgress
from tests.courses.pages import add_course, add_lesson, text

from .browser import answer
from .packages import quick_check, rebuild

# Generous waits: uploads, unpacking and H5P start-up share the machine with other tests.
SLOW = 30_000
RIGHT_ANSWER = "党的全国代表大会和它所产生的中央委员会"


@pytest.fixture(autouse=True)
def count_at_once(settings):
    """These tests answer as soon as the activity shows (the minimum time a completion waits
    for is tested in test_player_browser.py)."""
    settings.H5P_MIN_PLAY_SECONDS = 0


@pytest.fixture
def lesson_with_activity(site, org_tree):
    package = services.create_package(ContentFile(quick_check(), name="x.h5p"))
    catalog = site.add_child(instance=CatalogPage(title="课程中心", slug="courses"))
    course = add_course(catalog, "党章学习", audience=[org_tree["general_a"]])
    lesson = add_lesson(
        course,
        "第一课 党的组织制度",
        [text("<p>学习党章第三章。</p>"), ("h5p", {"package": package})],
        complete_h5p=True,
    )
    return course, lesson, package


def test_member_completes_a_lesson_by_playing_its_activity(
    login, people, live_server, lesson_with_activity, point_rules
):
    course, lesson, package = lesson_with_activity
    member = people["member_a1"]
    enroll(member, course)
    page = login("member_a1")

    page.goto(f"{live_server.url}{lesson.url}")
    button = page.frame_locator("iframe.h5p-player__frame").get_by_role("button", name=RIGHT_ANSWER)
    assert answer(page, button.click).status == 201

    expect(page.locator("[data-h5p-done]")).to_be_visible(timeout=SLOW)
    assert services.has_completed(member, package)
    assert LessonProgress.objects.get(user=member, lesson=lesson).completed_at is not None


def test_a_member_outside_the_audience_gets_no_player_and_cannot_record(
    client, people, lesson_with_activity
):
    _course, lesson, package = lesson_with_activity
    outsider = people["member_b1"]
    client.force_login(outsider)

    assert client.get(lesson.url).status_code == 404
    # Without the page there is no grant; one made for someone else does not help.
    response = client.post(
        f"/api/v1/h5p/packages/{package.pk}/xapi/",
        {
            "grant": play_grant(people["member_a1"], package),
            "statement": {
                "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
                "object": {"id": f"http://testserver/h5p/activities/{package.pk}"},
                "result": {"completion": True},
            },
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not H5PStatement.objects.exists()


def test_trainer_uploads_in_the_admin_and_sees_why_a_bad_file_is_refused(
    login, people, live_server, trainer_permissions, tmp_path
):
    bad = tmp_path / "坏的活动.h5p"
    bad.write_bytes(rebuild(quick_check(), add={"content/evil.php": b"<?php ?>"}))
    good = tmp_path / "党章小测.h5p"
    good.write_bytes(quick_check())
    page = login("trainer_c")

    page.goto(f"{live_server.url}/admin/snippets/h5p/h5ppackage/add/")
    page.set_input_files("input[name=file]", str(bad))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("content/evil.php")).to_be_visible(timeout=SLOW)
    assert not H5PPackage.objects.exists()

    page.set_input_files("input[name=file]", str(good))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("link", name="党章知识小测")).to_be_visible(timeout=SLOW)
    package = H5PPackage.objects.get()
    assert package.uploaded_by == people["trainer"]

    page.goto(f"{live_server.url}/admin/snippets/h5p/h5ppackage/inspect/{package.pk}/")
    button = page.frame_locator("iframe.h5p-player__frame").get_by_role("button", name=RIGHT_ANSWER)
    assert answer(page, button.click).status == 201
    expect(page.locator("[data-h5p-done]")).to_be_visible(timeout=SLOW)
