"""Members are listed in pinyin order of their names (按姓氏拼音), as Chinese readers expect,
not in Unicode order (which follows radicals and strokes): on the branch head's member list,
in the members API, and for members who arrived by bulk import."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lms.accounts import importing
from lms.accounts.models import MemberProfile
from lms.accounts.names import name_sort_key
from lms.orgs.models import OrgRole
from lms.orgs.services import grant_role
from tests.factories import make_member
from tests.utils import xlsx_bytes

from .test_import import MEMBER_HEADER

pytestmark = pytest.mark.django_db

# In Unicode order: 单 U+5355, 安 U+5B89, 张 U+5F20, 曾 U+66FE, 连 U+8FDE.
NAMES = ["单田芳", "安娜", "张三", "曾力", "连战", "李安"]
IN_PINYIN_ORDER = ["安娜", "李安", "连战", "单田芳", "曾力", "张三"]


def test_surnames_are_read_as_surnames_and_names_sort_like_a_dictionary():
    assert name_sort_key("单田芳") == "shan4 tian2 fang1"  # not dān
    assert name_sort_key("曾力") == "zeng1 li4"  # not céng
    assert name_sort_key("长孙无忌").startswith("zhang3 sun1")
    assert sorted(NAMES, key=name_sort_key) == IN_PINYIN_ORDER
    assert sorted(NAMES) != IN_PINYIN_ORDER  # what code-point order would have shown
    # Latin names sort among the others; a renamed member moves.
    assert sorted(["王五", "Alice", "Zoe"], key=name_sort_key) == ["Alice", "王五", "Zoe"]


def test_a_renamed_member_is_sorted_by_the_new_name(org_tree):
    user = make_member(org_tree["branch_a1"], "renamed", real_name="安娜")
    profile = user.profile
    profile.real_name = "张娜"
    profile.save(update_fields=["real_name"])

    assert MemberProfile.objects.get(pk=profile.pk).name_sort_key == "zhang1 na4"


def test_the_branch_heads_member_list_is_in_pinyin_order(client, org_tree):
    branch = org_tree["branch_b1"]
    for n, name in enumerate(NAMES):
        make_member(branch, f"m{n}", real_name=name)
    head = make_member(org_tree["general_b"], "head_b", real_name="总支书记")
    grant_role(head, org_tree["general_b"], OrgRole.Kind.BRANCH_HEAD)
    client.force_login(head)

    page = client.get(reverse("orgs:member_list", args=[branch.pk]))

    shown = [p.real_name for p in page.context["page"] if p.real_name in NAMES]
    assert shown == IN_PINYIN_ORDER


def test_imported_members_are_in_pinyin_order_too(org_tree, people, admin_user):
    org_tree["branch_b1"].code = "B01"
    org_tree["branch_b1"].save()
    rows = [MEMBER_HEADER] + [
        [f"imp{n}", name, "", "", "正式党员", "", "", "", "B01"] for n, name in enumerate(NAMES)
    ]
    assert importing.import_members(xlsx_bytes(rows), "m.xlsx", by=admin_user)

    api = APIClient()
    api.force_authenticate(admin_user)
    body = api.get(f"/api/v1/orgs/{org_tree['branch_b1'].pk}/members/").json()

    names = [row["real_name"] for row in body["results"] if row["real_name"] in NAMES]
    assert names == IN_PINYIN_ORDER
