"""Bulk import of organisations and members: dry run, all-or-nothing, templates, admin view."""

import io

import pytest
from openpyxl import load_workbook

from lms.accounts import importing
from lms.accounts.models import MemberProfile, User
from lms.orgs.models import MemberTransfer, PartyOrganization
from tests.factories import OrganizationFactory
from tests.utils import xlsx_bytes

pytestmark = pytest.mark.django_db

ORG_HEADER = ["组织编码", "组织名称", "上级组织编码", "组织类型"]
MEMBER_HEADER = [
    "用户名",
    "姓名",
    "性别",
    "手机号",
    "人员类别",
    "入党日期",
    "出生日期",
    "职务",
    "组织编码",
]


def test_organisations_import_with_children_listed_before_their_parents():
    rows = [
        ORG_HEADER,
        ["X-D1", "第一党支部", "X-Z", "党支部"],
        ["X-Z", "机关党总支", "X", "党总支"],
        ["X", "某某党委", "", "党委"],
    ]

    report = importing.import_organizations(xlsx_bytes(rows), "orgs.xlsx")

    assert report.ok, report.errors
    assert report.created == 3
    branch = PartyOrganization.objects.get(code="X-D1")
    assert [o.code for o in branch.ancestors_and_self()] == ["X", "X-Z", "X-D1"]
    assert branch.kind == PartyOrganization.Kind.BRANCH


def test_dry_run_lists_every_bad_row_with_its_number_and_a_chinese_reason():
    OrganizationFactory(code="D01", name="第一党支部")
    rows = [
        MEMBER_HEADER,
        [
            "zhangsan",
            "张三",
            "男",
            "13800138000",
            "正式党员",
            "2010-07-01",
            "1985-03-12",
            "党员",
            "D01",
        ],
        ["lisi", "", "女", "12345", "党员", "2030-01-01", "1990-01-01", "", "D01"],
        ["wangwu", "王五", "男", "13800138001", "群众", "", "", "", "NOPE"],
        ["zhangsan", "张三二", "男", "", "预备党员", "明年", "", "", "D01"],
    ]

    report = importing.check_members(xlsx_bytes(rows), "members.xlsx")

    assert not report.ok
    found = {(e.row, e.column, e.message) for e in report.errors}
    assert (3, "姓名", "此项为必填项。") in found
    assert (3, "手机号", "12345 不是 11 位手机号码。") in found
    assert (
        3,
        "人员类别",
        "无法识别的人员类别“党员”，可选值：正式党员、预备党员、入党积极分子、群众。",
    ) in found
    assert (3, "入党日期", "日期不能晚于今天。") in found
    assert (4, "组织编码", "没有编码为 NOPE 的组织，请先导入组织。") in found
    assert (5, "用户名", "用户名 zhangsan 在文件中重复出现。") in found
    assert (5, "入党日期", "“明年”不是有效日期，请按 2021-07-01 的格式填写。") in found
    assert (2, "用户名", "用户名 zhangsan 在文件中重复出现。") in found
    assert not User.objects.filter(username__in=["zhangsan", "lisi", "wangwu"]).exists()


def test_an_import_with_one_bad_row_writes_nothing(admin_user):
    OrganizationFactory(code="D01")
    rows = [MEMBER_HEADER]
    rows += [
        [f"m{i:03d}", f"成员{i}", "", f"139{i:08d}", "正式党员", "", "", "", "D01"]
        for i in range(50)
    ]
    rows.append(["bad", "坏行", "", "", "正式党员", "", "", "", "MISSING"])

    report = importing.import_members(xlsx_bytes(rows), "m.xlsx", by=admin_user)

    assert not report.applied
    assert [e.row for e in report.errors] == [52]
    assert User.objects.filter(username__startswith="m0").count() == 0
    assert MemberProfile.objects.count() == 0


def test_members_import_creates_accounts_that_must_change_password(admin_user):
    org = OrganizationFactory(code="D01", name="第一党支部")
    rows = [
        MEMBER_HEADER,
        [
            "zhangsan",
            "张三",
            "男",
            13800138000,
            "正式党员",
            "2010/7/1",
            "1985年3月12日",
            "党员",
            "D01",
        ],
        ["lisi", "李四", "女", "", "入党积极分子", "", "", "", "D01"],
    ]

    report = importing.import_members(xlsx_bytes(rows), "m.xlsx", by=admin_user)

    assert report.applied and report.created == 2
    user = User.objects.get(username="zhangsan")
    assert user.must_change_password
    passwords = {row[0]: row[3] for row in report.password_sheet.entries}
    assert passwords.keys() == {"zhangsan", "lisi"}
    assert user.check_password(passwords["zhangsan"])
    profile = user.profile
    assert (profile.real_name, profile.phone, profile.organization) == ("张三", "13800138000", org)
    assert profile.joined_party_on.isoformat() == "2010-07-01"
    assert profile.birth_date.isoformat() == "1985-03-12"
    assert profile.category == MemberProfile.Category.FULL_MEMBER
    assert MemberTransfer.objects.get(member=user).to_organization == org


def test_reimport_updates_members_and_records_a_transfer(admin_user):
    old = OrganizationFactory(code="D01", name="第一党支部")
    new = OrganizationFactory(code="D02", name="第二党支部")
    first = [
        MEMBER_HEADER,
        ["zhangsan", "张三", "男", "13800138000", "正式党员", "", "", "党员", "D01"],
    ]
    importing.import_members(xlsx_bytes(first), "m.xlsx", by=admin_user)
    second = [
        MEMBER_HEADER,
        ["zhangsan", "张三", "男", "13800138000", "正式党员", "", "", "组织委员", "D02"],
    ]

    report = importing.import_members(xlsx_bytes(second), "m.xlsx", by=admin_user)

    assert report.applied and (report.created, report.updated) == (0, 1)
    profile = MemberProfile.objects.get(user__username="zhangsan")
    assert (profile.organization, profile.position) == (new, "组织委员")
    history = list(MemberTransfer.objects.filter(member=profile.user).order_by("pk"))
    assert [(t.from_organization, t.to_organization) for t in history] == [(None, old), (old, new)]


def test_phone_already_used_by_someone_else_is_refused():
    org = OrganizationFactory(code="D01")
    from tests.factories import make_member

    make_member(org, "owner", phone="13800138000")
    rows = [MEMBER_HEADER, ["other", "别人", "", "13800138000", "正式党员", "", "", "", "D01"]]

    report = importing.check_members(xlsx_bytes(rows), "m.xlsx")

    assert [e.message for e in report.errors] == ["手机号 13800138000 已被用户 owner 使用。"]


def test_csv_saved_by_chinese_excel_in_gb18030_is_read(admin_user):
    OrganizationFactory(code="D01")
    text = "用户名,姓名,人员类别,组织编码\nzhaoliu,赵六,群众,D01\n"

    report = importing.import_members(io.BytesIO(text.encode("gb18030")), "m.csv", by=admin_user)

    assert report.applied, report.errors
    assert MemberProfile.objects.get(user__username="zhaoliu").real_name == "赵六"


def test_a_file_that_is_not_a_spreadsheet_is_refused_clearly():
    report = importing.check_members(io.BytesIO(b"not a zip"), "members.xlsx")

    assert [e.message for e in report.errors] == ["该文件不是有效的 .xlsx 工作簿。"]


def test_missing_required_columns_are_named():
    report = importing.check_members(xlsx_bytes([["用户名", "姓名"], ["a", "b"]]), "m.xlsx")

    assert report.errors[0].message == "缺少必填列：人员类别、组织编码。请下载模板查看。"


def test_organisation_cycle_and_unknown_parent_are_reported():
    rows = [
        ORG_HEADER,
        ["A", "甲", "B", "党支部"],
        ["B", "乙", "A", "党支部"],
        ["C", "丙", "Z", "党支部"],
    ]

    report = importing.check_organizations(xlsx_bytes(rows), "o.xlsx")

    messages = {(e.row, e.message) for e in report.errors}
    assert (2, "上级组织编码形成了循环。") in messages
    assert (3, "上级组织编码形成了循环。") in messages
    assert (4, "上级组织 Z 既不在文件中，也不在系统中。") in messages


@pytest.mark.parametrize("kind", ["organizations", "members"])
def test_the_downloaded_template_imports_as_it_is(kind, admin_user):
    if kind == "members":
        OrganizationFactory(code="D01")
    data = importing.build_template(kind, "xlsx")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.cell(1, 1).value.endswith("*")

    if kind == "members":
        report = importing.import_members(io.BytesIO(data), "t.xlsx", by=admin_user)
    else:
        report = importing.import_organizations(io.BytesIO(data), "t.xlsx")

    assert report.applied, report.errors
    assert report.created == 1


# --- the admin view -----------------------------------------------------------------------


def test_only_site_admins_may_import(client, people):
    client.force_login(people["secretary_a1"])
    response = client.get("/admin/import/")
    assert response.status_code in (302, 403)


def test_admin_dry_run_shows_the_bad_rows_and_writes_nothing(client, admin_user):
    OrganizationFactory(code="D01")
    client.force_login(admin_user)
    upload = xlsx_bytes(
        [
            MEMBER_HEADER,
            ["ok1", "甲", "", "", "正式党员", "", "", "", "D01"],
            ["bad", "乙", "", "", "正式党员", "", "", "", "D99"],
        ]
    )
    upload.name = "members.xlsx"

    response = client.post("/admin/import/", {"kind": "members", "file": upload, "dry_run": "1"})

    assert response.status_code == 200
    assert "没有编码为 D99 的组织" in response.text
    assert not User.objects.filter(username="ok1").exists()


def test_admin_import_writes_and_is_audited(client, admin_user):
    from lms.core.models import AuditEntry

    OrganizationFactory(code="D01")
    client.force_login(admin_user)
    upload = xlsx_bytes([MEMBER_HEADER, ["ok1", "甲", "", "", "正式党员", "", "", "", "D01"]])
    upload.name = "members.xlsx"

    response = client.post(
        "/admin/import/",
        {"kind": "members", "file": upload, "apply": "1"},
    )

    assert "已导入 1 行：新增 1 条，更新 0 条。" in response.text
    assert User.objects.filter(username="ok1").exists()
    entry = AuditEntry.objects.get(action="import.members")
    assert (entry.actor, entry.detail["created"]) == (admin_user, 1)


def test_template_download_from_the_admin(client, admin_user):
    client.force_login(admin_user)

    response = client.get("/admin/import/template/members.csv")

    assert response.status_code == 200
    assert response.content.startswith("\ufeff用户名 *".encode())
