"""Dashboard pages: who may see which organisation (and who gets 404), what the pages show,
the drill-down from organisation to course to member, and the audit of member records."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lms.core.models import AuditEntry
from lms.dashboards import tasks
from lms.dashboards.models import Export, FrozenWeek
from tests.factories import make_member

from .conftest import enrol

pytestmark = pytest.mark.django_db


def dashboard(org) -> str:
    return reverse("dashboards:organization", args=[org.pk])


def course_page(org, course) -> str:
    return reverse("dashboards:course", args=[org.pk, course.pk])


def test_the_dashboard_opens_on_the_highest_organisation_the_roles_cover(client, people, org_tree):
    client.force_login(people["head_general_a"])

    response = client.get(reverse("dashboards:index"))

    assert response.status_code == 302
    assert response.url == dashboard(org_tree["general_a"])


def test_a_branch_head_sees_her_branch_and_nothing_else(client, people, org_tree, learning):
    client.force_login(people["secretary_a1"])
    own = org_tree["branch_a1"]

    assert client.get(dashboard(own)).status_code == 200
    for other in ("branch_a2", "branch_b1", "general_a", "committee"):
        org = org_tree[other]
        assert client.get(dashboard(org)).status_code == 404, other
        assert client.get(reverse("dashboards:members", args=[org.pk])).status_code == 404
        assert client.get(course_page(org, learning["history"])).status_code == 404
        assert (
            client.post(
                reverse("dashboards:export_create", args=[org.pk]), {"kind": "completion"}
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("dashboards:remind", args=[org.pk, learning["history"].pk])
            ).status_code
            == 404
        )
    # The picker cannot be used to jump elsewhere either.
    response = client.get(reverse("dashboards:index"), {"org": org_tree["branch_b1"].pk})
    assert response.status_code == 404
    assert not Export.objects.exists()


@pytest.mark.parametrize("username", ["member_a1", "trainer"])
def test_members_and_trainers_get_404(client, people, org_tree, learning, username):
    client.force_login(people[username])

    assert client.get(reverse("dashboards:index")).status_code == 404
    assert client.get(dashboard(org_tree["branch_a1"])).status_code == 404
    assert client.get(reverse("dashboards:exports")).status_code == 404
    record = reverse("dashboards:member_record", args=[people["member_a2"].pk])
    assert client.get(record).status_code == 404


def test_the_dashboard_shows_the_numbers_and_chart_data(client, people, org_tree, learning):
    # A site admin looks: a head of the organisation would earn a login point by looking.
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    tasks.freeze_finished_weeks()

    response = client.get(dashboard(org_tree["general_a"]))

    page = response.content.decode()
    kpis = {
        name: value
        for name, value in (
            ("members", 4),
            ("active", 2),
            ("hours", 0.5),
            ("points", 5),
            ("overdue", 1),
        )
    }
    for name, value in kpis.items():
        tile = page.split(f'data-kpi="{name}"')[1].split("</li>")[0]
        assert f'class="kpi__value">{value}<' in tile, name
    completion = json.loads(
        page.split('id="chart-completion" type="application/json">')[1].split("</script>")[0]
    )
    assert completion["labels"] == ["党章党规专题", "党史学习教育"]
    assert completion["datasets"][0]["data"] == [1, 1]  # completed
    trend = json.loads(
        page.split('id="chart-trend" type="application/json">')[1].split("</script>")[0]
    )
    assert len(trend["labels"]) == 12
    assert trend["datasets"][0]["data"][-2:] == [1, 2]  # active members last week, this week
    # Drill-down links: child organisations and each required course.
    assert dashboard(org_tree["branch_a1"]) in page
    assert course_page(org_tree["general_a"], learning["history"]) in page
    assert "<script>" not in page  # CSP: data travels as JSON, never as inline script


def test_the_picker_lists_the_covered_subtree(client, people, org_tree, learning):
    client.force_login(people["head_general_a"])

    response = client.get(dashboard(org_tree["branch_a2"]))

    options = [o["name"] for o in response.context["picker"]]
    assert options == ["机关党总支", "第一党支部", "第二党支部"]
    assert [a.name for a in response.context["trail"]] == ["机关党总支"]


def test_course_page_lists_members_by_status_with_dates(client, people, org_tree, learning):
    client.force_login(people["head_general_a"])
    url = course_page(org_tree["general_a"], learning["history"])

    everyone = client.get(url).context["page"]
    completed = client.get(url, {"status": "completed"}).context["page"]
    not_started = client.get(url, {"status": "not_started"}).context["page"]

    # Ordered by organisation (the general branch's own member first), then name.
    assert everyone[0].real_name == "王总支"
    assert {m.real_name for m in everyone} == {"王总支", "张书记", "刘洋", "陈静"}
    assert [(m.real_name, m.completed_at is not None) for m in completed] == [("张书记", True)]
    assert [m.real_name for m in not_started] == ["王总支", "陈静"]
    page = client.get(url).content.decode()
    assert reverse("dashboards:member_record", args=[people["member_a1"].pk]) in page
    assert "data-remind-form" in page


def test_course_page_paginates(client, people, org_tree, learning):
    for n in range(60):
        enrol(make_member(org_tree["branch_a2"], f"p{n:02d}"), learning["history"])
    client.force_login(people["head_general_a"])
    url = course_page(org_tree["general_a"], learning["history"])

    first = client.get(url).context["page"]
    second = client.get(url, {"page": 2}).context["page"]

    assert len(first) == 50 and len(second) == 14
    assert first.paginator.count == 64


def test_member_list_filters_and_numbers(client, people, org_tree, learning):
    client.force_login(people["secretary_a1"])
    url = reverse("dashboards:members", args=[org_tree["branch_a1"].pk])

    lines = client.get(url).context["lines"]
    overdue = client.get(url, {"show": "overdue"}).context["lines"]

    assert {line.profile.real_name: line.study_minutes for line in lines} == {
        "张书记": 0,
        "刘洋": 30,
    }
    assert [line.profile.real_name for line in overdue] == ["刘洋"]


def test_viewing_a_member_record_is_audited(client, people, org_tree, learning):
    client.force_login(people["secretary_a1"])
    member = people["member_a1"]

    response = client.get(reverse("dashboards:member_record", args=[member.pk]))

    assert response.status_code == 200
    record = response.context["record"]
    assert {line.course.title for line in record.courses} == {"党史学习教育", "党章党规专题"}
    assert record.points["week"] == 3 and record.study_seconds_week == 1800
    page = response.content.decode()
    assert "党课" in page or "Party lectures" in page
    entry = AuditEntry.objects.get(action="member.view")
    assert (entry.actor, entry.target, entry.organization) == (
        people["secretary_a1"],
        "member_a1",
        org_tree["branch_a1"],
    )


def test_a_branch_head_cannot_open_a_record_outside_her_branch(client, people, learning):
    client.force_login(people["secretary_a1"])

    for username in ("member_a2", "member_b1", "head_general_a"):
        url = reverse("dashboards:member_record", args=[people[username].pk])
        assert client.get(url).status_code == 404
    assert not AuditEntry.objects.filter(action="member.view").exists()


def test_a_member_sees_their_own_record_without_an_audit_entry(client, people, learning):
    client.force_login(people["member_a1"])

    response = client.get(reverse("dashboards:member_record", args=[people["member_a1"].pk]))

    assert response.status_code == 200
    assert not AuditEntry.objects.exists()


def test_site_admins_see_every_organisation(client, people, org_tree, learning):
    admin = get_user_model().objects.create_superuser("root", password="x")
    client.force_login(admin)

    assert client.get(dashboard(org_tree["committee"])).status_code == 200
    assert client.get(dashboard(org_tree["branch_b1"])).status_code == 200


def test_missing_weeks_are_counted_by_the_worker_when_asked_and_never_by_a_get(
    client, people, org_tree, learning, django_capture_on_commit_callbacks
):
    client.force_login(people["head_general_a"])

    with django_capture_on_commit_callbacks() as on_get:
        first = client.get(dashboard(org_tree["general_a"]))
        client.get(dashboard(org_tree["branch_a1"]))
    assert first.status_code == 200
    assert first.context["trend_pending"]
    assert "立即统计" in first.content.decode()
    assert on_get == []  # a GET asks the worker for nothing
    count = reverse("dashboards:count_weeks", args=[org_tree["general_a"].pk])
    with django_capture_on_commit_callbacks() as on_post:
        asked = client.post(count)
        client.post(count)
    assert asked.status_code == 302
    assert len(on_post) == 1  # pressing twice asks once
    assert not FrozenWeek.objects.exists()
    tasks.freeze_finished_weeks()  # what the job does
    assert not client.get(dashboard(org_tree["general_a"])).context["trend_pending"]
