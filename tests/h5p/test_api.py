"""POST /api/v1/h5p/packages/{id}/xapi/: who may record, what is refused, and why."""

import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from courses.h5p import services
from courses.h5p.grants import play_grant
from courses.h5p.models import H5PPackage, H5PStatement
from quizzes.models import PointEntry
from tests.factories import api_token

pytestmark = pytest.mark.django_db

ANSWERED = "http://adlnet.gov/expapi/verbs/answered"


@pytest.fixture
def other_package(bare_package):
    return H5PPackage.objects.create(
        title="另一个活动", file="h5p/packages/other.h5p", main_library="PartyMooc.Check 1.0"
    )


def url(package) -> str:
    return reverse("api:h5p_xapi", args=[package.pk])


def answered(package, result=None, **extra) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "verb": {"id": ANSWERED},
        "object": {"id": f"http://testserver/h5p/activities/{package.pk}"},
        "result": result
        if result is not None
        else {"completion": True, "score": {"raw": 1, "max": 1}},
        **extra,
    }


def post(client, package, body, **headers):
    return client.post(url(package), json.dumps(body), content_type="application/json", **headers)


def test_a_member_with_a_grant_records_and_completes(client, people, bare_package, opened_grant):
    member = people["member_a1"]
    client.force_login(member)
    statement = answered(bare_package)
    grant = opened_grant(member, bare_package)

    response = post(client, bare_package, {"grant": grant, "statement": statement})
    again = post(client, bare_package, {"grant": grant, "statement": statement})

    assert response.status_code == 201
    assert response.json() == {
        "id": statement["id"],
        "duplicate": False,
        "completed": True,
        "newly_completed": True,
    }
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert services.has_completed(member, bare_package)
    assert H5PStatement.objects.filter(user=member).count() == 1


def test_completing_awards_study_points_once(
    client, people, bare_package, point_rules, opened_grant
):
    member = people["member_a1"]
    client.force_login(member)
    grant = opened_grant(member, bare_package)

    post(client, bare_package, {"grant": grant, "statement": answered(bare_package)})
    post(client, bare_package, {"grant": grant, "statement": answered(bare_package)})

    entries = PointEntry.objects.filter(member=member, rule__code="h5p_completed")
    assert entries.count() == 1
    assert entries.get().idempotency_key == f"h5p_completed:{member.pk}:{bare_package.pk}"


@pytest.mark.parametrize(
    "whose_grant",
    ["none", "garbage", "another_member", "another_package"],
)
def test_without_a_grant_for_this_member_and_package_nothing_is_recorded(
    client, people, bare_package, other_package, whose_grant
):
    member = people["member_a1"]
    grants = {
        "none": "",
        "garbage": "not-a-grant",
        "another_member": play_grant(people["member_b1"], bare_package),
        "another_package": play_grant(member, other_package),
    }
    client.force_login(member)

    response = post(
        client, bare_package, {"grant": grants[whose_grant], "statement": answered(bare_package)}
    )

    assert response.status_code == 404
    assert response.json()["detail"] == "没有找到可供您作答的这个 H5P 活动。"
    assert not H5PStatement.objects.exists()


def test_a_stale_grant_asks_the_member_to_reload(client, people, bare_package, settings):
    member = people["member_a1"]
    grant = play_grant(member, bare_package)
    settings.H5P_PLAY_GRANT_MAX_AGE = timedelta(seconds=-1)
    client.force_login(member)

    response = post(client, bare_package, {"grant": grant, "statement": answered(bare_package)})

    assert response.status_code == 403
    assert response.json()["code"] == "grant_expired"
    assert "刷新页面" in response.json()["detail"]


def test_unknown_package_is_404(client, people, bare_package):
    client.force_login(people["member_a1"])
    response = client.post(
        reverse("api:h5p_xapi", args=[bare_package.pk + 999]),
        json.dumps({"grant": "x", "statement": {}}),
        content_type="application/json",
    )

    assert response.status_code == 404


def test_anonymous_callers_are_refused(bare_package):
    response = post(Client(), bare_package, {"grant": "x", "statement": answered(bare_package)})

    assert response.status_code in (401, 403)
    assert not H5PStatement.objects.exists()


def test_the_session_needs_the_csrf_token(people, bare_package, site, opened_grant):
    member = people["member_a1"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    body = {"grant": opened_grant(member, bare_package), "statement": answered(bare_package)}

    without = post(client, bare_package, body)
    client.get("/")  # sets the CSRF cookie, as the lesson page does
    with_token = post(
        client, bare_package, body, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value
    )

    assert without.status_code == 403
    assert with_token.status_code == 201


def test_a_mobile_client_records_with_its_api_token(people, bare_package, opened_grant):
    member = people["member_a1"]
    token = api_token(member)
    body = {"grant": opened_grant(member, bare_package), "statement": answered(bare_package)}

    response = post(Client(), bare_package, body, HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 201
    assert services.has_completed(member, bare_package)


@pytest.mark.parametrize(
    ("raw", "status", "message"),
    [
        ("{not json", 400, "请求不是有效的 JSON。"),
        ("[1, 2]", 400, "请发送包含 grant 和 statement 的 JSON 对象。"),
        ('{"statement": {}}', 400, "请发送包含 grant 和 statement 的 JSON 对象。"),
    ],
)
def test_malformed_bodies_are_refused_clearly(client, people, bare_package, raw, status, message):
    client.force_login(people["member_a1"])

    response = client.post(url(bare_package), raw, content_type="application/json")

    assert response.status_code == status
    assert response.json()["detail"] == message


@pytest.mark.parametrize(
    ("statement", "status", "message"),
    [
        ("answered", 400, "xAPI 学习记录必须是 JSON 对象。"),
        (
            {"object": {"id": "http://testserver/h5p/activities/1"}},
            400,
            "学习记录缺少有效的动作（verb）。",
        ),
    ],
)
def test_malformed_statements_are_refused_clearly(
    client, people, bare_package, statement, status, message, opened_grant
):
    member = people["member_a1"]
    client.force_login(member)

    response = post(
        client, bare_package, {"grant": opened_grant(member, bare_package), "statement": statement}
    )

    assert response.status_code == status
    assert response.json()["detail"] == message


def test_a_forged_actor_is_refused(client, people, bare_package, opened_grant):
    member, victim = people["member_a1"], people["member_a2"]
    client.force_login(member)
    statement = answered(
        bare_package,
        actor={
            "objectType": "Agent",
            "account": {"homePage": "http://testserver/", "name": str(victim.pk)},
        },
    )

    response = post(
        client, bare_package, {"grant": opened_grant(member, bare_package), "statement": statement}
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "学习记录中的学员不是您本人。"
    assert not H5PStatement.objects.exists()
    assert not services.has_completed(victim, bare_package)


def test_a_statement_about_another_activity_is_refused(
    client, people, bare_package, other_package, opened_grant
):
    member = people["member_a1"]
    client.force_login(member)

    response = post(
        client,
        bare_package,
        {"grant": opened_grant(member, bare_package), "statement": answered(other_package)},
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "这条学习记录不属于此 H5P 活动。"


def test_oversized_statements_are_refused(client, people, bare_package, opened_grant):
    member = people["member_a1"]
    client.force_login(member)
    statement = answered(bare_package, context={"extensions": {"http://x/pad": "x" * 70_000}})

    response = post(
        client, bare_package, {"grant": opened_grant(member, bare_package), "statement": statement}
    )

    assert response.status_code == 413
    assert response.json()["detail"] == "这条学习记录过大。"


def test_a_flood_of_statements_is_throttled(client, people, bare_package, settings, opened_grant):
    settings.H5P_XAPI_RATE = "3/min"
    member = people["member_a1"]
    client.force_login(member)
    grant = opened_grant(member, bare_package)

    codes = [
        post(
            client, bare_package, {"grant": grant, "statement": answered(bare_package, result={})}
        ).status_code
        for _ in range(4)
    ]

    assert codes == [201, 201, 201, 429]
    assert H5PStatement.objects.count() == 3


def test_the_endpoint_is_in_the_openapi_schema(client, people):
    client.force_login(people["member_a1"])

    schema = client.get("/api/schema/?format=json").json()

    assert "/api/v1/h5p/packages/{package_id}/xapi/" in schema["paths"]


# --- the activity must have been opened, long enough ago -------------------------------------


def test_a_statement_for_an_activity_never_opened_is_refused(
    client, people, bare_package, point_rules
):
    """A hand-written statement with the member's own grant, the player never loaded."""
    member = people["member_a1"]
    client.force_login(member)

    response = post(
        client,
        bare_package,
        {"grant": play_grant(member, bare_package), "statement": answered(bare_package)},
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not_opened"
    assert response.json()["detail"] == "这个活动还没有在课的页面中打开，作答未被记录。"
    assert not H5PStatement.objects.exists()
    assert not services.has_completed(member, bare_package)
    assert not PointEntry.objects.filter(member=member, rule__code="h5p_completed").exists()


def test_a_completion_too_soon_after_opening_does_not_count_yet(
    client, people, bare_package, point_rules, opened_grant, settings
):
    settings.H5P_MIN_PLAY_SECONDS = 30
    member = people["member_a1"]
    client.force_login(member)
    grant = opened_grant(member, bare_package, seconds_ago=5)
    statement = answered(bare_package)

    early = post(client, bare_package, {"grant": grant, "statement": statement})
    attempted = post(
        client, bare_package, {"grant": grant, "statement": answered(bare_package, result={})}
    )

    assert early.status_code == 409
    assert early.json()["code"] == "too_soon"
    assert early.json()["detail"] == "活动打开的时间太短，这次作答暂不计入完成。"
    assert 24 <= early.json()["retry_after"] <= 26
    assert early["Retry-After"] == str(early.json()["retry_after"])
    assert attempted.status_code == 201, "what does not complete is recorded as usual"
    assert not services.has_completed(member, bare_package)
    assert not PointEntry.objects.filter(member=member, rule__code="h5p_completed").exists()

    from courses.h5p.models import H5PPlay

    H5PPlay.objects.update(opened_at=H5PPlay.objects.get().opened_at - timedelta(seconds=30))
    later = post(client, bare_package, {"grant": grant, "statement": statement})

    assert later.status_code == 201 and later.json()["newly_completed"] is True
    assert PointEntry.objects.filter(member=member, rule__code="h5p_completed").count() == 1
