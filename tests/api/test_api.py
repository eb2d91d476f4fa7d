"""The JSON API: token auth, /me, scoped organisation and member endpoints, schema."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _token(api, username, password):
    response = api.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_token_then_me(api, people, password, org_tree):
    token = _token(api, "secretary_a1", password)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    body = api.get("/api/v1/me/").json()

    assert body["username"] == "secretary_a1"
    assert body["display_name"] == "张书记"
    assert body["organization"] == {"id": org_tree["branch_a1"].pk, "name": "第一党支部"}
    assert body["roles"] == [
        {
            "role": "branch_head",
            "role_display": "书记",
            "organization": {"id": org_tree["branch_a1"].pk, "name": "第一党支部"},
        }
    ]


def test_wrong_password_and_unknown_user_look_the_same(api, people):
    wrong = api.post(
        "/api/v1/auth/token/", {"username": "member_a1", "password": "x"}, format="json"
    )
    unknown = api.post(
        "/api/v1/auth/token/", {"username": "nobody", "password": "x"}, format="json"
    )

    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json() == {"detail": "用户名或密码错误。"}


def test_token_endpoint_is_throttled_like_the_login_page(api, people, password, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        api.post("/api/v1/auth/token/", {"username": "member_a1", "password": "x"}, format="json")

    response = api.post(
        "/api/v1/auth/token/", {"username": "member_a1", "password": password}, format="json"
    )

    assert response.status_code == 429
    assert "登录失败次数过多" in response.json()["detail"]


def test_api_without_credentials_is_refused(api):
    assert api.get("/api/v1/me/").status_code == 401


def test_bad_token_is_refused(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get("/api/v1/me/").status_code == 401


def test_members_of_a_covered_organisation(api, people, org_tree):
    api.force_authenticate(people["head_general_a"])

    response = api.get(f"/api/v1/orgs/{org_tree['general_a'].pk}/members/")

    assert response.status_code == 200
    rows = {row["username"]: row for row in response.json()["results"]}
    assert {"member_a1", "member_a2", "secretary_a1"} <= set(rows)
    assert "member_b1" not in rows
    assert rows["member_a2"]["phone"] == "13800000002"
    assert rows["member_a2"]["category_display"] == "正式党员"


def test_members_of_an_uncovered_organisation_are_404(api, people, org_tree):
    api.force_authenticate(people["secretary_a1"])

    assert api.get(f"/api/v1/orgs/{org_tree['general_a'].pk}/members/").status_code == 404
    assert api.get(f"/api/v1/orgs/{org_tree['branch_b1'].pk}/members/").status_code == 404
    assert api.get(f"/api/v1/members/{people['member_b1'].pk}/").status_code == 404


def test_a_member_reads_their_own_record_but_nobody_elses(api, people):
    api.force_authenticate(people["member_a1"])

    own = api.get(f"/api/v1/members/{people['member_a1'].pk}/")
    other = api.get(f"/api/v1/members/{people['member_a2'].pk}/")

    assert own.status_code == 200 and own.json()["phone"] == "13800000001"
    assert other.status_code == 404


def test_organisation_list_is_scoped(api, people, org_tree):
    api.force_authenticate(people["member_b1"])

    names = {o["name"] for o in api.get("/api/v1/orgs/").json()}

    assert names == {"测试党委", "生产党总支", "一线党支部"}


def test_openapi_schema_lists_the_v1_endpoints(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/auth/token/", "/api/v1/me/", "/api/v1/orgs/{org_id}/members/"):
        assert path in paths
