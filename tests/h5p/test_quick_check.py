"""The platform's own content type is graded on the server from the answer the member chose,
whatever score the statement claims."""

import json
import uuid

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from courses.h5p import services
from courses.h5p.models import H5PStatement
from quizzes.models import PointEntry

from .packages import quick_check

pytestmark = pytest.mark.django_db

ANSWERED = "http://adlnet.gov/expapi/verbs/answered"


@pytest.fixture
def package():
    """Correct answer: the first (index 0); a minimum score of 100 %."""
    return services.create_package(ContentFile(quick_check(), name="x.h5p"), pass_score_percent=100)


def send(client, package, grant, result):
    statement = {
        "id": str(uuid.uuid4()),
        "verb": {"id": ANSWERED},
        "object": {"id": f"http://testserver/h5p/activities/{package.pk}"},
        "result": result,
    }
    return client.post(
        reverse("api:h5p_xapi", args=[package.pk]),
        json.dumps({"grant": grant, "statement": statement}),
        content_type="application/json",
    )


def test_a_wrong_answer_claiming_full_marks_is_graded_wrong(
    client, people, package, opened_grant, point_rules
):
    member = people["member_a1"]
    client.force_login(member)
    claimed = {
        "completion": True,
        "success": True,
        "score": {"raw": 1, "min": 0, "max": 1, "scaled": 1},
        "response": "1",
    }

    response = send(client, package, opened_grant(member, package), claimed)

    assert response.status_code == 201
    assert response.json()["completed"] is False
    stored = H5PStatement.objects.get()
    assert (stored.score_scaled, stored.success, stored.completion) == (0.0, False, True)
    assert stored.statement["result"]["score"] == {"raw": 0, "min": 0, "max": 1, "scaled": 0}
    assert not services.has_completed(member, package)
    assert not PointEntry.objects.filter(member=member, rule__code="h5p_completed").exists()


def test_the_right_answer_passes_whatever_score_is_claimed(
    client, people, package, opened_grant, point_rules
):
    member = people["member_a1"]
    client.force_login(member)

    response = send(
        client,
        package,
        opened_grant(member, package),
        {"completion": True, "success": False, "score": {"raw": 0, "max": 1}, "response": "0"},
    )

    assert response.status_code == 201 and response.json()["newly_completed"] is True
    stored = H5PStatement.objects.get()
    assert (stored.score_scaled, stored.success) == (1.0, True)
    assert PointEntry.objects.filter(member=member, rule__code="h5p_completed").count() == 1


@pytest.mark.parametrize("response_value", [None, "", "7", "0[,]1", 0, "-1"])
def test_a_missing_or_impossible_answer_scores_nothing(
    client, people, package, opened_grant, response_value
):
    member = people["member_a1"]
    client.force_login(member)
    result = {"completion": True, "success": True, "score": {"raw": 1, "max": 1}}
    if response_value is not None:
        result["response"] = response_value

    response = send(client, package, opened_grant(member, package), result)

    assert response.status_code == 201
    assert H5PStatement.objects.get().score_scaled == 0.0
    assert not services.has_completed(member, package)
