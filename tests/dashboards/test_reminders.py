"""Reminders of required courses: the weekly job reminds members behind near a deadline, a
branch head reminds her own members, nobody is reminded twice in a week, e-mails go once to
members who have an address, and members read their notifications."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from courses.models import RequiredCourseAssignment
from lms.core.models import AuditEntry
from lms.dashboards import aggregates, reminders, tasks
from lms.notifications.models import Notification
from tests.utils import wait_until

pytestmark = pytest.mark.django_db


def reminded() -> set[tuple[str, str]]:
    return set(
        Notification.objects.values_list("recipient__username", "params__course_title").order_by()
    )


def test_the_weekly_job_reminds_members_behind_near_a_deadline(people, org_tree, learning):
    created = tasks.send_weekly_reminders()

    assert created == 4
    assert reminded() == {
        ("head_general_a", "党史学习教育"),  # never enrolled: still required of him
        ("member_a1", "党史学习教育"),
        ("member_a2", "党史学习教育"),
        ("member_a1", "党章党规专题"),  # overdue
    }
    notice = Notification.objects.get(
        recipient=people["member_a1"], params__course=learning["rules"].pk
    )
    assert notice.params["deadline"] == (learning["day"] - dt.timedelta(days=1)).isoformat()
    assert notice.params["week"] == learning["week"].isoformat()
    assert notice.sent_by is None
    assert "已于" in notice.message or "passed" in notice.message


def test_reminders_are_sent_once_a_week(people, org_tree, learning):
    tasks.send_weekly_reminders()

    assert tasks.send_weekly_reminders() == 0
    assert Notification.objects.count() == 4
    # Next week the same members are reminded again.
    next_week = learning["day"] + dt.timedelta(days=7)
    for required, parts in reminders.due_courses(next_week):
        reminders.remind_behind(required, parts, day=next_week)
    assert Notification.objects.count() == 8


def test_courses_due_later_are_not_reminded_yet(people, org_tree, learning):
    RequiredCourseAssignment.objects.create(
        course=learning["elective"],
        organization=org_tree["general_b"],
        deadline=learning["day"] + dt.timedelta(days=30),
    )

    tasks.send_weekly_reminders()

    assert not Notification.objects.filter(params__course=learning["elective"].pk).exists()


def test_a_branch_head_reminds_only_her_own_members(people, org_tree, learning):
    created = tasks.remind_course_members(
        org_tree["branch_a1"].pk, learning["history"].pk, people["secretary_a1"].pk
    )

    assert created == 1
    assert reminded() == {("member_a1", "党史学习教育")}
    assert Notification.objects.get().sent_by == people["secretary_a1"]
    # The weekly job later that week leaves member_a1 alone for this course.
    tasks.send_weekly_reminders()
    assert (
        Notification.objects.filter(
            recipient=people["member_a1"], params__course=learning["history"].pk
        ).count()
        == 1
    )


def test_emails_go_once_and_only_to_members_with_an_address(people, org_tree, learning):
    people["member_a1"].email = "liuyang@example.cn"
    people["member_a1"].save()
    tasks.send_weekly_reminders()

    sent = reminders.email_reminders(learning["history"].pk, learning["week"])
    again = reminders.email_reminders(learning["history"].pk, learning["week"])

    assert (sent, again) == (1, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["liuyang@example.cn"]
    assert "党史学习教育" in message.subject
    assert learning["history"].url in message.body
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 1


def test_a_failed_email_is_sent_again_later(people, org_tree, learning, monkeypatch):
    people["member_a1"].email = "liuyang@example.cn"
    people["member_a1"].save()
    tasks.send_weekly_reminders()

    class Down:
        def send_messages(self, messages):
            raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(reminders, "get_connection", lambda: Down())
    with pytest.raises(ConnectionRefusedError):
        reminders.email_reminders(learning["rules"].pk, learning["week"])
    monkeypatch.undo()

    assert reminders.email_reminders(learning["rules"].pk, learning["week"]) == 1
    assert len(mail.outbox) == 1


def test_no_emails_when_they_are_turned_off(people, org_tree, learning, settings):
    settings.DASHBOARDS_REMINDER_EMAIL = False
    people["member_a1"].email = "liuyang@example.cn"
    people["member_a1"].save()
    tasks.send_weekly_reminders()

    assert reminders.email_reminders(learning["history"].pk, learning["week"]) == 0
    assert mail.outbox == []


def test_members_read_their_notifications(client, people, org_tree, learning, site):
    tasks.send_weekly_reminders()
    client.force_login(people["member_a1"])

    home = client.get("/").content.decode()
    page = client.get(reverse("notifications:list"))
    later = client.get(reverse("notifications:list"))

    assert "home-notices" in home and reverse("notifications:list") in home
    assert {n.params["course_title"] for n in page.context["page"]} == {
        "党史学习教育",
        "党章党规专题",
    }
    assert len(page.context["unread"]) == 2
    assert later.context["unread"] == set()
    assert "home-notices" not in client.get("/").content.decode()  # read: gone from home
    # Other members' notifications stay theirs, unread.
    assert Notification.objects.filter(recipient=people["member_a2"], read_at=None).count() == 1


def unread_badge(html: str) -> str | None:
    """The number on the navigation's "Me", or None when it shows none."""
    match = re.search(r"<span class=\"main-nav__badge\" data-unread-badge>([^<]*)</span>", html)
    return match.group(1) if match else None


def test_the_navigation_shows_how_many_notifications_are_unread(
    client, people, org_tree, learning, site
):
    tasks.send_weekly_reminders()
    client.force_login(people["member_a1"])

    assert unread_badge(client.get("/").content.decode()) == "2"
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert unread_badge(profile) == "2"
    assert reverse("notifications:list") in profile
    # Reading them clears the number, already on the page that shows them.
    assert unread_badge(client.get(reverse("notifications:list")).content.decode()) is None
    assert unread_badge(client.get("/").content.decode()) is None
    # Only one's own notifications count: member_a2 has one, a member never reminded none.
    client.force_login(people["member_a2"])
    assert unread_badge(client.get("/").content.decode()) == "1"
    client.force_login(people["member_b1"])
    assert not Notification.objects.filter(recipient=people["member_b1"]).exists()
    assert unread_badge(client.get("/").content.decode()) is None


def test_once_everyone_is_reminded_the_button_says_so_and_pressing_sends_nothing(
    client, people, org_tree, learning, django_capture_on_commit_callbacks
):
    required = aggregates.find_required_course(org_tree["branch_a1"], learning["history"].pk)
    reminders.remind_behind(required, sent_by=people["secretary_a1"])  # all reminded this week
    client.force_login(people["secretary_a1"])
    course_page = reverse(
        "dashboards:course", args=[org_tree["branch_a1"].pk, learning["history"].pk]
    )

    html = client.get(course_page).content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        pressed = client.post(
            reverse("dashboards:remind", args=[org_tree["branch_a1"].pk, learning["history"].pk]),
            follow=True,
        )

    assert "本周已全部提醒" in html and "disabled" in html.split("本周已全部提醒")[0][-80:]
    assert callbacks == []
    assert "本周已提醒过所有未完成的党员" in pressed.content.decode()


def test_the_remind_button_enqueues_one_job_per_press(
    client, people, org_tree, learning, django_capture_on_commit_callbacks
):
    client.force_login(people["secretary_a1"])
    url = reverse("dashboards:remind", args=[org_tree["branch_a1"].pk, learning["history"].pk])

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url)

    assert response.status_code == 302
    assert len(callbacks) == 1
    page = client.get(response.url).content.decode()
    behind = reminders.members_behind(
        learning["history"],
        aggregates.find_required_course(org_tree["branch_a1"], learning["history"].pk).parts,
    ).count()
    assert f"已提醒 {behind} 位尚未完成《{learning['history'].title}》的党员" in page
    entry = AuditEntry.objects.get(action="reminder.send")
    assert entry.organization == org_tree["branch_a1"] and entry.detail == {
        "course": learning["history"].pk
    }


@pytest.mark.worker
def test_pressing_remind_twice_reminds_and_mails_each_member_once(
    celery_worker, client, people, org_tree, learning
):
    for username in ("member_a1", "member_a2"):
        people[username].email = f"{username}@example.cn"
        people[username].save()
    client.force_login(people["head_general_a"])
    url = reverse("dashboards:remind", args=[org_tree["general_a"].pk, learning["history"].pk])

    first, second = client.post(url), client.post(url)

    assert first.status_code == second.status_code == 302
    # Both jobs ran: their e-mails are out once every reminded member with an address has one.
    wait_until(
        lambda: (
            Notification.objects.filter(emailed_at__isnull=False).count() == 2
            and not Notification.objects.filter(
                emailed_at__isnull=True, recipient__email__gt=""
            ).exists()
        )
    )
    # ...and the second job has run too (it found everyone reminded this week already).
    wait_until(
        lambda: celery_worker.succeeded("lms.dashboards.tasks.remind_course_members") == 2,
        message="the second reminder job did not run",
    )
    assert reminded() == {
        ("head_general_a", "党史学习教育"),
        ("member_a1", "党史学习教育"),
        ("member_a2", "党史学习教育"),
    }
    assert Notification.objects.count() == 3
    assert set(Notification.objects.values_list("sent_by", flat=True)) == {
        people["head_general_a"].pk
    }
    assert AuditEntry.objects.filter(action="reminder.send").count() == 2
