"""No input makes the API (or a page) fail: numbers past what the database stores, in a path,
a `limit` or a query parameter, are answered 404 or 400 with the reason — never 500."""

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter
from rest_framework.test import APIClient

from lms.core.converters import DatabaseIdConverter
from lms.orgs.models import OrgRole
from lms.orgs.services import grant_role
from media_pipeline.models import VideoAsset
from tests.courses.pages import add_course, add_lesson, text
from tests.factories import make_member
from tests.media_pipeline.factories import VideoAssetFactory

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999"  # past a signed 64-bit integer
LARGEST_ID = str(2**63 - 1)


@pytest.fixture
def api(people, org_tree, catalog):
    """The committee trainer (who manages videos) with the org's members visible to her, a
    course with a lesson and a video, so every list has rows to page through."""
    trainer = people["trainer"]
    grant_role(trainer, org_tree["committee"], OrgRole.Kind.BRANCH_HEAD)
    course = add_course(catalog, "党史学习教育")
    add_lesson(course, "第一课", [text("<p>学习。</p>")])
    VideoAssetFactory(organization=org_tree["committee"], status=VideoAsset.Status.READY)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(trainer)
    return client


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/courses/?limit={BIG}",
        f"/api/v1/courses/?offset={BIG}",
        "/api/v1/orgs/{org}/members/?limit=" + BIG,
        f"/api/v1/videos/?limit={BIG}",
        f"/api/v1/videos/?limit={BIG}&offset={BIG}",
    ],
)
def test_a_huge_limit_or_offset_gives_a_bounded_page(api, org_tree, url):
    response = api.get(url.format(org=org_tree["committee"].pk))

    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert body["count"] >= 1
    assert len(body["results"]) <= 200
    if "offset" not in url:
        assert body["results"], "the first page shows the rows"


def test_a_limit_past_the_ceiling_gives_the_largest_page_and_leads_on(api, org_tree):
    for n in range(200):
        make_member(org_tree["branch_b1"], f"bulk{n:03}")
    url = f"/api/v1/orgs/{org_tree['committee'].pk}/members/"

    first = api.get(f"{url}?limit={BIG}").json()
    rest = api.get(first["next"]).json()

    assert len(first["results"]) == 200
    assert "limit=200" in first["next"] and "offset=200" in first["next"]
    assert len(rest["results"]) == first["count"] - 200 > 0
    assert rest["next"] is None


@pytest.mark.parametrize("number", [BIG, LARGEST_ID, "0"])
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/courses/{n}/"),
        ("post", "/api/v1/courses/{n}/enroll/"),
        ("post", "/api/v1/lessons/{n}/heartbeat/"),
        ("get", "/api/v1/orgs/{n}/members/"),
        ("get", "/api/v1/orgs/{n}/completion/?course=1"),
        ("get", "/api/v1/members/{n}/"),
        ("get", "/api/v1/videos/{n}/"),
        ("post", "/api/v1/quizzes/{n}/attempts/"),
        ("get", "/api/v1/attempts/{n}/"),
    ],
)
def test_an_id_no_row_can_have_is_not_found(api, method, url, number):
    response = getattr(api, method)(url.format(n=number), {}, format="json")

    assert response.status_code == 404, response.content[:300]


NOT_AN_ID = "这不是本平台任何对象的编号。"
NOT_A_NUMBER = "请提供编号：一个整数。"


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        (f"course={BIG}", NOT_AN_ID),
        ("course=-1", NOT_AN_ID),
        ("course=0", NOT_AN_ID),
        ("course=abc", NOT_A_NUMBER),
        ("course=1.5", NOT_A_NUMBER),
        ("", "请提供课程编号：?course=<编号>。"),
    ],
)
def test_a_bad_course_parameter_is_a_400_with_the_reason(api, org_tree, query, reason):
    response = api.get(f"/api/v1/orgs/{org_tree['committee'].pk}/completion/?{query}")

    assert response.status_code == 400, response.content[:300]
    assert response.json() == {"course": [reason]}


def test_an_unknown_status_names_the_choices(api, org_tree, catalog):
    course_id = api.get("/api/v1/courses/").json()["results"][0]["id"]

    response = api.get(
        f"/api/v1/orgs/{org_tree['committee'].pk}/completion/?course={course_id}&status=late"
    )

    assert response.status_code == 400
    assert response.json() == {
        "status": ["未知的状态，可用的状态为：completed, in_progress, not_started, overdue。"]
    }


@pytest.mark.parametrize(
    "path",
    [
        "/learning/courses/{n}/enroll/",
        "/quizzes/{n}/",
        "/quizzes/attempts/{n}/",
        "/orgs/{n}/members/",
        "/orgs/members/{n}/",
        "/dashboards/orgs/{n}/",
        "/dashboards/orgs/1/courses/{n}/",
        "/dashboards/exports/{n}/",
        "/admin/videos/{n}/retry/",
    ],
)
def test_the_site_answers_404_for_an_impossible_id(people, path):
    client = Client(raise_request_exception=False)
    client.force_login(people["trainer"])

    response = client.get(path.format(n=BIG))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/courses/?topic={BIG}", 200),  # the whole catalogue: no topic has that id
        ("/courses/?topic=²", 200),  # a digit to str.isdigit, not to int
        ("/dashboards/?org=²", 404),
        (f"/dashboards/?org={BIG}", 404),
        ("/quizzes/leaderboard/?org=²", 404),
        (f"/quizzes/leaderboard/?org={BIG}", 404),
    ],
)
def test_a_page_reads_an_impossible_id_parameter_as_none(people, catalog, path, status):
    add_course(catalog, "党史学习教育")
    client = Client(raise_request_exception=False)
    client.force_login(people["secretary_a1"])

    response = client.get(path)

    assert response.status_code == status
    if status == 200:
        assert "党史学习教育" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/orgs/{org}/members/?q=%00",
        "/dashboards/orgs/{org}/members/?q=a%00b",
        "/courses/?q=%00",
        "/api/v1/orgs/{org}/members/?x=%00",
    ],
)
def test_a_nul_character_is_refused_with_the_reason(people, org_tree, catalog, path):
    """PostgreSQL cannot compare text holding NUL: the search failed there with a 500."""
    client = Client(raise_request_exception=False)
    client.force_login(people["secretary_a1"])

    response = client.get(path.format(org=org_tree["branch_a1"].pk))

    assert response.status_code == 400
    reason = response.json()["detail"] if path.startswith("/api/") else response.content.decode()
    assert reason == "网址中含有空字符（NUL），请删除后重试。"


OUR_APPS = ("lms.", "courses.", "quizzes.", "media_pipeline.", "themes.")


def _routes(patterns, prefix=""):
    """Every route of the URL map, with its view's module."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            view = getattr(pattern.callback, "view_class", pattern.callback)
            yield prefix + str(pattern.pattern), pattern.pattern.converters, view.__module__


def test_every_id_in_our_urls_goes_through_the_id_converter():
    """A route added later with `<int:…>` would bring the 500 back: ids are `<id:…>`."""
    with_int = [
        route
        for route, converters, module in _routes(get_resolver().url_patterns)
        if module.startswith(OUR_APPS)
        and any(isinstance(c, IntConverter) for c in converters.values())
    ]
    ids = [
        route
        for route, converters, module in _routes(get_resolver().url_patterns)
        if any(isinstance(c, DatabaseIdConverter) for c in converters.values())
    ]

    assert with_int == []
    assert len(ids) > 20
