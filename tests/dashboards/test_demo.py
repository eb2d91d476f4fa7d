"""The demo data gives the demo secretary a dashboard worth looking at (`make run`)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.models import DailyStudyTime
from lms.accounts.models import User
from lms.core import days
from lms.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site", "point_rules")]


def test_the_demo_secretary_sees_meaningful_numbers(client):
    call_command("load_demo_data", verbosity=0)
    rows = DailyStudyTime.objects.count()
    call_command("load_demo_data", verbosity=0)  # built once
    assert DailyStudyTime.objects.count() == rows

    secretary = User.objects.get(username="secretary")
    client.force_login(secretary)
    response = client.get(reverse("dashboards:index"), follow=True)

    assert response.status_code == 200
    numbers, trend = response.context["numbers"], response.context["trend"]
    assert numbers.organization == secretary.organization
    assert numbers.total.members >= 5
    assert 0 < numbers.total.active <= numbers.total.members
    assert numbers.total.study_seconds > 0 and numbers.total.points_week > 0
    assert len(numbers.required) == 3
    assert numbers.total.overdue_members > 0
    counts = numbers.total.courses.values()
    assert any(c.completed for c in counts) and any(c.in_progress for c in counts)
    assert not any(point.pending for point in trend)
    assert sum(point.active for point in trend[:-1]) > 0
    # The demo member was reminded of the overdue course by the secretary.
    member = User.objects.get(username="member")
    notice = Notification.objects.get(recipient=member)
    assert notice.sent_by == secretary
    assert dt.date.fromisoformat(notice.params["deadline"]) < days.today()
