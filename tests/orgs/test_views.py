"""Organisation pages: scoped member lists and records, personal data, audit, transfers."""

import pytest

from lms.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_secretary_sees_their_branch_with_phone_numbers(client, people, org_tree):
    client.force_login(people["secretary_a1"])

    response = client.get(f"/orgs/{org_tree['branch_a1'].pk}/members/")

    assert response.status_code == 200
    assert "刘洋" in response.text and "13800000001" in response.text
    assert "陈静" not in response.text


def test_secretary_gets_404_for_another_branch(client, people, org_tree):
    client.force_login(people["secretary_a1"])

    assert client.get(f"/orgs/{org_tree['branch_a2'].pk}/members/").status_code == 404
    assert client.get(f"/orgs/members/{people['member_b1'].pk}/").status_code == 404


def test_plain_member_sees_no_member_lists(client, people, org_tree):
    client.force_login(people["member_a1"])

    assert client.get("/orgs/").status_code == 404
    assert client.get(f"/orgs/{org_tree['branch_a1'].pk}/members/").status_code == 404
    assert client.get(f"/orgs/members/{people['member_a2'].pk}/").status_code == 404


def test_general_branch_head_searches_the_whole_subtree(client, people, org_tree):
    client.force_login(people["head_general_a"])

    response = client.get(f"/orgs/{org_tree['general_a'].pk}/members/", {"q": "陈"})

    assert "陈静" in response.text and "刘洋" not in response.text


def test_viewing_a_member_record_is_audited(client, people):
    client.force_login(people["secretary_a1"])

    response = client.get(f"/orgs/members/{people['member_a1'].pk}/")

    assert response.status_code == 200
    assert "13800000001" in response.text
    entry = AuditEntry.objects.get(action="member.view")
    assert (entry.actor, entry.target) == (people["secretary_a1"], "member_a1")


def test_secretary_transfers_a_member_out_and_loses_sight_of_them(client, people, org_tree):
    client.force_login(people["secretary_a1"])
    member = people["member_a1"]

    response = client.post(
        f"/orgs/members/{member.pk}/transfer/",
        {"to_organization": org_tree["branch_b1"].pk, "reason": "工作调动"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/orgs/"
    assert "刘洋 的组织关系已转入一线党支部" in response.text
    member.profile.refresh_from_db()
    assert member.profile.organization == org_tree["branch_b1"]
    assert client.get(f"/orgs/members/{member.pk}/").status_code == 404


def test_a_member_cannot_transfer_someone_they_do_not_manage(client, people, org_tree):
    client.force_login(people["member_a2"])

    response = client.post(
        f"/orgs/members/{people['member_a1'].pk}/transfer/",
        {"to_organization": org_tree["branch_b1"].pk},
    )

    assert response.status_code == 404
    people["member_a1"].profile.refresh_from_db()
    assert people["member_a1"].profile.organization == org_tree["branch_a1"]
