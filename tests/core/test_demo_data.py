"""The demo organisation built by `manage.py load_demo_data`."""

import pytest
from django.core.management import CommandError, call_command

from lms.accounts.models import MemberProfile, User
from lms.orgs import permissions
from lms.orgs.models import OrgRole, PartyOrganization
from quizzes import demo as quiz_demo
from quizzes import permissions as quiz_permissions

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site")]


def test_demo_data_builds_a_believable_organisation_once():
    call_command("load_demo_data")
    call_command("load_demo_data")

    kinds = list(PartyOrganization.objects.values_list("kind", flat=True))
    assert kinds.count("committee") == 1
    assert kinds.count("general_branch") == 2
    assert kinds.count("branch") == 6
    assert 55 <= MemberProfile.objects.count() <= 70
    names = MemberProfile.objects.values_list("real_name", flat=True)
    assert all("\u4e00" <= name[0] <= "\u9fff" for name in names)


def test_demo_accounts_and_their_roles():
    call_command("load_demo_data")

    for username in ("admin", "trainer", "reviewer", "secretary", "member", "member2"):
        assert User.objects.get(username=username).check_password("partymooc-demo")
    secretary = User.objects.get(username="secretary")
    member = User.objects.get(username="member")
    member2 = User.objects.get(username="member2")
    assert OrgRole.objects.get(user=secretary).role == "branch_head"
    assert member.organization == secretary.organization
    assert member2.organization != secretary.organization
    assert permissions.can_view_member_record(secretary, member)
    assert not permissions.can_view_member_record(secretary, member2)
    assert User.objects.get(username="admin").is_superuser
    trainer = User.objects.get(username="trainer")
    assert trainer.has_perm("wagtailadmin.access_admin")
    # The trainer edits the committee's question banks and draws from the platform's daily bank.
    managed = set(quiz_permissions.manageable_banks(trainer).values_list("name", flat=True))
    usable = set(quiz_permissions.usable_banks(trainer).values_list("name", flat=True))
    assert quiz_demo.HISTORY_BANK in managed and quiz_demo.DAILY_BANK not in managed
    assert quiz_demo.DAILY_BANK in usable


def test_demo_data_is_refused_where_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError):
        call_command("load_demo_data")
