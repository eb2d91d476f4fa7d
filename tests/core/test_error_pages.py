"""Error pages in Chinese with the site's navigation (DEBUG off, as in production); the way
into the admin from the site for staff and back; a favicon."""

import json

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]


@pytest.fixture
def member_client(people, site):
    client = Client(raise_request_exception=False)
    client.force_login(people["member_a1"])
    return client


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/no-such-page/", 404, "页面不存在"),
        ("/test-refuse/", 403, "无权操作"),
        ("/test-fail/", 500, "系统出错了"),
    ],
)
def test_error_pages_are_chinese_and_keep_the_navigation(member_client, path, status, heading):
    response = member_client.get(path)

    assert response.status_code == status
    html = response.content.decode()
    assert f'<h1 id="error-heading">{heading}</h1>' in html
    assert "我的学习" in html and "返回首页" in html  # the site's navigation is there
    assert "Traceback" not in html and "RuntimeError" not in html


def test_staff_get_a_way_into_the_admin_and_members_do_not(client, people, site):
    client.force_login(people["trainer"])
    assert 'href="/admin/"' in client.get("/").content.decode()
    admin_home = client.get("/admin/").content.decode()
    # The admin's menu is data for its script: the label is JSON there.
    assert json.dumps("返回前台")[1:-1] in admin_home
    client.force_login(people["member_a1"])
    assert 'href="/admin/"' not in client.get("/").content.decode()


def test_the_favicon_is_there(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
