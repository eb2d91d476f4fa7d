"""Logging in and out, throttling, forced password change, CSRF."""

import pytest
from django.test import Client

from lms.accounts.models import User

pytestmark = pytest.mark.django_db


def test_member_logs_in_and_sees_the_home_page_in_chinese(client, people, password, site):
    response = client.post(
        "/accounts/login/", {"username": "member_a1", "password": password}, follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/"
    assert "刘洋，您好" in response.text
    assert "第一党支部" in response.text


def test_wrong_password_gets_a_clear_chinese_message(client, people):
    response = client.post("/accounts/login/", {"username": "member_a1", "password": "nope"})

    assert response.status_code == 200
    assert "用户名或密码错误" in response.text
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    client, people, password, settings
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "member_a1", "password": "wrong"})

    response = client.post("/accounts/login/", {"username": "member_a1", "password": password})

    assert response.status_code == 429
    assert "登录失败次数过多" in response.text
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_so_other_members_still_log_in(client, people, password, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "member_a1", "password": "wrong"})

    response = client.post("/accounts/login/", {"username": "member_a2", "password": password})

    assert response.status_code == 302


def test_login_form_needs_a_csrf_token(people, password):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post("/accounts/login/", {"username": "member_a1", "password": password})

    assert response.status_code == 403


def test_logout_is_a_post_and_ends_the_session(client, people):
    client.force_login(people["member_a1"])

    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_imported_member_must_choose_a_password_first(client, people, password):
    member = people["member_a1"]
    member.must_change_password = True
    member.save()
    client.force_login(member)

    response = client.get("/accounts/me/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/"

    response = client.post(
        "/accounts/password/",
        {
            "old_password": password,
            "new_password1": "红旗-Lesson-2026",
            "new_password2": "红旗-Lesson-2026",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.must_change_password is False
    assert member.check_password("红旗-Lesson-2026")
    assert client.get("/accounts/me/").status_code == 200


def test_profile_page_shows_own_record_and_history(client, people, org_tree):
    from lms.orgs.services import transfer_member

    member = people["member_a1"]
    transfer_member(member, org_tree["branch_a2"], by=people["secretary_a1"], reason="工作调动")
    client.force_login(User.objects.get(pk=member.pk))

    response = client.get("/accounts/me/")

    assert "13800000001" in response.text
    assert "第一党支部 → 第二党支部" in response.text
    assert "工作调动" in response.text
