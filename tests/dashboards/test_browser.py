"""The dashboard in a real browser (Debian's chromium): a branch secretary reads her branch's
numbers and charts and drills down to one member; a member is refused; phones fit."""

from playwright.sync_api import expect

from lms.core.models import AuditEntry


def test_the_secretary_drills_down_from_her_branch_to_a_member(
    login, live_server, people, org_tree, learning
):
    page = login("secretary_a1")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="看板").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("第一党支部")
    expect(page.locator('[data-kpi="members"] .kpi__value')).to_have_text("2")
    expect(page.locator('[data-kpi="overdue"] .kpi__value')).to_have_text("1")
    expect(page.locator('[data-kpi="hours"] .kpi__value')).to_have_text("0.5")
    chart = page.locator('canvas[data-chart="chart-completion"]')
    expect(chart).to_have_attribute("data-chart-ready", "")
    assert chart.bounding_box()["height"] > 100
    expect(page.locator('canvas[data-chart="chart-trend"]')).to_have_attribute(
        "data-chart-ready", ""
    )

    page.get_by_role("link", name="党章党规专题").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("党章党规专题")
    row = page.get_by_role("row").filter(has_text="刘洋")
    expect(row).to_contain_text("已逾期")
    page.get_by_role("link", name="已完成 1").click()
    expect(page.get_by_role("row").filter(has_text="张书记")).to_contain_text("已完成")
    expect(page.get_by_role("row").filter(has_text="刘洋")).to_have_count(0)

    page.get_by_role("link", name="全部").click()
    page.get_by_role("row").filter(has_text="刘洋").get_by_role("link", name="刘洋").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("刘洋")
    expect(page.get_by_role("heading", name="党课记录")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="党史学习教育")).to_contain_text("学习中")
    expect(page.locator('canvas[data-chart="chart-study"]')).to_have_attribute(
        "data-chart-ready", ""
    )
    assert AuditEntry.objects.filter(
        action="member.view", actor=people["secretary_a1"], target="member_a1"
    ).exists()


def test_a_member_gets_404_for_the_dashboard(login, live_server, people, org_tree, learning):
    page = login("member_a1")

    expect(
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="看板")
    ).to_have_count(0)
    response = page.goto(f"{live_server.url}/dashboards/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/dashboards/orgs/{org_tree['branch_a1'].pk}/")
    assert response.status == 404


def test_dashboard_pages_fit_a_360_pixel_phone(
    login, live_server, page, people, org_tree, learning
):
    page.set_viewport_size({"width": 360, "height": 740})
    login("head_general_a")
    general = org_tree["general_a"]

    for path in (
        f"/dashboards/orgs/{general.pk}/",
        f"/dashboards/orgs/{general.pk}/courses/{learning['history'].pk}/",
        f"/dashboards/orgs/{general.pk}/members/",
        f"/dashboards/members/{people['member_a1'].pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 360px phone"
    # The tree picker switches organisation.
    page.goto(f"{live_server.url}/dashboards/orgs/{general.pk}/")
    page.get_by_label("选择组织").select_option(label="　第二党支部")
    expect(page.get_by_role("heading", level=1)).to_have_text("第二党支部")


def test_dashboard_tables_fit_their_cards_at_1366_and_on_a_phone(
    login, live_server, page, people, org_tree, learning
):
    login("head_general_a")
    general = org_tree["general_a"]
    paths = (
        f"/dashboards/orgs/{general.pk}/",
        f"/dashboards/orgs/{general.pk}/courses/{learning['history'].pk}/",
        f"/dashboards/orgs/{general.pk}/members/",
        f"/dashboards/members/{people['member_a1'].pk}/",
    )
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state()
            wider = page.evaluate(
                """() => [...document.querySelectorAll('table')]
                .filter((t) => t.offsetParent !== null)
                .map((t) => t.scrollWidth - t.parentElement.clientWidth)
                .filter((extra) => extra > 1)"""
            )
            assert wider == [], f"{path} at {width}px: a table is {wider}px wider than its card"
