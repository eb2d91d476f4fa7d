"""The admin speaks the platform's Chinese: Wagtail's "Pages" is 页面 (our own pagers say 分页
with a context, so they no longer override it), and the strings Wagtail's zh-hans catalogue
leaves in English are ours to translate."""

import json

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

pytestmark = pytest.mark.django_db


def test_pages_is_pages_and_pagination_is_pagination():
    with translation.override("zh-hans"):
        assert gettext("Pages") == "页面"
        assert pgettext("pagination", "Pages") == "分页"
        assert gettext("Search all pages…") == "搜索所有页面…"
        assert gettext("Saved") == "已保存"
        assert gettext("No %(model_name)s match your query.") == "没有符合条件的%(model_name)s。"


def test_the_admin_menu_says_pages_and_the_js_catalogue_translates_blocks(client, people, site):
    client.force_login(people["trainer"])

    home = client.get("/admin/").content.decode()
    catalogue = client.get("/admin/jsi18n/").content.decode()

    assert json.dumps("页面")[1:-1] in home and json.dumps("分页")[1:-1] not in home
    assert "插入内容块" in catalogue or json.dumps("插入内容块")[1:-1] in catalogue
