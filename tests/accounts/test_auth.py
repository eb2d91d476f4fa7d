"""Logging in and out, throttling, forced password change, CSRF."""

import os
import subprocess
import sys
from pathlib import Path

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


# --- lockout by username and client address -------------------------------------------------

REAL_USER, ATTACKER = "198.51.100.7", "203.0.113.66"


def _attempt(client_ip: str, password: str, **headers):
    """A login to member_a1's account from `client_ip` (its connection), through a fresh
    client (no cookies shared with other attempts)."""
    return Client(REMOTE_ADDR=client_ip, **headers).post(
        "/accounts/login/", {"username": "member_a1", "password": password}
    )


def test_an_attacker_elsewhere_locks_only_himself_out(people, password, settings):
    for _attempt_number in range(settings.AXES_FAILURE_LIMIT):
        _attempt(ATTACKER, "wrong")

    assert _attempt(ATTACKER, password).status_code == 429
    assert _attempt(REAL_USER, password).status_code == 302


def test_behind_the_configured_proxy_header_clients_are_told_apart(people, password, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_REAL_IP", "REMOTE_ADDR"]
    proxy = "127.0.0.1"  # every request comes from nginx

    for _attempt_number in range(settings.AXES_FAILURE_LIMIT):
        _attempt(proxy, "wrong", HTTP_X_REAL_IP=ATTACKER)

    assert _attempt(proxy, password, HTTP_X_REAL_IP=ATTACKER).status_code == 429
    assert _attempt(proxy, password, HTTP_X_REAL_IP=REAL_USER).status_code == 302


def test_without_the_setting_a_forged_address_header_is_ignored(people, password, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        forged = f"192.0.2.{number + 1}"
        _attempt(ATTACKER, "wrong", HTTP_X_REAL_IP=forged, HTTP_X_FORWARDED_FOR=forged)

    forged = "192.0.2.99"
    response = _attempt(ATTACKER, password, HTTP_X_REAL_IP=forged, HTTP_X_FORWARDED_FOR=forged)

    assert response.status_code == 429


@pytest.mark.parametrize(
    ("header", "order"),
    [
        ("", ["REMOTE_ADDR"]),
        ("X-Real-IP", ["HTTP_X_REAL_IP", "REMOTE_ADDR"]),
    ],
)
def test_the_client_ip_header_comes_from_the_environment(header, order):
    """CLIENT_IP_HEADER, as the deployment sets it, is what django-axes reads (through
    django-ipware, which must be installed for it to read anything but the connection)."""
    environment = {**os.environ, "CLIENT_IP_HEADER": header}
    code = (
        "import django; django.setup(); from django.conf import settings; import ipware.ip;"
        "from axes.helpers import IPWARE_INSTALLED; assert IPWARE_INSTALLED;"
        "print(settings.AXES_IPWARE_META_PRECEDENCE_ORDER)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**environment, "DJANGO_SETTINGS_MODULE": "lms.settings.test"},
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )

    assert result.stdout.strip() == str(order)


def test_first_login_does_not_ask_for_the_initial_password_just_typed(client, people, password):
    member = people["member_a1"]
    member.must_change_password = True
    member.save()

    client.post("/accounts/login/", {"username": member.username, "password": password})
    form = client.get("/accounts/password/")

    assert "old_password" not in form.context["form"].fields  # typed a moment ago
    changed = client.post(
        "/accounts/password/",
        {"new_password1": "党旗-Lesson-2026", "new_password2": "党旗-Lesson-2026"},
    )
    assert changed.status_code == 302
    member.refresh_from_db()
    assert member.check_password("党旗-Lesson-2026") and not member.must_change_password
    # Later (not a fresh first login) the current password is asked for again.
    assert "old_password" in client.get("/accounts/password/").context["form"].fields


def test_a_branch_head_hands_over_a_one_time_link_for_a_forgotten_password(
    client, people, password
):
    from lms.core.models import AuditEntry

    member = people["member_a1"]
    client.force_login(people["secretary_a1"])
    page = client.post(f"/orgs/members/{member.pk}/reset-link/")
    link = page.context["reset_link"]
    assert "/accounts/reset/" in link and link in page.content.decode()
    assert AuditEntry.objects.filter(action="account.reset_link_issued", target=member.username)
    client.logout()

    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)  # Django moves the token into the session
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "新密码-2026-红旗", "new_password2": "新密码-2026-红旗"}
    )

    assert done.status_code == 302
    member.refresh_from_db()
    assert member.check_password("新密码-2026-红旗")
    client.logout()
    spent = client.get(path, follow=True)
    assert "此链接已使用或已过期" in spent.content.decode()


def test_only_those_whose_role_covers_the_member_make_a_link(client, people):
    member = people["member_b1"]  # another general branch
    client.force_login(people["secretary_a1"])

    assert client.post(f"/orgs/members/{member.pk}/reset-link/").status_code == 404
    client.force_login(people["member_a2"])
    assert client.post(f"/orgs/members/{people['member_a1'].pk}/reset-link/").status_code == 404
