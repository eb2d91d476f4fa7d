"""API tokens: none while a password change is pending; hashed, expiring, one per client;
ended by a logout (that client's), a password change, an admin's reset or a deactivation."""

import datetime as dt
import hashlib

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from lms.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "红旗-Lesson-2026"


def _login(username: str, password: str, client: str | None = None):
    body = {"username": username, "password": password}
    if client is not None:
        body["client"] = client
    return APIClient().post("/api/v1/auth/token/", body, format="json")


def _token(username: str, password: str, client: str | None = None) -> str:
    response = _login(username, password, client)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _as(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def _works(token: str) -> bool:
    status = _as(token).get("/api/v1/me/").status_code
    assert status in (200, 401)
    return status == 200


def _change_own_password(username: str, old: str) -> None:
    page = Client()
    page.force_login(User.objects.get(username=username))
    response = page.post(
        "/accounts/password/",
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302


def test_no_token_until_an_imported_member_has_chosen_their_own_password(admin_user, org_tree):
    from lms.accounts import importing
    from tests.utils import xlsx_bytes

    from ..accounts.test_import import MEMBER_HEADER

    org_tree["branch_a1"].code = "D01"
    org_tree["branch_a1"].save()
    rows = [MEMBER_HEADER, ["zhangsan", "张三", "", "", "正式党员", "", "", "", "D01"]]
    report = importing.import_members(xlsx_bytes(rows), "m.xlsx", by=admin_user)
    initial = report.password_sheet.entries[0][3]

    refused = _login("zhangsan", initial, "张三的手机")

    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("请先设置您自己的密码")
    assert "token" not in refused.json()
    assert not ApiToken.objects.exists()
    _change_own_password("zhangsan", initial)
    assert _works(_token("zhangsan", NEW_PASSWORD, "张三的手机"))


def test_the_answer_says_when_the_token_expires_and_it_is_refused_after(people, password):
    before = timezone.now()
    body = _login("member_a1", password, "phone").json()

    expires_at = parse_datetime(body["expires_at"])
    assert before + dt.timedelta(days=30) <= expires_at <= timezone.now() + dt.timedelta(days=30)
    assert body["client"] == "phone"
    assert _works(body["token"])
    ApiToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert not _works(body["token"])
    assert not ApiToken.objects.exists()  # knox deletes it when it is next used


def test_the_lifetime_is_a_setting(people, password, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": dt.timedelta(days=2)}

    expires_at = parse_datetime(_login("member_a1", password).json()["expires_at"])

    assert abs(expires_at - (timezone.now() + dt.timedelta(days=2))) < dt.timedelta(minutes=1)


def test_the_database_holds_a_hash_of_the_token_not_the_token(people, password):
    key = _token("member_a1", password, "phone")

    (row,) = ApiToken.objects.values()
    assert row["digest"] == hashlib.sha512(key.encode()).hexdigest()
    assert all(key not in str(value) for value in row.values())
    assert len(key) == 64 and key.startswith(row["token_key"])


def test_two_clients_hold_two_tokens_and_a_logout_ends_only_the_callers(people, password):
    phone = _token("member_a1", password, "phone")
    tablet = _token("member_a1", password, "tablet")
    assert phone != tablet

    response = _as(phone).post("/api/v1/auth/logout/")

    assert response.status_code == 204
    assert not _works(phone)
    assert _works(tablet)
    assert list(ApiToken.objects.values_list("client", flat=True)) == ["tablet"]


def test_logging_in_again_from_a_client_replaces_its_token(people, password):
    first = _token("member_a1", password, "phone")
    second = _token("member_a1", password, "phone")
    unnamed = _token("member_a1", password)

    assert first != second
    assert not _works(first)
    assert _works(second) and _works(unnamed)
    assert ApiToken.objects.count() == 2


def test_logout_needs_a_token(people):
    api = APIClient()
    api.force_login(people["member_a1"])

    assert api.post("/api/v1/auth/logout/").status_code == 401


def test_changing_ones_password_on_the_page_ends_every_token(people, password):
    phone = _token("member_a1", password, "phone")
    tablet = _token("member_a1", password, "tablet")
    other = _token("member_a2", password, "phone")

    _change_own_password("member_a1", password)

    assert not _works(phone) and not _works(tablet)
    assert _works(other)
    assert _works(_token("member_a1", NEW_PASSWORD, "phone"))


def test_an_admins_password_reset_ends_every_token_and_asks_for_a_new_password(
    people, password, admin_user
):
    member = people["member_a1"]
    phone = _token("member_a1", password, "phone")
    admin = Client()
    admin.force_login(admin_user)

    response = admin.post(
        f"/admin/users/edit/{member.pk}/",
        {
            "username": "member_a1",
            "email": "member_a1@example.com",
            "first_name": "洋",
            "last_name": "刘",
            "is_active": "on",
            "password1": "Reset-by-admin-2026",
            "password2": "Reset-by-admin-2026",
        },
    )

    assert response.status_code == 302, response.content
    assert not _works(phone)
    member.refresh_from_db()
    assert member.must_change_password
    assert _login("member_a1", "Reset-by-admin-2026").status_code == 403


def test_deactivating_in_the_admin_ends_every_token(people, password, admin_user):
    member = people["member_a1"]
    phone = _token("member_a1", password, "phone")
    admin = Client()
    admin.force_login(admin_user)

    response = admin.post(
        f"/admin/users/edit/{member.pk}/",
        {
            "username": "member_a1",
            "email": "member_a1@example.com",
            "first_name": "洋",
            "last_name": "刘",
        },
    )

    assert response.status_code == 302, response.content
    assert not ApiToken.objects.filter(user=member).exists()
    User.objects.filter(pk=member.pk).update(is_active=True)  # reactivated: no token comes back
    assert not _works(phone)


def test_deactivating_several_members_at_once_ends_their_tokens(people, password, admin_user):
    mine = _token("member_a1", password)
    theirs = _token("member_a2", password)
    untouched = _token("member_b1", password)
    admin = Client()
    admin.force_login(admin_user)
    ids = [people["member_a1"].pk, people["member_a2"].pk]

    response = admin.post(
        "/admin/bulk/accounts/user/set_active_state/?"
        + "&".join(f"id={pk}" for pk in ids)
        + "&next=/admin/users/",
        {"mark_as_active": "False"},
    )

    assert response.status_code == 302, response.content
    assert not User.objects.get(pk=ids[0]).is_active
    assert ApiToken.objects.filter(user_id__in=ids).count() == 0
    User.objects.filter(pk__in=ids).update(is_active=True)
    assert not _works(mine) and not _works(theirs)
    assert _works(untouched)


def test_the_schema_documents_the_token_answer_the_logout_and_the_header(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert {"token", "expires_at", "client"} <= set(
        schema["components"]["schemas"]["Token"]["properties"]
    )
    assert "/api/v1/auth/logout/" in schema["paths"]
    assert {"tokenAuth": []} in schema["paths"]["/api/v1/me/"]["get"]["security"]


class RenamedMD5PasswordHasher(MD5PasswordHasher):
    """A "newer" hasher, so that a login re-hashes the member's password."""

    algorithm = "md5_renamed"


def test_a_hash_upgrade_at_login_is_no_password_change_and_keeps_the_tokens(
    people, password, settings
):
    phone = _token("member_a1", password, "phone")
    settings.PASSWORD_HASHERS = [
        "tests.api.test_tokens.RenamedMD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]

    response = Client().post("/accounts/login/", {"username": "member_a1", "password": password})

    assert response.status_code == 302
    assert User.objects.get(username="member_a1").password.startswith("md5_renamed$")
    assert _works(phone)
