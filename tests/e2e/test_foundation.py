"""The foundation in a real browser (Debian's chromium through Playwright)."""

import re

from playwright.sync_api import expect


def test_member_logs_in_and_sees_the_home_page_in_chinese(login, people, live_server):
    page = login("member_a1")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_text("刘洋，您好")).to_be_visible()
    expect(
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="首页")
    ).to_be_visible()


def test_wrong_password_shows_the_reason(login, people):
    page = login("member_a1", "not-the-password")

    expect(page.get_by_role("alert")).to_contain_text("用户名或密码错误")


def test_trainer_logs_in_and_opens_the_wagtail_admin(login, people, live_server):
    page = login("trainer_c")
    page.goto(f"{live_server.url}/admin/")

    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("main")).to_contain_text("李讲师")
    expect(page.locator("main").get_by_role("link", name="帐号")).to_be_visible()


def test_pages_fit_a_360_pixel_phone(login, people, live_server, page, org_tree):
    page.set_viewport_size({"width": 360, "height": 740})
    login("secretary_a1")

    for path in ("/", f"/orgs/{org_tree['branch_a1'].pk}/members/", "/accounts/me/"):
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 360px phone"
        nav = page.get_by_role("navigation", name="主导航")
        box = nav.bounding_box()
        assert box["y"] + box["height"] >= 740 - 1, "the tab bar sits at the bottom on phones"


def test_secretary_switches_the_site_to_english(login, people, live_server):
    page = login("secretary_a1")
    page.get_by_role("button", name="English").click()

    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Home")
    ).to_be_visible()
    expect(page.get_by_text("Hello, 张书记")).to_be_visible()
