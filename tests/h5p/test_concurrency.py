"""Statements arriving at the same moment: nothing lost, completion and points exactly once."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils.timezone import now

from courses.h5p import services
from courses.h5p.models import H5PCompletion, H5PPackage, H5PPlay, H5PStatement
from courses.h5p.signals import h5p_completed
from courses.h5p.xapi import clean_statement
from quizzes.models import PointEntry

IRI = "http://testserver/h5p/activities/1"


@pytest.mark.django_db(transaction=True)
def test_simultaneous_completing_statements(people, point_rules):
    package = H5PPackage.objects.create(
        title="并发", file="h5p/packages/none.h5p", main_library="PartyMooc.Check 1.0"
    )
    member = people["member_a1"]
    play = H5PPlay.objects.create(
        key="concurrency", user=member, package=package, opened_at=now() - timedelta(hours=1)
    )
    signals = []

    def receiver(sender, **kwargs):
        signals.append(kwargs["user"].pk)

    h5p_completed.connect(receiver)
    threads_count = 4
    barrier = threading.Barrier(threads_count)
    resent_id = str(uuid.uuid4())
    errors = []

    def send(index: int) -> None:
        try:
            # Two threads resend the same statement; the others send their own.
            statement_id = resent_id if index < 2 else str(uuid.uuid4())
            raw = {
                "id": statement_id,
                "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
                "object": {"id": IRI},
                "result": {"completion": True, "score": {"raw": 1, "max": 1}},
            }
            clean = clean_statement(raw, user=member, object_iri=IRI, home_page="http://t/")
            barrier.wait()
            services.record_statement(member, package, clean, play)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(threads_count)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        h5p_completed.disconnect(receiver)

    assert errors == []
    assert H5PStatement.objects.filter(user=member).count() == threads_count - 1
    assert H5PCompletion.objects.filter(user=member, package=package).count() == 1
    assert signals == [member.pk]
    assert PointEntry.objects.filter(member=member, rule__code="h5p_completed").count() == 1
