"""Organisation scoping: a role covers its organisation's subtree and nothing else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.orgs import permissions
from lms.orgs.models import OrgRole
from lms.orgs.services import grant_role
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_branch_secretary_covers_only_their_branch(people, org_tree):
    secretary = people["secretary_a1"]

    covered = set(permissions.covered_organizations(secretary, permissions.MEMBER_RECORD_ROLES))

    assert covered == {org_tree["branch_a1"]}
    assert permissions.can_view_member_record(secretary, people["member_a1"])
    assert not permissions.can_view_member_record(secretary, people["member_a2"])
    assert not permissions.can_view_member_record(secretary, people["member_b1"])


def test_general_branch_role_covers_its_whole_subtree(people, org_tree):
    head = people["head_general_a"]

    covered = set(permissions.covered_organizations(head, permissions.MEMBER_RECORD_ROLES))

    assert covered == {org_tree["general_a"], org_tree["branch_a1"], org_tree["branch_a2"]}
    assert permissions.can_view_member_record(head, people["member_a2"])
    assert not permissions.can_view_member_record(head, people["member_b1"])


def test_a_trainer_role_does_not_open_member_records(people):
    trainer = people["trainer"]

    assert not permissions.can_view_member_record(trainer, people["member_a1"])
    assert permissions.covered_member_profiles(trainer).count() == 0


def test_plain_members_see_only_themselves(people):
    member = people["member_a1"]

    assert permissions.can_view_member_record(member, member)
    assert not permissions.can_view_member_record(member, people["member_a2"])
    assert list(permissions.covered_organizations(member)) == []


def test_a_member_sees_their_own_line_of_the_tree(people, org_tree):
    visible = set(permissions.visible_organizations(people["member_a1"]))

    assert visible == {org_tree["committee"], org_tree["general_a"], org_tree["branch_a1"]}


def test_covered_members_is_one_query_whatever_the_number_of_roles_and_members(people, org_tree):
    head = people["head_general_a"]
    grant_role(head, org_tree["branch_b1"], OrgRole.Kind.BRANCH_HEAD)
    for i in range(30):
        make_member(org_tree["branch_b1"], f"extra{i}")

    head.__dict__.pop("_org_role_paths", None)
    with CaptureQueriesContext(connection) as queries:
        names = list(
            permissions.covered_member_profiles(head).values_list("user__username", flat=True)
        )

    assert len(queries) == 2  # the role paths, then the members
    assert "member_b1" in names and "extra29" in names and "member_a2" in names
    assert "trainer_c" not in names


def test_subtree_query_uses_the_materialised_path(org_tree):
    sql = str(org_tree["general_a"].subtree().query)
    assert "LIKE" in sql.upper()
