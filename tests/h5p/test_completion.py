"""The completion rule, has_completed, the h5p_completed signal and recording statements."""

import uuid
from datetime import timedelta

import pytest
from django.utils.timezone import now

from courses.h5p import services
from courses.h5p.models import H5PCompletion, H5PPlay, H5PStatement
from courses.h5p.signals import h5p_completed
from courses.h5p.xapi import StatementError, clean_statement

pytestmark = pytest.mark.django_db

IRI = "http://testserver/h5p/activities/1"
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"


def statement(result=None, object_id=IRI, **extra):
    body = {
        "verb": {"id": ANSWERED, "display": {"en-US": "answered"}},
        "object": {"id": object_id, "objectType": "Activity"},
        **extra,
    }
    if result is not None:
        body["result"] = result
    return body


def record(user, package, body):
    """Record as the player would, opened long enough ago for a completion to count."""
    clean = clean_statement(body, user=user, object_iri=IRI, home_page="http://testserver/")
    return services.record_statement(user, package, clean, opened_long_ago(user, package))


def opened_long_ago(user, package) -> H5PPlay:
    play, _created = H5PPlay.objects.get_or_create(
        key=f"test-{user.pk}-{package.pk}",
        defaults={"user": user, "package": package, "opened_at": now() - timedelta(hours=1)},
    )
    return play


@pytest.fixture
def sent():
    """Signals sent during the test, with on_commit callbacks run as they would be."""
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    h5p_completed.connect(receiver)
    yield received
    h5p_completed.disconnect(receiver)


def test_an_answer_with_completion_completes_once_and_signals_once(
    people, bare_package, sent, django_capture_on_commit_callbacks
):
    member = people["member_a1"]
    assert not services.has_completed(member, bare_package)

    with django_capture_on_commit_callbacks(execute=True):
        first = record(
            member, bare_package, statement({"completion": True, "score": {"raw": 1, "max": 1}})
        )
        again = record(
            member, bare_package, statement({"completion": True, "score": {"raw": 0, "max": 1}})
        )

    assert first.newly_completed and first.completed
    assert again.completed and not again.newly_completed
    assert services.has_completed(member, bare_package)
    assert not services.has_completed(people["member_a2"], bare_package)
    assert H5PCompletion.objects.get(user=member).score_scaled == 1.0
    assert len(sent) == 1
    assert sent[0]["user"] == member and sent[0]["package"] == bare_package
    assert sent[0]["statement"] == first.statement
    assert H5PStatement.objects.filter(user=member, package=bare_package).count() == 2


def test_blanks_style_answer_without_success_completes(people, bare_package):
    result = record(
        people["member_a1"],
        bare_package,
        statement({"completion": True, "score": {"raw": 2, "max": 5}}),
    )

    assert result.completed


@pytest.mark.parametrize(
    "body",
    [
        statement(),  # attempted / interacted: no result
        statement({"completion": False, "score": {"raw": 1, "max": 1}}),
        statement({"score": {"raw": 1, "max": 1}}),
        statement({"completion": True}, object_id=IRI + "?subContentId=abc"),  # one question
    ],
    ids=["no-result", "completion-false", "completion-absent", "sub-content"],
)
def test_statements_that_do_not_complete(people, bare_package, body):
    result = record(people["member_a1"], bare_package, body)

    assert not result.completed
    assert not services.has_completed(people["member_a1"], bare_package)
    assert result.statement.pk is not None


def test_minimum_score_is_required_when_the_package_sets_one(people, bare_package):
    bare_package.pass_score_percent = 67
    bare_package.save()
    member = people["member_a1"]

    low = record(
        member, bare_package, statement({"completion": True, "score": {"raw": 2, "max": 3}})
    )
    unscored = record(member, bare_package, statement({"completion": True}))
    high = record(member, bare_package, statement({"completion": True, "score": {"scaled": 0.67}}))

    assert (low.completed, unscored.completed, high.completed) == (False, False, True)


def test_a_resent_statement_is_stored_once(people, bare_package):
    body = statement({"completion": True}, id=str(uuid.uuid4()))
    member = people["member_a1"]

    first = record(member, bare_package, body)
    second = record(member, bare_package, body)

    assert second.duplicate and second.statement == first.statement
    assert H5PStatement.objects.filter(user=member).count() == 1


def test_the_stored_actor_is_always_the_member(people, bare_package):
    member = people["member_a1"]
    body = statement({"completion": True})
    body["actor"] = {"objectType": "Agent", "account": {"homePage": "x", "name": str(member.pk)}}

    stored = record(member, bare_package, body).statement

    assert stored.statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": "http://testserver/", "name": str(member.pk)},
    }


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ([], 400),
        ("answered", 400),
        (statement(actor={"mbox": "mailto:boss@example.com"}), 403),
        (statement(actor={"account": {"homePage": "http://testserver/", "name": "999999"}}), 403),
        (statement(object_id="http://testserver/h5p/activities/2"), 403),
        (statement(object_id=IRI + "0"), 403),
        ({"object": {"id": IRI}}, 400),
        (statement({"completion": "yes"}), 400),
        (statement({"completion": True, "score": {"raw": "1"}}), 400),
        (statement({"completion": True, "score": {"scaled": 5}}), 400),
        (statement(id="not-a-uuid"), 400),
    ],
    ids=[
        "list",
        "string",
        "someone-elses-mailbox",
        "someone-elses-account",
        "another-package",
        "lookalike-iri",
        "no-verb",
        "completion-not-bool",
        "score-not-number",
        "scaled-out-of-range",
        "bad-id",
    ],
)
def test_refused_statements_say_why(people, body, status):
    with pytest.raises(StatementError) as refused:
        clean_statement(
            body, user=people["member_a1"], object_iri=IRI, home_page="http://testserver/"
        )

    assert refused.value.status == status
    assert str(refused.value)
