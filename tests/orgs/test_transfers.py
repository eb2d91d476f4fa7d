"""Member transfers (组织关系转接) keep history and end roles that no longer apply."""

import pytest
from django.contrib.auth.models import Group

from lms.orgs.models import MemberTransfer, OrgRole
from lms.orgs.services import ROLE_ADMIN_GROUPS, TransferError, grant_role, transfer_member

pytestmark = pytest.mark.django_db


def test_transfer_moves_the_member_and_keeps_every_step(people, org_tree):
    member = people["member_a1"]

    transfer_member(member, org_tree["branch_a2"], by=people["secretary_a1"], reason="工作调动")
    transfer_member(member, org_tree["branch_b1"], by=people["head_general_a"], reason="岗位轮换")

    member.profile.refresh_from_db()
    assert member.profile.organization == org_tree["branch_b1"]
    steps = list(MemberTransfer.objects.filter(member=member).order_by("pk"))
    assert [(s.from_organization, s.to_organization, s.reason) for s in steps] == [
        (org_tree["branch_a1"], org_tree["branch_a2"], "工作调动"),
        (org_tree["branch_a2"], org_tree["branch_b1"], "岗位轮换"),
    ]


def test_a_secretary_who_leaves_the_branch_is_no_longer_its_secretary(people, org_tree):
    secretary = people["secretary_a1"]
    grant_role(secretary, org_tree["committee"], OrgRole.Kind.TRAINER)

    record = transfer_member(secretary, org_tree["branch_b1"], by=None)

    assert record.roles_ended == [
        {"role": "branch_head", "organization": org_tree["branch_a1"].code, "name": "第一党支部"}
    ]
    assert list(OrgRole.objects.filter(user=secretary).values_list("role", flat=True)) == [
        "trainer"
    ]


def test_transfer_to_the_same_organisation_is_refused(people, org_tree):
    with pytest.raises(TransferError, match="已经属于"):
        transfer_member(people["member_a1"], org_tree["branch_a1"], by=None)
    assert not MemberTransfer.objects.filter(member=people["member_a1"]).exists()


def test_trainer_and_reviewer_roles_open_the_wagtail_admin(people, org_tree):
    member = people["member_a2"]
    assert not member.has_perm("wagtailadmin.access_admin")

    role = grant_role(member, org_tree["committee"], OrgRole.Kind.REVIEWER)
    member = type(member).objects.get(pk=member.pk)
    assert Group.objects.get(name=ROLE_ADMIN_GROUPS[OrgRole.Kind.REVIEWER]) in member.groups.all()
    assert member.has_perm("wagtailadmin.access_admin")

    role.delete()
    member = type(member).objects.get(pk=member.pk)
    assert not member.has_perm("wagtailadmin.access_admin")
