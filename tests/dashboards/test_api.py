"""GET /api/v1/orgs/{id}/completion/?course=<id>: counts and rows for roles that cover the
organisation, 404 for everyone else, in the OpenAPI schema."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from tests.factories import make_member

from .conftest import enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def as_user(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_user


def url(org) -> str:
    return f"/api/v1/orgs/{org.pk}/completion/"


def test_completion_of_a_required_course(api, people, org_tree, learning):
    response = api(people["head_general_a"]).get(
        url(org_tree["general_a"]), {"course": learning["history"].pk}
    )

    assert response.status_code == 200
    data = response.json()
    assert {k: data[k] for k in ("members", "completed", "in_progress", "not_started")} == {
        "members": 4,
        "completed": 1,
        "in_progress": 1,
        "not_started": 2,
    }
    assert data["required"] is True
    assert data["deadline"] == (learning["day"] + dt.timedelta(days=3)).isoformat()
    rows = {row["username"]: row for row in data["rows"]}
    assert set(rows) == {"head_general_a", "secretary_a1", "member_a1", "member_a2"}
    assert rows["secretary_a1"]["status"] == "completed"
    assert rows["secretary_a1"]["completed_at"] is not None
    assert rows["member_a1"]["status"] == "in_progress"
    assert rows["member_a1"]["last_studied_at"] is not None
    assert rows["head_general_a"]["status"] == "not_started"
    assert rows["head_general_a"]["enrolled_at"] is None  # never enrolled
    assert rows["member_a2"]["organization"] == "第二党支部"


def test_status_filter_and_overdue(api, people, org_tree, learning):
    client = api(people["secretary_a1"])

    overdue = client.get(
        url(org_tree["branch_a1"]), {"course": learning["rules"].pk, "status": "overdue"}
    ).json()

    assert [r["username"] for r in overdue["rows"]] == ["member_a1"]
    assert overdue["rows"][0]["overdue"] is True
    assert overdue["count"] == 1 and overdue["members"] == 2 and overdue["overdue"] == 1


def test_rows_are_paginated(api, people, org_tree, learning):
    for n in range(7):
        enrol(make_member(org_tree["branch_a2"], f"page{n}"), learning["history"])
    client = api(people["head_general_a"])

    first = client.get(
        url(org_tree["general_a"]), {"course": learning["history"].pk, "limit": 5}
    ).json()
    second = client.get(first["next"]).json()

    assert first["members"] == second["members"] == 11
    assert len(first["rows"]) == 5 and len(second["rows"]) == 5
    assert not {r["member_id"] for r in first["rows"]} & {r["member_id"] for r in second["rows"]}


@pytest.mark.parametrize(
    ("username", "org"),
    [
        ("secretary_a1", "branch_a2"),
        ("secretary_a1", "general_a"),
        ("head_general_a", "branch_b1"),
        ("member_a1", "branch_a1"),
        ("trainer", "committee"),
    ],
)
def test_organisations_outside_the_roles_are_not_found(
    api, people, org_tree, learning, username, org
):
    response = api(people[username]).get(url(org_tree[org]), {"course": learning["history"].pk})

    assert response.status_code == 404
    assert "rows" not in response.json()


def test_anonymous_callers_are_refused(org_tree, learning):
    response = APIClient().get(url(org_tree["branch_a1"]), {"course": learning["history"].pk})

    assert response.status_code in (401, 403)


def test_bad_parameters_are_explained(api, people, org_tree, learning):
    client = api(people["secretary_a1"])

    missing = client.get(url(org_tree["branch_a1"]))
    wrong_status = client.get(
        url(org_tree["branch_a1"]), {"course": learning["history"].pk, "status": "lost"}
    )
    no_course = client.get(url(org_tree["branch_a1"]), {"course": 999999})

    assert missing.status_code == 400 and "course" in missing.json()
    assert wrong_status.status_code == 400 and "status" in wrong_status.json()
    assert no_course.status_code == 404


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/v1/orgs/{org_id}/completion/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"org_id", "course", "status"}
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][body.rsplit("/", 1)[1]]
    assert {"members", "completed", "in_progress", "not_started", "rows"} <= set(
        component["properties"]
    )
