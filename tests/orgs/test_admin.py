"""Site admins manage the organisation tree and roles in the Wagtail admin."""

import pytest

from lms.orgs.models import OrgRole, PartyOrganization

pytestmark = pytest.mark.django_db


def test_admin_adds_a_branch_under_a_general_branch(client, admin_user, org_tree):
    client.force_login(admin_user)

    response = client.post(
        "/admin/organizations/new/",
        {
            "parent": org_tree["general_b"].pk,
            "name": "新建党支部",
            "short_name": "",
            "code": "NEW-1",
            "kind": "branch",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    created = PartyOrganization.objects.get(code="NEW-1")
    assert created.get_parent() == org_tree["general_b"]
    assert created in org_tree["general_b"].subtree()


def test_admin_adds_a_new_committee_at_the_top(client, admin_user, db):
    client.force_login(admin_user)

    response = client.post(
        "/admin/organizations/new/",
        {"parent": "", "name": "另一个党委", "code": "ROOT-2", "kind": "committee"},
    )

    assert response.status_code == 302
    assert PartyOrganization.objects.get(code="ROOT-2").is_root()


def test_duplicate_code_is_refused_with_a_message(client, admin_user, org_tree):
    client.force_login(admin_user)

    response = client.post(
        "/admin/organizations/new/",
        {
            "parent": org_tree["committee"].pk,
            "name": "重复",
            "code": org_tree["branch_a1"].code,
            "kind": "branch",
        },
    )

    assert response.status_code == 200
    assert "编码" in response.text
    assert PartyOrganization.objects.filter(name="重复").count() == 0


def test_editing_keeps_the_place_in_the_tree(client, admin_user, org_tree):
    client.force_login(admin_user)
    branch = org_tree["branch_a1"]

    response = client.post(
        f"/admin/organizations/edit/{branch.pk}/",
        {
            "parent": org_tree["general_b"].pk,
            "name": "改名党支部",
            "code": branch.code,
            "kind": "branch",
        },
    )

    assert response.status_code == 302
    branch.refresh_from_db()
    assert branch.name == "改名党支部"
    assert branch.get_parent() == org_tree["general_a"]


def test_tree_listing_shows_the_hierarchy(client, admin_user, org_tree):
    client.force_login(admin_user)

    response = client.get("/admin/organizations/")

    text = response.text
    assert text.index("测试党委") < text.index("机关党总支") < text.index("第一党支部")


def test_admin_grants_a_role_by_username(client, admin_user, people, org_tree):
    client.force_login(admin_user)

    response = client.post(
        "/admin/org_roles/new/",
        {"username": "member_a2", "organization": org_tree["branch_a2"].pk, "role": "branch_head"},
    )

    assert response.status_code == 302
    assert OrgRole.objects.filter(user=people["member_a2"], role="branch_head").exists()


def test_unknown_username_is_refused(client, admin_user, org_tree):
    client.force_login(admin_user)

    response = client.post(
        "/admin/org_roles/new/",
        {"username": "ghost", "organization": org_tree["branch_a2"].pk, "role": "branch_head"},
    )

    assert response.status_code == 200
    assert "没有名为 ghost 的用户" in response.text


def test_branch_heads_cannot_reach_the_organisation_admin(client, people):
    client.force_login(people["secretary_a1"])

    response = client.get("/admin/organizations/")

    assert response.status_code in (302, 403)


def test_an_organisation_with_members_cannot_be_deleted(client, admin_user, people, org_tree):
    client.force_login(admin_user)
    branch = org_tree["branch_a1"]

    response = client.post(f"/admin/organizations/delete/{branch.pk}/", follow=True)

    assert response.status_code == 200
    assert PartyOrganization.objects.filter(pk=branch.pk).exists()
    assert "成员" in response.text


def test_an_empty_branch_can_be_deleted(client, admin_user, org_tree):
    client.force_login(admin_user)
    branch = org_tree["branch_a2"]

    response = client.post(f"/admin/organizations/delete/{branch.pk}/")

    assert response.status_code == 302
    assert not PartyOrganization.objects.filter(pk=branch.pk).exists()
